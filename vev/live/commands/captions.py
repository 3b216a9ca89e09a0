"""Live captions: the snapshot's last lines, and the caption address on the consoles."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from vev.council.permissions import Perm, has_perm

from ..context import RoomContext
from ..models import RoomState
from ..services import captions
from ..snapshot import section
from . import ROOM_COMMANDS


@section("captions")
def captions_section(ctx: RoomContext, room: RoomState) -> dict:
    meeting = room.meeting
    return {
        "active": captions.active_feed(meeting) is not None,
        "languages": list(meeting.event.languages),
        "lines": captions.recent_lines(meeting),
    }


class Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateFeed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # when the provider names none
    language: str | None = Field(default=None, max_length=8, title=_("Language"))


def _info(ctx: RoomContext) -> dict:
    info = captions.feed_info(captions.active_feed(ctx.meeting), with_address=True)
    info["may_manage"] = has_perm(ctx.user, Perm.CAPTIONS_MANAGE, ctx.event)
    return info


@ROOM_COMMANDS.command("captions.feed", permission=Perm.CAPTIONS_PROVIDE)
def feed(ctx: RoomContext, payload: Empty) -> dict:
    """The caption address to give the provider, and what arrived on it per language."""
    return _info(ctx)


@ROOM_COMMANDS.command("captions.feed_create", permission=Perm.CAPTIONS_MANAGE, payload=CreateFeed)
def feed_create(ctx: RoomContext, payload: CreateFeed) -> dict:
    captions.create_feed(
        ctx.user, ctx.meeting, language=payload.language, session_key=ctx.session_key
    )
    return _info(ctx)


@ROOM_COMMANDS.command("captions.feed_rotate", permission=Perm.CAPTIONS_MANAGE)
def feed_rotate(ctx: RoomContext, payload: Empty) -> dict:
    captions.rotate_feed(ctx.user, ctx.meeting, session_key=ctx.session_key)
    return _info(ctx)


@ROOM_COMMANDS.command("captions.feed_revoke", permission=Perm.CAPTIONS_MANAGE)
def feed_revoke(ctx: RoomContext, payload: Empty) -> dict:
    captions.revoke_feed(ctx.user, ctx.meeting, session_key=ctx.session_key)
    return _info(ctx)


@ROOM_COMMANDS.command("captions.reset_sequence", permission=Perm.CAPTIONS_PROVIDE)
def reset_sequence(ctx: RoomContext, payload: Empty) -> dict:
    """The provider's software restarted its count: accept ``seq`` 1 again (every language)."""
    captions.reset_sequence(ctx.user, ctx.meeting, session_key=ctx.session_key)
    return _info(ctx)
