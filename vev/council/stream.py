"""Commands of the event stream (``/ws/events/<slug>/``), registered by the apps.

A command is ``<feature>.<verb>`` with a permission on the event, a pydantic payload model
(``extra="forbid"``) and a synchronous handler ``handler(user, event, payload) -> dict`` that
runs in a worker thread. Apps register theirs in ``AppConfig.ready()``; the consumer in
``council.consumers`` checks the permission, validates the payload and answers with the
envelope of docs/protocol/websocket.md. See docs/protocol/event-stream.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from .permissions import Perm


class EmptyPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class StreamCommand:
    name: str
    permission: Perm
    payload: type[BaseModel]
    handler: Callable[[Any, Any, BaseModel], dict]


COMMANDS: dict[str, StreamCommand] = {}


def stream_command(name: str, *, permission: Perm, payload: type[BaseModel] = EmptyPayload):
    """Register ``handler`` as the command ``name`` (declaring its permission)."""

    def register(handler):
        COMMANDS[name] = StreamCommand(name, permission, payload, handler)
        return handler

    return register
