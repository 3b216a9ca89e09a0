"""The chat in the meeting room: commands and the snapshot section (``vev.live`` extension).

Registered on the room socket (``vev.live.commands.ROOM_COMMANDS``) when the app loads.
"""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from vev.council.permissions import Perm
from vev.live.commands import ROOM_COMMANDS
from vev.live.context import RoomContext
from vev.live.models import RoomState
from vev.live.snapshot import section

from .models import MAX_LENGTH
from .services import messages


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


@section("chat")
def chat_section(ctx: RoomContext, room: RoomState) -> dict:
    return {
        "max_length": MAX_LENGTH,
        "messages": messages.history(room.meeting, ctx.user, secretariat=ctx.access.is_secretariat),
    }


class Send(Payload):
    audience: Literal["all", "private", "secretariat"] = Field(
        title=pgettext_lazy("chat message recipient", "To")
    )
    # The service checks the length and says so in the user's language.
    text: str = Field(max_length=MAX_LENGTH * 4, title=_("Message"))
    #: private: the addressee; secretariat (the secretariat only): the participant answered
    to_participant: int | None = Field(default=None, title=_("Participant"))


@ROOM_COMMANDS.command("chat.send", permission=Perm.MEETING_ATTEND, payload=Send)
def send(ctx: RoomContext, payload: Send) -> dict:
    message = messages.send(
        ctx.meeting,
        ctx.user,
        audience=payload.audience,
        text=payload.text,
        to_participant=payload.to_participant,
    )
    return {"message_id": message.pk}


class Delete(Payload):
    message_id: int
    reason: str = Field(max_length=300, title=_("Reason"))


@ROOM_COMMANDS.command("chat.delete", permission=Perm.MEETING_MODERATE, payload=Delete)
def delete(ctx: RoomContext, payload: Delete) -> dict:
    messages.delete(ctx.meeting, ctx.user, payload.message_id, reason=payload.reason)
    return {}
