"""Support in the meeting room: report a problem, the tickets and the connection log.

Registered on the room socket (``vev.live.commands.ROOM_COMMANDS``) when the app loads.
"""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from vev.council.permissions import Perm
from vev.live.commands import ROOM_COMMANDS
from vev.live.context import RoomContext
from vev.live.models import RoomState
from vev.live.snapshot import section

from .models import DESCRIPTION_MAX
from .services import connections, tickets


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


@section("support")
def support_section(ctx: RoomContext, room: RoomState) -> dict:
    data = {
        "contact": room.meeting.event.support,
        "mine": tickets.my_tickets(room.meeting, ctx.user),
    }
    if ctx.access.may_support:
        data["open"] = tickets.open_tickets(room.meeting.event, ctx.user)
        data["connections"] = connections.connection_log(room.meeting, ctx.user)
    return data


class Report(Payload):
    category: Literal["audio", "video", "interpretation", "connection", "documents", "other"] = (
        Field(title=_("What does it concern?"))
    )
    # The service checks the length and says so in the user's language.
    description: str = Field(max_length=DESCRIPTION_MAX * 4, title=_("What happens?"))
    user_agent: str = Field(default="", max_length=2000)
    connection_state: str = Field(default="", max_length=200)


@ROOM_COMMANDS.command("support.report", permission=Perm.MEETING_ATTEND, payload=Report)
def report(ctx: RoomContext, payload: Report) -> dict:
    ticket = tickets.report(
        ctx.meeting,
        ctx.user,
        category=payload.category,
        description=payload.description,
        user_agent=payload.user_agent,
        connection_state=payload.connection_state,
    )
    return {"ticket_id": ticket.pk}


@ROOM_COMMANDS.command("support.tickets", permission=Perm.MEETING_SUPPORT)
def open_tickets(ctx: RoomContext, payload: Payload) -> dict:
    return {"tickets": tickets.open_tickets(ctx.event, ctx.user)}


class TicketRef(Payload):
    ticket_id: int


@ROOM_COMMANDS.command("support.take", permission=Perm.MEETING_SUPPORT, payload=TicketRef)
def take(ctx: RoomContext, payload: TicketRef) -> dict:
    ticket = tickets.take(ctx.event, ctx.user, payload.ticket_id)
    return {"status": ticket.status}


class Resolve(TicketRef):
    resolution: str = Field(default="", max_length=500, title=_("What was done"))


@ROOM_COMMANDS.command("support.resolve", permission=Perm.MEETING_SUPPORT, payload=Resolve)
def resolve(ctx: RoomContext, payload: Resolve) -> dict:
    ticket = tickets.resolve(ctx.event, ctx.user, payload.ticket_id, resolution=payload.resolution)
    return {"status": ticket.status}


@ROOM_COMMANDS.command("support.connections", permission=Perm.MEETING_SUPPORT)
def connection_log(ctx: RoomContext, payload: Payload) -> dict:
    return {"connections": connections.connection_log(ctx.meeting, ctx.user)}


class ParticipantRef(Payload):
    participant_id: int = Field(title=_("Participant"))


@ROOM_COMMANDS.command(
    "support.reset_connection", permission=Perm.MEETING_SUPPORT, payload=ParticipantRef
)
def reset_connection(ctx: RoomContext, payload: ParticipantRef) -> dict:
    """Close the participant's sockets with 4000: their page reconnects and resumes."""
    closed = connections.reset_connection(
        ctx.meeting, ctx.user, payload.participant_id, session_key=ctx.session_key
    )
    return {"connections": closed}
