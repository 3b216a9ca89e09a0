"""Acts due at a time, run by every server process that serves the meeting (idempotently).

An event recorded with ``due=<datetime>`` (``vev.live.streams.record_room_event``) makes each
process's hub call the handler registered for the event's type at that time, in a worker
thread, with the meeting's id. Handlers must be idempotent (several processes run them) and
are backed by a periodic task for meetings no process serves.
"""

from __future__ import annotations

from collections.abc import Callable

DUE_HANDLERS: dict[str, Callable[[int], object]] = {}


def on_due(*event_types: str):
    def register(handler):
        for event_type in event_types:
            DUE_HANDLERS[event_type] = handler
        return handler

    return register
