"""The list of speakers and the nameplate: raise, withdraw, give and end the floor, order."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from vev.council.permissions import Perm

from ..context import RoomContext
from ..errors import LiveError
from ..models import RoomState, SpeakerRequest
from ..services import speakers
from ..snapshot import section
from . import ROOM_COMMANDS


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


@section("speakers")
def speakers_section(ctx: RoomContext, room: RoomState) -> dict:
    return speakers.speakers_state(room.pk, room).model_dump(mode="json")


class RaiseHand(Payload):
    kind: Literal["speak", "reply"] = Field(default="speak", title=_("Kind of request"))
    note: str = Field(default="", max_length=300, title=_("Note"))


@ROOM_COMMANDS.command("speakers.raise_hand", permission=Perm.MEETING_ATTEND, payload=RaiseHand)
def raise_hand(ctx: RoomContext, payload: RaiseHand) -> dict:
    return {
        "entry_id": speakers.raise_hand(
            ctx.meeting, ctx.user, kind=payload.kind, note=payload.note, session_key=ctx.session_key
        )
    }


class RaiseNameplate(Payload):
    kind: Literal["point_of_order", "motion"] = Field(
        title=_("Point of order or procedural motion")
    )
    motion: Literal[tuple(m for m in SpeakerRequest.Motion.values if m)] | Literal[""] = Field(
        default="", title=_("Procedural motion")
    )
    note: str = Field(default="", max_length=300, title=_("Note"))


@ROOM_COMMANDS.command(
    "speakers.raise_nameplate", permission=Perm.MEETING_ATTEND, payload=RaiseNameplate
)
def raise_nameplate(ctx: RoomContext, payload: RaiseNameplate) -> dict:
    entry = speakers.raise_nameplate(
        ctx.meeting,
        ctx.user,
        kind=payload.kind,
        motion=payload.motion,
        note=payload.note,
        session_key=ctx.session_key,
    )
    return {"entry_id": entry}


REQUEST = _("Request on the list of speakers")
SPEAKING_TIME = _("Speaking time (seconds)")


class Entry(Payload):
    entry_id: int = Field(title=REQUEST)


@ROOM_COMMANDS.command("speakers.withdraw", permission=Perm.MEETING_ATTEND, payload=Entry)
def withdraw(ctx: RoomContext, payload: Entry) -> dict:
    speakers.withdraw(ctx.meeting, ctx.user, payload.entry_id, session_key=ctx.session_key)
    return {}


class GiveFloor(Payload):
    entry_id: int | None = Field(default=None, title=REQUEST)
    # give the floor to someone who did not ask
    participant_id: int | None = Field(default=None, title=_("Participant"))
    time_limit: int | None = Field(default=None, ge=0, le=3600, title=SPEAKING_TIME)


@ROOM_COMMANDS.command("speakers.give_floor", permission=Perm.MEETING_MODERATE, payload=GiveFloor)
def give_floor(ctx: RoomContext, payload: GiveFloor) -> dict:
    if payload.entry_id is not None:
        speakers.give_floor(
            ctx.meeting,
            ctx.user,
            payload.entry_id,
            time_limit=payload.time_limit,
            session_key=ctx.session_key,
        )
        return {"entry_id": payload.entry_id}
    if payload.participant_id is not None:
        entry = speakers.give_floor_to(
            ctx.meeting,
            ctx.user,
            payload.participant_id,
            time_limit=payload.time_limit,
            session_key=ctx.session_key,
        )
        return {"entry_id": entry}
    raise LiveError(
        _("Choose whom to give the floor to: a request on the list or someone in the room."),
        code="invalid",
    )


class EndFloor(Payload):
    ruling: str = Field(
        default="", max_length=500, title=_("Ruling on the point of order or motion")
    )


@ROOM_COMMANDS.command("speakers.end_floor", permission=Perm.MEETING_MODERATE, payload=EndFloor)
def end_floor(ctx: RoomContext, payload: EndFloor) -> dict:
    speakers.end_floor(ctx.meeting, ctx.user, ruling=payload.ruling, session_key=ctx.session_key)
    return {}


class Extend(Payload):
    seconds: int = Field(ge=1, le=3600, title=_("Additional speaking time (seconds)"))


@ROOM_COMMANDS.command("speakers.extend_time", permission=Perm.MEETING_MODERATE, payload=Extend)
def extend_time(ctx: RoomContext, payload: Extend) -> dict:
    speakers.extend_time(ctx.meeting, ctx.user, payload.seconds, session_key=ctx.session_key)
    return {}


class Dismiss(Payload):
    entry_id: int = Field(title=REQUEST)
    reason: str = Field(default="", max_length=500, title=_("Reason"))


@ROOM_COMMANDS.command("speakers.dismiss", permission=Perm.MEETING_MODERATE, payload=Dismiss)
def dismiss(ctx: RoomContext, payload: Dismiss) -> dict:
    speakers.dismiss(
        ctx.meeting, ctx.user, payload.entry_id, reason=payload.reason, session_key=ctx.session_key
    )
    return {}


class Reorder(Payload):
    order: list[int] = Field(max_length=1000, title=_("Order of the list of speakers"))


@ROOM_COMMANDS.command("speakers.reorder", permission=Perm.MEETING_MODERATE, payload=Reorder)
def reorder(ctx: RoomContext, payload: Reorder) -> dict:
    speakers.reorder(ctx.meeting, ctx.user, payload.order, session_key=ctx.session_key)
    return {}


class Rules(Payload):
    members_first: bool | None = Field(
        default=None, title=_("Council Members speak before observers")
    )
    time_limit: int | None = Field(default=None, ge=0, le=3600, title=SPEAKING_TIME)


@ROOM_COMMANDS.command("speakers.set_rules", permission=Perm.MEETING_MODERATE, payload=Rules)
def set_rules(ctx: RoomContext, payload: Rules) -> dict:
    speakers.set_rules(
        ctx.meeting,
        ctx.user,
        members_first=payload.members_first,
        time_limit=payload.time_limit,
        session_key=ctx.session_key,
    )
    return {}


@ROOM_COMMANDS.command("speakers.clear", permission=Perm.MEETING_MODERATE, payload=Payload)
def clear(ctx: RoomContext, payload: Payload) -> dict:
    return {"dismissed": speakers.clear_list(ctx.meeting, ctx.user, session_key=ctx.session_key)}
