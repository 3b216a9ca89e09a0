"""Typed events of the live room (docs/protocol/live-room.md documents each one).

Events carry the *state* they change, not only the change (``presence.updated`` carries each
changed participant as they now are, ``speakers.*`` the whole list of speakers), so applying an
event twice, or one whose effect a snapshot already shows, gives the same screen. The stream and
sequence number are added when the event is recorded (``vev.live.streams``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from vev.core.realtime.schema import BaseEvent


class Dto(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityInfo(Dto):
    id: int
    name: str
    code: str  # ISO 3166 code of a Member State, else a short name
    council_member: bool


class ParticipantInfo(Dto):
    id: int
    user_id: int
    name: str
    entity: EntityInfo | None
    capacity: str
    kind: Literal["member", "observer", "staff"]
    mode: Literal["active", "passive"]
    status: Literal["present", "away", "left", "removed"]
    muted: bool


class PresenceCounts(Dto):
    active: int
    passive: int
    #: passive participants per entity id (as a string key), for "France: +2 on the webcast"
    passive_by_entity: dict[str, int]


# -- presence ----------------------------------------------------------------------------------
class PresenceUpdated(BaseEvent):
    """Participants entered, left, dropped, came back, changed mode, were muted or removed."""

    type: Literal["presence.updated"] = "presence.updated"
    participants: list[ParticipantInfo]
    counts: PresenceCounts


class MyStatus(BaseEvent):
    """(own stream) The participant's own mode and why, after any change to it."""

    type: Literal["presence.my_status"] = "presence.my_status"
    mode: Literal["active", "passive"]
    status: Literal["present", "away", "left", "removed"]
    reason: str  # PassiveReason code, "" when active; the page words it in the user's language
    muted: bool
    at: datetime


# -- list of speakers and nameplate ------------------------------------------------------------
class SpeakerEntry(Dto):
    id: int
    participant_id: int
    user_id: int
    name: str
    entity: EntityInfo | None
    observer: bool  # not a Council Member's delegate (speaks after Members by default)
    kind: Literal["speak", "reply", "point_of_order", "motion"]
    motion: str  # SpeakerRequest.Motion code, "" unless a procedural motion
    note: str
    status: Literal["waiting", "speaking", "done", "withdrawn", "dismissed"]
    requested_at: datetime
    floor_at: datetime | None
    time_limit_seconds: int  # 0: no limit
    ruling: str


class SpeakersState(Dto):
    floor: SpeakerEntry | None
    nameplates: list[SpeakerEntry]  # points of order and motions, in order of precedence
    queue: list[SpeakerEntry]  # the ordinary list, in the order the chair will take it
    members_first: bool
    time_limit_seconds: int


class SpeakersChanged(BaseEvent):
    """The list of speakers changed; ``speakers`` is the whole list as it now is."""

    type: Literal[
        "speakers.hand_raised",
        "speakers.nameplate_raised",
        "speakers.withdrawn",
        "speakers.floor_given",
        "speakers.floor_ended",
        "speakers.dismissed",
        "speakers.reordered",
        "speakers.rules_changed",
        "speakers.cleared",
        "speakers.time_extended",
    ]
    entry_id: int | None
    by: str  # who acted, as shown in the room (name and entity)
    speakers: SpeakersState


# -- moderation --------------------------------------------------------------------------------
class ModerationChanged(BaseEvent):
    """Mute all, unmute all, the room locked or unlocked."""

    type: Literal[
        "moderation.muted_all",
        "moderation.unmuted_all",
        "moderation.locked",
        "moderation.unlocked",
    ]
    locked: bool
    muted_all: bool
    by: str


class ParticipantModerated(BaseEvent):
    """One participant muted, unmuted, removed or readmitted by the chair or a moderator."""

    type: Literal[
        "moderation.participant_muted",
        "moderation.participant_unmuted",
        "moderation.participant_removed",
        "moderation.participant_readmitted",
    ]
    participant: ParticipantInfo
    reason: str
    by: str


# -- meeting flow ------------------------------------------------------------------------------
class AgendaEntry(Dto):
    allocation_id: int
    item_id: int
    code: str
    title: str
    position: int
    planned_minutes: int | None
    started_at: datetime | None
    ended_at: datetime | None


class FlowChanged(BaseEvent):
    """The meeting opened, was suspended or resumed, closed, or took up an agenda item."""

    type: Literal[
        "flow.opened",
        "flow.suspended",
        "flow.resumed",
        "flow.closed",
        "flow.item_taken_up",
        "flow.item_closed",
        "flow.summary_set",
        "flow.item_added",
    ]
    status: Literal["scheduled", "live", "suspended", "ended", "cancelled"]
    current: AgendaEntry | None
    agenda: list[AgendaEntry]
    summary: str
    by: str


# -- captions (vev.live.services.captions) -----------------------------------------------------
class CaptionLineChanged(BaseEvent):
    """A caption line as it now stands: new, grown, final, reopened by a backspace, or removed.

    ``line_id`` is stable; ``number`` orders the lines of a language. A removed line (emptied by
    backspaces) has ``removed`` true and empty text. Applying it twice changes nothing.
    """

    type: Literal["captions.line"] = "captions.line"
    language: str
    line_id: int
    number: int
    text: str
    final: bool
    removed: bool = False
    at: datetime
    allocation_id: int | None


class CaptionFeedChanged(BaseEvent):
    """Captions were switched on or off for the meeting (an address created, revoked, rotated)."""

    type: Literal["captions.feed"] = "captions.feed"
    active: bool
    at: datetime
