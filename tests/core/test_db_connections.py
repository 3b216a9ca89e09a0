"""Kept database connections under the ASGI server (vev/core/db.py, ``VEV_DB_CONN_MAX_AGE``).

``vev serve`` keeps connections for the sockets' shared database thread; an HTTP request's own
thread (Django's ASGI handler) closes its connection when the request ends.
"""

from __future__ import annotations

import threading

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.core.asgi import get_asgi_application
from django.db import connection, connections
from django.db.backends.signals import connection_created

from vev.cli import SERVER_ENVIRONMENT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def kept_connections():
    """``CONN_MAX_AGE`` as under ``vev serve`` (the settings dict is shared by every thread).

    At the end the kept connection of the shared database thread is closed (PostgreSQL would
    not drop the test database with a session still open)."""
    settings_dict = connection.settings_dict
    before = settings_dict["CONN_MAX_AGE"]
    settings_dict["CONN_MAX_AGE"] = int(SERVER_ENVIRONMENT["VEV_DB_CONN_MAX_AGE"])
    yield
    settings_dict["CONN_MAX_AGE"] = before
    await database_sync_to_async(connections.close_all)()


class Opened:
    """Connections opened meanwhile, with the thread that opened each and whether it closed."""

    def __init__(self):
        self.opened: list[tuple[str, object]] = []
        self.closed: list[object] = []

    def __call__(self, sender, connection, **kwargs):
        self.opened.append((threading.current_thread().name, connection))
        close = connection.close

        def spy():
            self.closed.append(connection)
            close()

        connection.close = spy

    def __enter__(self):
        connection_created.connect(self)
        return self

    def __exit__(self, *exc):
        connection_created.disconnect(self)


async def test_an_asgi_request_closes_its_connection_when_it_ends(kept_connections, event):
    application = get_asgi_application()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }
    with Opened() as seen:
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=20)
        assert start["status"] == 200
        while (await communicator.receive_output(timeout=20)).get("more_body"):
            pass
        await communicator.wait(timeout=20)
    request_connections = [c for name, c in seen.opened if name != threading.main_thread().name]
    assert request_connections, "the home page read nothing from the database"
    assert all(c in seen.closed for c in request_connections)


async def test_the_sockets_database_thread_keeps_its_connection(kept_connections, event):
    def read():
        return event.__class__.objects.filter(pk=event.pk).count()

    with Opened() as seen:
        for _ in range(5):
            assert await database_sync_to_async(read)() == 1
    assert len(seen.opened) <= 1 and not seen.closed
