"""The meeting's flow: open, suspend, resume, close, take up and close items, the summary."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from vev.council.permissions import Perm

from ..context import RoomContext
from ..models import RoomState
from ..services import flow
from ..snapshot import section
from . import ROOM_COMMANDS


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


@section("flow")
def flow_section(ctx: RoomContext, room: RoomState) -> dict:
    state = flow.flow_state(room.meeting, room)
    if ctx.access.may_preside or ctx.access.is_secretariat:
        # Continuity (DM-20/1004 Annex 2): what delegations missed of the previous meeting, and
        # which registered Council Members never connected to it.
        state.update(flow.continuity(room.meeting))
    return state


def _act(act):
    def handler(ctx: RoomContext, payload: Payload) -> dict:
        act(ctx.meeting, ctx.user, session_key=ctx.session_key)
        return {}

    return handler


for _name, _function in {
    "flow.open": flow.open_meeting,
    "flow.suspend": flow.suspend,
    "flow.resume": flow.resume,
    "flow.close": flow.close_meeting,
    "flow.close_item": flow.close_item,
}.items():
    ROOM_COMMANDS.command(_name, permission=Perm.MEETING_MODERATE, payload=Payload)(_act(_function))


class TakeUp(Payload):
    allocation_id: int = Field(title=_("Agenda item"))


@ROOM_COMMANDS.command("flow.take_up_item", permission=Perm.MEETING_MODERATE, payload=TakeUp)
def take_up(ctx: RoomContext, payload: TakeUp) -> dict:
    flow.take_up_item(ctx.meeting, ctx.user, payload.allocation_id, session_key=ctx.session_key)
    return {}


class Summary(Payload):
    text: str = Field(
        max_length=8000, title=_("Summary of the previous meeting (shown to everyone)")
    )


@ROOM_COMMANDS.command("flow.set_summary", permission=Perm.MEETING_MODERATE, payload=Summary)
def set_summary(ctx: RoomContext, payload: Summary) -> dict:
    flow.set_summary(ctx.meeting, ctx.user, payload.text, session_key=ctx.session_key)
    return {}


class ReturnTo(Payload):
    item_id: int = Field(title=_("Agenda item"))


@ROOM_COMMANDS.command("flow.return_to_item", permission=Perm.MEETING_MODERATE, payload=ReturnTo)
def return_to_item(ctx: RoomContext, payload: ReturnTo) -> dict:
    return {
        "allocation_id": flow.return_to_item(
            ctx.meeting, ctx.user, payload.item_id, session_key=ctx.session_key
        )
    }
