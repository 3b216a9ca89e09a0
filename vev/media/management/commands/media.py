"""``vev media``: write Janus's configuration, start Janus and keep it running."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from vev.media import conf
from vev.media.janus import config
from vev.media.janus.process import JanusSupervisor
from vev.media.supervision import _restore


class Command(BaseCommand):
    help = "Run the Janus media server with vev's configuration (restarts it if it crashes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write-config",
            action="store_true",
            help="only write the configuration (for a Janus run by a service manager)",
        )

    def handle(self, *args, **options):
        janus = conf.current()
        if options["write_config"]:
            path = config.write(janus)
            self.stdout.write(f"Janus configuration written to {path.parent}")
            self.stdout.write(f"  start it with: janus -F {path.parent} -C {path}")
            return
        if not janus.installed:
            raise CommandError(
                "Janus is not installed (apt-get install janus); vev runs without audio."
            )
        supervisor = JanusSupervisor(janus, on_ready=_restore)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        supervisor.start()
        if supervisor.ready.wait(30):
            self.stdout.write(f"Janus is running (pid {supervisor.pid}); Ctrl+C to stop.")
        else:
            self.stderr.write(f"Janus is not answering yet; see {janus.log_file}")
        stop.wait()
        self.stdout.write("Stopping Janus…")
        supervisor.stop()
