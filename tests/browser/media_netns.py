"""Chromium inside the Janus test namespace, so that its WebRTC reaches Janus (real sound).

Janus runs in a network namespace whose only ICE address is 127.0.0.2 on a veth end
(tests/media/harness.py); the host cannot route to it. A second Chromium is started inside that
namespace (``ip netns exec`` around Debian's chromium; Playwright talks to it over a pipe, not
the network), and the test server is relayed into the namespace: a listening socket created
inside it (on the namespace's 127.0.0.1, same port as the server) whose connections a host
thread forwards to the server. Pages therefore use the same address and cookies as usual.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .helpers import pump

#: WebRTC in a namespace with only a loopback-looking address: keep it, and plain IPs.
WEBRTC_ARGS = [
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
]


def in_thread(function, *args):
    """Run a sync service off the main thread (Playwright keeps an event loop there); the
    thread's database connection is closed after."""
    from django.db import connections

    result = {}

    def run():
        try:
            result["value"] = function(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=20)
    return result.get("value")


class NamespaceRelay:
    """Connections to 127.0.0.1:<port> inside the namespace reach the host's test server."""

    def __init__(self, harness, port: int) -> None:
        self.port = port

        async def listen():  # runs on the namespace's thread: the socket belongs to it
            return socket.create_server(("127.0.0.1", port))

        self.listener = harness.run(listen())
        self.closed = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.port))
            except OSError:
                client.close()
                continue
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.listener.close()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.close()


def tone_file(path: Path, frequency: int = 1000, seconds: int = 4) -> Path:
    """A loud, steady tone as Chromium's fake microphone (its default beep is too brief for
    Janus's talking detection)."""
    import math
    import struct
    import wave

    rate = 48000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(24000 * math.sin(2 * math.pi * frequency * i / rate)))
                for i in range(rate * seconds)
            )
        )
    return path


def launch_in_namespace(browser, harness, directory: Path):
    """A Chromium inside the harness's namespace, driven by the session's Playwright."""
    microphone = tone_file(directory / "microphone.wav")
    wrapper = directory / "chromium-in-netns"
    wrapper.write_text(f'#!/bin/sh\nexec ip netns exec {harness.netns.name} {CHROMIUM} "$@"\n')
    wrapper.chmod(0o700)
    return browser.browser_type.launch(
        executable_path=str(wrapper),
        args=[*CHROMIUM_ARGS, *WEBRTC_ARGS, f"--use-file-for-fake-audio-capture={microphone}"],
    )
