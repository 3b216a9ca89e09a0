"""Real-time events of the decisions app (see docs/protocol/event-stream.md).

Procedure events go to ``event.<id>.participants`` (every participant's event stream); the live
replies go to ``event.<id>.secretariat`` (secretariat, chair and vice-chair). Labels are not
sent: pages render them in the reader's language and scripts pick them by code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from vev.core.realtime.schema import BaseEvent


class WrittenProcedureLaunched(BaseEvent):
    type: Literal["decisions.launched"] = "decisions.launched"
    procedure_id: int
    number: int
    title: str
    deadline: str  # ISO 8601, UTC
    url: str


class WrittenProcedureReplied(BaseEvent):
    """A Council Member State replied or changed its reply (for the live table)."""

    type: Literal["decisions.replied"] = "decisions.replied"
    procedure_id: int
    entity_id: int
    entity: str
    choice: Literal["agree", "object", "abstain"]
    statement: str
    replied_by: str
    replied_at: str
    changes: int
    agree: int
    object: int
    abstain: int
    no_reply: int


class WrittenProcedureExtended(BaseEvent):
    type: Literal["decisions.extended"] = "decisions.extended"
    procedure_id: int
    deadline: str
    previous_deadline: str


class WrittenProcedureWithdrawn(BaseEvent):
    type: Literal["decisions.withdrawn"] = "decisions.withdrawn"
    procedure_id: int
    reason: str


class WrittenProcedureClosed(BaseEvent):
    """The deadline passed and the result was computed."""

    type: Literal["decisions.closed"] = "decisions.closed"
    procedure_id: int
    number: int
    result: Literal["adopted", "not_adopted"]
    reason: str
    agree: int
    object: int
    abstain: int
    no_reply: int
    members: int
    url: str


# -- proposed conclusions and the objection call (the room stream of vev.live) ------------------
class _Dto(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ObjectionInfo(_Dto):
    entity_id: int
    entity: str
    reason: str
    raised_at: datetime


class CallInfo(_Dto):
    id: int
    status: Literal["open", "held", "closed"]
    outcome: str  # ObjectionCall.Outcome code, "" while open or held
    opened_at: datetime
    closes_at: datetime
    objections: list[ObjectionInfo]
    absent: list[str]  # the objection guard: Council Members with nobody active in the room
    dropped: list[str]  # … and those that lost a connection during the call


class ConclusionInfo(_Dto):
    id: int
    kind: Literal["item", "package_note", "package_approve", "election"]
    state: Literal["draft", "called", "agreed", "deferred", "forwarded", "withdrawn"]
    number: int | None
    text: str
    item: str
    deferred_because: str
    absence_noted: list[str]


class ConclusionChanged(BaseEvent):
    """An objection call opened, received or lost an objection, was held, extended or closed."""

    type: Literal[
        "conclusions.call_opened",
        "conclusions.objection_raised",
        "conclusions.objection_withdrawn",
        "conclusions.call_held",
        "conclusions.call_extended",
        "conclusions.call_closed",
    ]
    call: CallInfo
    conclusion: ConclusionInfo
    by: str


class ConclusionDrafted(BaseEvent):
    """A proposed conclusion was drafted for an item of a meeting in session."""

    type: Literal["conclusions.drafted", "conclusions.withdrawn"]
    conclusion: ConclusionInfo
    by: str
