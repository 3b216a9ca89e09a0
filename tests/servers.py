"""Stopping a test's own uvicorn (run in a thread of the test process) before its data goes.

pytest-django empties the database after each transactional test (``TRUNCATE`` on PostgreSQL).
Work the server started may still be under way then: a room hub's last presence announcement,
a consumer's goodbye, run by asgiref on its database thread, which outlives the server's event
loop. A ``TRUNCATE`` that meets such a transaction can deadlock with it, and PostgreSQL then
cancels one of them: the flush fails and the next test finds the previous one's rows. So the
server is stopped first, then that thread is drained, then (PostgreSQL) no other session of the
test database may still be inside a transaction.
"""

from __future__ import annotations

import threading
import time

from asgiref.sync import SyncToAsync
from django.db import connection

#: Seconds to wait for the server to stop and its database work to end.
STOP_TIMEOUT = 20.0


#: Seconds the server waits for its connections to close before cancelling what is left (a
#: socket whose peer stopped reading, under uvicorn's legacy implementation, never closes).
GRACE = 5


def stop_server(server, thread: threading.Thread) -> None:
    if server.config.timeout_graceful_shutdown is None:
        server.config.timeout_graceful_shutdown = GRACE
    server.should_exit = True
    thread.join(timeout=STOP_TIMEOUT)
    if thread.is_alive():  # as a second Ctrl+C: no more waiting for connections or tasks
        server.force_exit = True
        thread.join(timeout=STOP_TIMEOUT)
    if thread.is_alive():
        raise RuntimeError(f"the test server did not stop within {2 * STOP_TIMEOUT:.0f} s")
    # One worker, first in first out: once this runs, all the work queued before it is done.
    SyncToAsync.single_thread_executor.submit(lambda: None).result(timeout=STOP_TIMEOUT)
    wait_for_other_transactions()


def wait_for_other_transactions(timeout: float = STOP_TIMEOUT) -> None:
    """Wait until no other session of this (PostgreSQL) database is running or in a transaction."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    busy = []
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, left(query, 120) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'"
                " AND (state = 'active' OR state LIKE 'idle in transaction%%')"
            )
            busy = cursor.fetchall()
        if not busy:
            return
        time.sleep(0.05)
    raise RuntimeError(f"other database sessions still busy after {timeout:.0f} s: {busy}")
