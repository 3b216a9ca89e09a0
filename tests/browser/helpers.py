from __future__ import annotations

import contextlib
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests import factories


def code_for_secret(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def sign_in(page, user, *, code_offset: int = 0) -> None:
    """Password, then (for users with an authenticator) the TOTP step."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if "/accounts/2fa/authenticate" in page.url:
        page.get_by_label("Code").fill(factories.totp_code(user, code_offset))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def log_in(page, user, host: str = "127.0.0.1") -> None:
    """Sign ``user`` in without the sign-in form (a real session, as after password and TOTP).

    The sign-in with a second factor has its own browser test; tests of other features use
    this to keep several people's pages quick to open.
    """
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )


def pump(source, sink) -> None:
    """Relay one direction of a proxied TCP connection until either end goes; then close both."""
    import socket

    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()


class DroppableProxy:
    """A TCP relay to the test server whose connections can be cut like a network failure.

    ``drop()`` resets every relayed connection (no WebSocket close frame: the server sees a
    lost connection) and refuses new ones until ``restore()``. Cookies are per host, not per
    port, so a page opened through the relay keeps its session.
    """

    def __init__(self, target_port: int):
        import socket
        import threading

        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.refusing = threading.Event()
        self.lock = threading.Lock()
        self.sockets: list = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing.is_set():
                self._reset(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                self._reset(client)
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _reset(sock) -> None:
        import socket
        import struct

        # Abort without a WebSocket close frame, like a network failure. shutdown() also wakes
        # the relay thread blocked in recv() on this socket (close() alone would not).
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def drop(self) -> None:
        self.refusing.set()
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for sock in sockets:
            self._reset(sock)

    def restore(self) -> None:
        self.refusing.clear()

    def close(self) -> None:
        self.closed = True
        self.drop()
        self.listener.close()
