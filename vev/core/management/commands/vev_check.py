"""Check configuration and the services vev talks to; non-zero exit on a hard failure."""

from __future__ import annotations

import shutil

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Check vev's configuration and the services it uses."

    def handle(self, *args, **options):
        failures = 0
        call_command("check")
        try:
            connection.ensure_connection()
            self.stdout.write(f"database: ok ({connection.vendor})")
        except Exception as error:  # report every failing service, then fail once
            failures += 1
            self.stderr.write(f"database: FAILED ({error})")
        layer = get_channel_layer()
        try:
            async_to_sync(layer.send)("vev-check", {"type": "ping"})
            async_to_sync(layer.receive)("vev-check")
            self.stdout.write(f"channel layer: ok ({type(layer).__name__})")
        except Exception as error:  # see above
            failures += 1
            self.stderr.write(f"channel layer: FAILED ({error})")
        if not settings.REDIS_URL:
            self.stdout.write("  note: in-process channel layer; one server process only")
        from vev.media.status import media_status

        media = media_status()
        self.stdout.write(f"media (Janus): {media.state} - {media.message}")
        if media.detail:
            self.stdout.write(f"  {media.detail}")
        chromium = shutil.which("chromium")
        self.stdout.write(f"chromium (browser tests): {chromium or 'not installed'}")
        if failures:
            raise CommandError(f"{failures} check(s) failed.")
        self.stdout.write(self.style.SUCCESS("vev is ready."))
