"""Real-time events of the documents app (see docs/protocol/event-stream.md)."""

from __future__ import annotations

from typing import Literal

from vev.core.realtime.schema import BaseEvent


class ConsultationReplied(BaseEvent):
    """A Member State replied (or changed its reply); to ``event.<id>.secretariat``."""

    type: Literal["consultation.replied"] = "consultation.replied"
    document_id: int
    entity_id: int
    entity: str
    choice: Literal["keep", "move"]
    answered_by: str
    answered_at: str
    document_status: str
    keep: int
    move: int


class DocumentStatusChanged(BaseEvent):
    """A document was published, moved, put back, regrouped or withdrawn."""

    type: Literal["documents.status_changed"] = "documents.status_changed"
    document_id: int
    symbol: str
    status: str
    status_label: str
    group: int
    discuss_in_session: bool
    agenda_item_id: int | None
    agenda_item_status: str | None


class RequestMade(BaseEvent):
    """A Member State made a request about a document; to ``event.<id>.secretariat``."""

    type: Literal["documents.request_made"] = "documents.request_made"
    request_id: int
    document_id: int
    symbol: str
    entity: str
    kind: str
    status: str
