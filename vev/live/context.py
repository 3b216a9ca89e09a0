"""What a room command handler knows about the connection it serves."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from vev.council.models import Event, Meeting

from .services.access import RoomAccess

logger = logging.getLogger(__name__)


@dataclass
class RoomContext:
    user: Any
    meeting: Meeting
    event: Event
    access: RoomAccess
    participant_id: int
    connection_id: int
    session_key: str = ""
    language: str = "en"
    #: set by ``room.leave``: the socket closes after the reply, logged as left (not dropped)
    leaving: bool = False
    #: push a frame to this socket only (async; e.g. a media session's events)
    send: Callable[[dict], Awaitable[None]] | None = None
    #: per-connection resources of async handlers (e.g. the media session), by name
    resources: dict[str, Any] = field(default_factory=dict)
    #: awaited when the socket closes, in order (release what ``resources`` holds)
    on_close: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def release(self) -> None:
        """Run ``on_close`` when the socket closes: a failing release must not keep the others."""
        for release in self.on_close:
            try:
                await release()
            except Exception:
                logger.exception("meeting %s: releasing a resource failed", self.meeting.pk)
