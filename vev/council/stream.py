"""Commands of the event stream (``/ws/events/<slug>/``), registered by the apps.

A command is ``<feature>.<verb>`` with a permission on the event, a pydantic payload model
(``extra="forbid"``) and a synchronous handler ``handler(user, event, payload) -> dict`` that
runs in a worker thread. Apps register theirs in ``AppConfig.ready()`` (or a module imported
there) with :func:`stream_command`; the consumer in ``council.consumers`` checks the permission,
validates the payload and answers with the envelope of docs/protocol/websocket.md. See
docs/protocol/event-stream.md.
"""

from __future__ import annotations

from vev.core.realtime.consumer import CommandRegistry, EmptyPayload

from .permissions import Perm

__all__ = ["COMMANDS", "EmptyPayload", "stream_command"]

COMMANDS = CommandRegistry("event stream")


def stream_command(name: str, *, permission: Perm, payload=EmptyPayload):
    """Register ``handler`` as the command ``name`` (declaring its permission)."""
    return COMMANDS.command(name, permission=permission, payload=payload)
