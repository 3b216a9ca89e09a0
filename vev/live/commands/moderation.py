"""Moderation: mute all, unmute all, mute one, remove, readmit, lock."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from vev.council.permissions import Perm

from ..context import RoomContext
from ..services import moderation
from . import ROOM_COMMANDS


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Target(Payload):
    participant_id: int = Field(title=_("Participant"))


class Removal(Target):
    reason: str = Field(min_length=1, max_length=300, title=_("Reason for the removal"))


def _room(act):
    def handler(ctx: RoomContext, payload: Payload) -> dict:
        act(ctx.meeting, ctx.user, session_key=ctx.session_key)
        return {}

    return handler


for _name, _act in {
    "moderation.mute_all": moderation.mute_all,
    "moderation.unmute_all": moderation.unmute_all,
    "moderation.lock": moderation.lock,
    "moderation.unlock": moderation.unlock,
}.items():
    ROOM_COMMANDS.command(_name, permission=Perm.MEETING_MODERATE, payload=Payload)(_room(_act))


@ROOM_COMMANDS.command("moderation.mute", permission=Perm.MEETING_MODERATE, payload=Target)
def mute(ctx: RoomContext, payload: Target) -> dict:
    moderation.mute(ctx.meeting, ctx.user, payload.participant_id, session_key=ctx.session_key)
    return {}


@ROOM_COMMANDS.command("moderation.unmute", permission=Perm.MEETING_MODERATE, payload=Target)
def unmute(ctx: RoomContext, payload: Target) -> dict:
    moderation.unmute(ctx.meeting, ctx.user, payload.participant_id, session_key=ctx.session_key)
    return {}


@ROOM_COMMANDS.command("moderation.remove", permission=Perm.MEETING_MODERATE, payload=Removal)
def remove(ctx: RoomContext, payload: Removal) -> dict:
    moderation.remove(
        ctx.meeting,
        ctx.user,
        payload.participant_id,
        reason=payload.reason,
        session_key=ctx.session_key,
    )
    return {}


@ROOM_COMMANDS.command("moderation.readmit", permission=Perm.MEETING_MODERATE, payload=Target)
def readmit(ctx: RoomContext, payload: Target) -> dict:
    moderation.readmit(ctx.meeting, ctx.user, payload.participant_id, session_key=ctx.session_key)
    return {}
