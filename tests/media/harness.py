"""A real Janus for tests, in a private network namespace.

Janus gathers no ICE candidates on loopback interfaces (``IFF_LOOPBACK`` is skipped in
``ice.c``), so tests cannot use ``lo``: each test session creates a network namespace with a
veth pair carrying 127.0.0.2/32 (a veth end is not a loopback interface, and the address never
leaves the namespace), starts Janus inside it with vev's own configuration writer and
supervisor, and runs the Python WebRTC clients (aiortc) on an asyncio loop in a thread that
has entered the namespace (``setns`` acts on the calling thread only). vev reaches Janus's APIs
through the Unix sockets in the instance directory, which a namespace does not hide, so the
test body, the database and Redis stay in the host namespace.

Needs root (``ip netns``, ``setns``). Everything is removed in finalizers, also on failure.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import os
import shutil
import subprocess
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

CLONE_NEWNET = 0x40000000
VETH = ("vevj0", "vevj1")
ADDRESS = "127.0.0.2/32"


def why_unavailable() -> str | None:
    """Why real-Janus tests cannot run here, or None."""
    if os.geteuid() != 0:
        return "Janus tests need root (network namespaces)"
    if not shutil.which("ip"):
        return "Janus tests need iproute2 (ip)"
    from vev.media.conf import janus_settings

    if not janus_settings().installed:
        return "Janus is not installed (apt-get install janus)"
    try:
        import aiortc  # noqa: F401
    except ImportError:
        return "aiortc is not installed (test extra)"
    return None


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True, timeout=20)


class NetworkNamespace:
    def __init__(self, name: str) -> None:
        self.name = name
        self.path = Path("/run/netns") / name

    def create(self) -> None:
        self.delete()
        _ip("netns", "add", self.name)
        try:
            run = ("netns", "exec", self.name, "ip")
            _ip(*run, "link", "set", "lo", "up")
            _ip(*run, "link", "add", VETH[0], "type", "veth", "peer", "name", VETH[1])
            _ip(*run, "addr", "add", ADDRESS, "dev", VETH[0])
            _ip(*run, "link", "set", VETH[0], "up")
            _ip(*run, "link", "set", VETH[1], "up")
        except BaseException:
            self.delete()
            raise

    @staticmethod
    def remove_stale(prefix: str) -> None:
        """Delete namespaces ``<prefix><pid>`` left by test runs that were killed."""
        listed = _ip("netns", "list", check=False).stdout.split()
        for name in listed:
            pid = name.removeprefix(prefix)
            if name.startswith(prefix) and pid.isdigit() and not Path(f"/proc/{pid}").exists():
                _ip("netns", "del", name, check=False)

    def delete(self) -> None:
        if self.path.exists():
            _ip("netns", "del", self.name, check=False)

    def prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.name]


class NamespaceLoop:
    """An asyncio loop on a thread inside the namespace; ``run`` executes coroutines there."""

    def __init__(self, netns: NetworkNamespace) -> None:
        self.netns = netns
        self.loop = asyncio.new_event_loop()
        self._ready = concurrent.futures.Future()
        self.thread = threading.Thread(target=self._main, name="netns-loop", daemon=True)

    def _main(self) -> None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            with open(self.netns.path) as handle:
                if libc.setns(handle.fileno(), CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns failed")
        except BaseException as error:
            self._ready.set_exception(error)
            return
        asyncio.set_event_loop(self.loop)
        self._ready.set_result(True)
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def start(self) -> None:
        self.thread.start()
        self._ready.result(timeout=10)

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
