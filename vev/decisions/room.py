"""The objection call in the meeting room: commands, snapshot section and due handler.

Registered on the live room's socket (``vev.live.commands.ROOM_COMMANDS``) when the app loads;
the chair puts a conclusion to the meeting, Council Members object from the room, every process
serving the meeting closes the call at its time (``vev.live.timers``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vev.council.permissions import Perm
from vev.live.commands import ROOM_COMMANDS
from vev.live.context import RoomContext
from vev.live.models import RoomState
from vev.live.snapshot import section
from vev.live.timers import on_due

from .services import conclusions


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


@section("conclusions")
def conclusions_section(ctx: RoomContext, room: RoomState) -> dict:
    return conclusions.room_state(room.meeting, ctx.user)


@on_due("conclusions.call_opened", "conclusions.call_extended")
def close_when_due(meeting_id: int) -> None:
    conclusions.close_due_calls(meeting_id)


class OpenCall(Payload):
    conclusion_id: int
    seconds: int | None = Field(default=None, ge=10, le=600)


@ROOM_COMMANDS.command("conclusions.open_call", permission=Perm.MEETING_PRESIDE, payload=OpenCall)
def open_call(ctx: RoomContext, payload: OpenCall) -> dict:
    call = conclusions.open_call(
        payload.conclusion_id,
        ctx.meeting,
        ctx.user,
        seconds=payload.seconds,
        session_key=ctx.session_key,
    )
    return {"call_id": call.pk}


class Call(Payload):
    call_id: int


class Object(Call):
    reason: str = Field(default="", max_length=1000)


@ROOM_COMMANDS.command("conclusions.object", permission=Perm.MEETING_DECIDE, payload=Object)
def object_(ctx: RoomContext, payload: Object) -> dict:
    objection = conclusions.raise_objection(
        payload.call_id, ctx.user, reason=payload.reason, session_key=ctx.session_key
    )
    return {"objection_id": objection.pk}


@ROOM_COMMANDS.command(
    "conclusions.withdraw_objection", permission=Perm.MEETING_DECIDE, payload=Call
)
def withdraw_objection(ctx: RoomContext, payload: Call) -> dict:
    conclusions.withdraw_objection(payload.call_id, ctx.user, session_key=ctx.session_key)
    return {}


@ROOM_COMMANDS.command("conclusions.close_call", permission=Perm.MEETING_PRESIDE, payload=Call)
def close_call(ctx: RoomContext, payload: Call) -> dict:
    call = conclusions.close_call(payload.call_id, ctx.user, session_key=ctx.session_key)
    return {"status": call.status, "outcome": call.outcome}


class Resolve(Call):
    decision: Literal["wait", "recall", "record"]
    seconds: int = Field(default=60, ge=10, le=600)


@ROOM_COMMANDS.command("conclusions.resolve_hold", permission=Perm.MEETING_PRESIDE, payload=Resolve)
def resolve_hold(ctx: RoomContext, payload: Resolve) -> dict:
    call = conclusions.resolve_hold(
        payload.call_id,
        ctx.user,
        decision=payload.decision,
        seconds=payload.seconds,
        session_key=ctx.session_key,
    )
    return {"call_id": call.pk, "status": call.status}


class Draft(Payload):
    text: str = Field(min_length=1, max_length=10_000)
    allocation_id: int | None = None


@ROOM_COMMANDS.command("conclusions.draft", permission=Perm.MEETING_PRESIDE, payload=Draft)
def draft(ctx: RoomContext, payload: Draft) -> dict:
    """The chair drafts a conclusion for the item under discussion, from the console: the one
    the page names or, if it names none (the take-up not yet on the page), the room's."""
    from vev.council.models import AgendaAllocation

    allocation_id = payload.allocation_id
    if allocation_id is None:
        allocation_id = (
            RoomState.objects.filter(meeting=ctx.meeting)
            .values_list("current_allocation_id", flat=True)
            .first()
        )
    item = None
    if allocation_id is not None:
        allocation = (
            AgendaAllocation.objects.filter(meeting=ctx.meeting, pk=allocation_id)
            .select_related("item")
            .first()
        )
        item = allocation.item if allocation else None
    conclusion = conclusions.draft(
        ctx.event, ctx.user, text=payload.text, agenda_item=item, session_key=ctx.session_key
    )
    return {"conclusion_id": conclusion.pk}
