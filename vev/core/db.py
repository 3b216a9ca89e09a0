"""Database connections under the ASGI server: kept by the sockets, closed after each request.

``vev serve`` keeps database connections (``CONN_MAX_AGE`` from ``VEV_DB_CONN_MAX_AGE``, with
health checks). Channels runs the database work of every WebSocket consumer on one shared
thread; without a kept connection each call opened and closed one (with SQLite, closing the
last connection also checkpoints the write-ahead log): a third of a room admission's time.

Django's ASGI handler, however, runs each HTTP request's code on a thread of its own that ends
with the request (``asgiref.sync.ThreadSensitiveContext``): a kept connection there would
outlive its thread unclosed. So at the end of such a request its connections are closed, as
without ``CONN_MAX_AGE``. Elsewhere (the consumers' thread, WSGI, the test client, commands)
Django's own ``close_old_connections`` applies the age as usual.
"""

from __future__ import annotations

from asgiref.sync import SyncToAsync
from django.db import connections


def close_request_connections(**kwargs) -> None:
    """``request_finished``: close the connections of an ASGI request's own thread."""
    # asgiref's context variable (not a documented API) is set exactly while Django's ASGI
    # handler runs a request's code on its own thread; tests/core/test_db_connections.py notices
    # if an asgiref release changes that.
    if SyncToAsync.thread_sensitive_context.get(None) is None:
        return  # not a request thread of Django's ASGI handler
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
