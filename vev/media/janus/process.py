"""Start Janus with the configuration vev wrote and keep it running.

:class:`JanusSupervisor` runs Janus as a child process, restarts it with exponential back-off
when it dies (1 s doubling to 30 s, reset after a minute of good health) and stops it cleanly
(SIGTERM, then SIGKILL after a grace period). After every start it calls ``on_ready`` once the
Admin API answers (vev uses this to recreate the rooms of meetings in session, since Janus
keeps rooms in memory only).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence

from ..conf import JanusSettings
from ..errors import MediaError
from . import config
from .client import AdminClient

logger = logging.getLogger(__name__)

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
HEALTHY_AFTER = 60.0


def command(janus: JanusSettings, prefix: Sequence[str] = ()) -> list[str]:
    if not janus.binary:
        raise MediaError("Janus is not installed.")
    return [
        *prefix,
        janus.binary,
        f"--configs-folder={janus.config_dir}",
        f"--config={janus.config_dir / 'janus.jcfg'}",
        f"--log-file={janus.log_file}",
        "--disable-stdout",
        "--disable-colors",
    ]


def wait_ready(janus: JanusSettings, timeout: float = 15, process=None) -> bool:
    """Poll the Admin API until Janus answers; False on timeout or if ``process`` exited."""
    client = AdminClient(janus.admin_socket, janus.secrets.admin_secret, timeout=1)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                return False
            try:
                client.ping()
                return True
            except MediaError:
                time.sleep(0.1)
        return False
    finally:
        client.close()


class JanusSupervisor:
    """Run one Janus instance in a background thread until :meth:`stop`."""

    def __init__(
        self,
        janus: JanusSettings,
        *,
        prefix: Sequence[str] = (),
        on_ready: Callable[[], None] | None = None,
        startup_timeout: float = 20,
    ) -> None:
        self.janus = janus
        self.prefix = list(prefix)
        self.on_ready = on_ready
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.ready = threading.Event()

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        config.write(self.janus)
        self._thread = threading.Thread(target=self._run, name="janus-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self) -> subprocess.Popen:
        for stale in (self.janus.api_socket, self.janus.admin_socket):
            stale.unlink(missing_ok=True)
        log = open(self.janus.directory / "janus.stderr", "ab")  # noqa: SIM115 (child owns it)
        try:
            return subprocess.Popen(  # noqa: S603 (fixed argument list)
                command(self.janus, self.prefix),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # Ctrl+C in a terminal reaches vev, which stops Janus
            )
        finally:
            log.close()

    def _run(self) -> None:
        backoff = BACKOFF_FIRST
        while not self._stop.is_set():
            started = time.monotonic()
            with self._lock:
                if self._stop.is_set():
                    break
                self.process = self._spawn()
            process = self.process
            logger.info("Janus started (pid %s)", process.pid)
            if wait_ready(self.janus, self.startup_timeout, process):
                self.ready.set()
                if self.on_ready is not None:
                    try:
                        self.on_ready()
                    except Exception:  # rooms are recreated on next use anyway
                        logger.exception("restoring media rooms failed")
            returncode = process.wait()
            self.ready.clear()
            if self._stop.is_set():
                break
            self.restarts += 1
            if time.monotonic() - started > HEALTHY_AFTER:
                backoff = BACKOFF_FIRST
            logger.error(
                "Janus exited with code %s; restarting in %.0f s (see %s)",
                returncode,
                backoff,
                self.janus.log_file,
            )
            if self._stop.wait(backoff):
                break
            backoff = min(backoff * 2, BACKOFF_MAX)

    def stop(self, grace: float = 10) -> None:
        self._stop.set()
        with self._lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                logger.warning("Janus did not stop in %s s; killing it", grace)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=grace)
        self.ready.clear()
        for socket_path in (self.janus.api_socket, self.janus.admin_socket):
            socket_path.unlink(missing_ok=True)

    @property
    def pid(self) -> int | None:
        process = self.process
        return process.pid if process is not None and process.poll() is None else None
