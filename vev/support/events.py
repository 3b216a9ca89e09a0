"""Events of support tickets (docs/protocol/live-room.md, "Support").

A ticket travels on own streams only: of the participants with ``meeting.support`` in the
event's rooms, and of its reporter (who follows its status). Nobody else receives it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from vev.core.realtime.schema import BaseEvent
from vev.live.events import Dto, EntityInfo


class TicketInfo(Dto):
    id: int
    meeting_id: int
    meeting: str  # the meeting's code
    category: Literal["audio", "video", "interpretation", "connection", "documents", "other"]
    description: str
    reporter_id: int
    reporter: str
    reporter_entity: EntityInfo | None
    user_agent: str
    connection_state: str
    context: dict
    status: Literal["open", "taken", "resolved"]
    assignee_id: int | None
    assignee: str
    created_at: datetime
    taken_at: datetime | None
    resolved_at: datetime | None
    resolution: str


class TicketChanged(BaseEvent):
    type: Literal["support.ticket_opened", "support.ticket_taken", "support.ticket_resolved"]
    ticket: TicketInfo
