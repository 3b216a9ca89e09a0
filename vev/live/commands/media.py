"""Audio, interpretation, webcast and video in the room: ``media.*`` commands (vev.media).

Each connection gets its own :class:`~vev.media.services.signalling.MediaSession`, opened on the
first media command and closed with the socket. Every command checks its permission here
(``Perm``) and the media session checks the finer rules with the floor policy the room builds
from its state at that moment (``floor.floor_policy``): who holds the floor, whose microphone
the chair opened, "mute all", muted one by one, locked. Janus's events for the participant's
handles come back on this socket only; booth on/off air (``media.channel_state``), the
recording indicator (``media.recording``) and the video publishers (``media.video``) reach the
whole room through the room group (no sequence number: they are signals). A connecting client
gets their current state in the snapshot section ``media``, a resuming one in a
``media.state`` frame after the replay.

The chair's open microphones (``floor.open_mic`` / ``floor.close_mic``,
``vev.live.services.floor``) are registered here too: they are the floor policy's business.

Replies: the reply model of docs/subsystems/media.md as ``result``. Errors: ``denied`` (role or
floor policy, with the reason), ``conflict`` (not joined, already joined…), ``unavailable``
(no media server: the message says why), ``invalid`` (payload).
"""

from __future__ import annotations

import logging
import time

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from vev.core.realtime import groups
from vev.core.realtime.consumer import CommandError
from vev.core.realtime.publish import publish_on_commit, send_now_async
from vev.council.models import StaffAssignment
from vev.council.permissions import Perm
from vev.media.errors import MediaError, MediaUnavailable
from vev.media.models import MediaRoom
from vev.media.services import generation, recording
from vev.media.services.access import media_access
from vev.media.services.interpretation import booth_state
from vev.media.services.rooms import room_ids, video_publishers
from vev.media.services.signalling import MediaSession, open_media_session
from vev.media.services.types import (
    COMMANDS,
    HandleClosed,
    HandleConnected,
    Leave,
    MediaEvent,
    MediaRequest,
    VideoChanged,
)
from vev.media.status import media_status

from ..context import RoomContext
from ..models import Participant, RoomState
from ..services import floor
from ..services.floor import floor_policy
from ..snapshot import after_resume, section
from ..streams import user_group
from . import ROOM_COMMANDS

logger = logging.getLogger(__name__)

#: The permission each media command needs on the socket (the session checks the rest).
PERMISSIONS: dict[str, Perm] = {
    "media.join_floor": Perm.MEETING_ATTEND,
    "media.set_muted": Perm.MEETING_ATTEND,
    "media.publish_video": Perm.MEETING_ATTEND,
    "media.offer": Perm.MEETING_VIEW,  # the handle must be joined: the join was checked
    "media.answer": Perm.MEETING_VIEW,
    "media.trickle": Perm.MEETING_VIEW,
    "media.leave": Perm.MEETING_VIEW,
    "media.watch": Perm.MEETING_VIEW,
    "media.select_channels": Perm.MEETING_VIEW,
    "media.subscribe_video": Perm.MEETING_VIEW,
    "media.join_booth": Perm.MEDIA_INTERPRET,
    "media.booth_mic": Perm.MEDIA_INTERPRET,
    "media.handover": Perm.MEDIA_INTERPRET,
}
assert set(PERMISSIONS) == set(COMMANDS)  # noqa: S101 (import-time consistency)

_SESSION = "media"
#: How long the snapshot may reuse the media server's status and the booths' on-air state.
STATUS_TTL = 10.0
CHANNELS_TTL = 2.0
_status_cache: tuple[float, dict] | None = None
#: meeting → (read at, generation read before, channels on air, video publishers)
_channels_cache: dict[int, tuple[float, int, dict[str, bool], list[dict]]] = {}


def current_status() -> dict:
    """``media_status().to_wire()``, asked at most every ``STATUS_TTL`` seconds per process."""
    global _status_cache
    now = time.monotonic()
    if _status_cache is None or now - _status_cache[0] > STATUS_TTL:
        _status_cache = (now, media_status().to_wire())
    return _status_cache[1]


def forget_status() -> None:
    global _status_cache
    _status_cache = None
    _channels_cache.clear()


def live_channels(meeting) -> tuple[dict[str, bool], list[dict]]:
    """Language → an interpreter's microphone is on in that booth, and who shows video now
    (both empty without media). A copy is reused for ``CHANNELS_TTL`` seconds unless the
    meeting's media generation changed since it was read (``vev.media.services.generation``)."""
    cached = _channels_cache.get(meeting.pk)
    now = time.monotonic()
    current = generation.generation(meeting.pk)
    if cached is not None and now - cached[0] < CHANNELS_TTL and cached[1] == current:
        return cached[2], cached[3]
    channels: dict[str, bool] = {}
    publishers: list[dict] = []
    room = MediaRoom.objects.filter(meeting=meeting, active=True).first()
    if room is not None and current_status()["available"]:
        ids = room_ids(meeting)
        try:
            for language in ids.booths:
                channels[language] = bool(booth_state(ids, language).live)
            publishers = video_publishers(ids)
        except MediaError:
            logger.warning("meeting %s: could not read the booths", meeting.pk, exc_info=True)
            channels, publishers = {}, []
    _channels_cache[meeting.pk] = (now, current, channels, publishers)
    return channels, publishers


@section("media")
def media_section(ctx: RoomContext, room: RoomState) -> dict:
    meeting = room.meeting
    access = media_access(ctx.user, meeting)
    languages = list(meeting.event.languages)
    channels, publishers = live_channels(meeting)
    return {
        "status": current_status(),
        "languages": languages,
        "live": {language: channels.get(language, False) for language in languages},
        "recording": recording.running_recording(meeting) is not None,
        "video": publishers,
        "may_attend": access.may_attend,
        "booth": access.booth_language,
        "may_record": access.may_record and not meeting.is_closed,
        "closed": meeting.is_closed,
        "open_mics": [m.model_dump() for m in floor.open_mics(meeting.pk)],
    }


@after_resume
def media_state(ctx: RoomContext) -> dict:
    """The media state that is not on the numbered room stream (booths on air, recording,
    video publishers: their signals are not replayed), read now for a client that resumes, so
    that nothing it missed while away stays wrong on its screen. Signals published after the
    client subscribed reach it after this frame."""
    meeting = ctx.meeting
    languages = list(meeting.event.languages)
    channels, publishers = live_channels(meeting)
    return {
        "type": "media.state",
        "meeting": meeting.pk,
        "live": {language: channels.get(language, False) for language in languages},
        "recording": recording.running_recording(meeting) is not None,
        "video": publishers,
    }


# -- the session of one connection ---------------------------------------------------------------
async def _session(ctx: RoomContext) -> MediaSession:
    session = ctx.resources.get(_SESSION)
    if session is not None and session.session is not None:
        return session

    async def send(event: MediaEvent) -> None:
        if ctx.send is not None:
            await ctx.send(event.to_wire())
        if isinstance(event, HandleConnected | HandleClosed) and event.handle == "video":
            await announce_video(ctx.meeting.pk)

    session = await open_media_session(ctx.meeting, ctx.user, send)
    ctx.resources[_SESSION] = session
    if not any(getattr(release, "media", False) for release in ctx.on_close):

        async def release() -> None:
            opened = ctx.resources.pop(_SESSION, None)
            if opened is not None:
                showed_video = "video" in opened.handles
                await opened.close()
                if showed_video:
                    await announce_video(ctx.meeting.pk)

        release.media = True  # type: ignore[attr-defined]
        ctx.on_close.append(release)
    return session


def _publishers_now(meeting_id: int) -> list[dict]:
    from vev.council.models import Meeting

    meeting = Meeting.objects.select_related("event").get(pk=meeting_id)
    publishers = video_publishers(room_ids(meeting))
    generation.bump(meeting_id)
    return publishers


async def announce_video(meeting_id: int) -> None:
    """Tell the room who shows video now (a publisher connected, stopped or left)."""
    try:
        publishers = await database_sync_to_async(_publishers_now)(meeting_id)
    except MediaError:
        logger.warning("meeting %s: could not list the video publishers", meeting_id)
        return
    await send_now_async(
        groups.meeting(meeting_id), VideoChanged(meeting=meeting_id, publishers=publishers)
    )


@database_sync_to_async
def _is_passive(ctx: RoomContext) -> bool:
    mode = Participant.objects.filter(pk=ctx.participant_id).values_list("mode", flat=True).first()
    return mode != Participant.Mode.ACTIVE


@database_sync_to_async
def _policy(meeting_id: int):
    return floor_policy(meeting_id)


async def _unavailable(error: MediaError) -> CommandError:
    status = await sync_to_async(media_status, thread_sensitive=False)()
    forget_status()
    message = status.message if not status.available else str(error)
    return CommandError(message, code="unavailable")


async def run_media(ctx: RoomContext, request: MediaRequest) -> dict:
    """Carry out one media request as the connection's participant."""
    name = type(request).__name__
    if name in ("JoinFloor", "PublishVideo") and await _is_passive(ctx):
        raise CommandError(
            _("You follow the meeting on the webcast: ask your delegation for a seat first."),
            code="denied",
        )
    try:
        session = await _session(ctx)
        reply = await session.handle(request, await _policy(ctx.meeting.pk))
    except MediaUnavailable as error:
        raise await _unavailable(error) from error
    except MediaError as error:
        raise CommandError(str(error), code=error.code) from error
    if isinstance(request, Leave) and request.handle == "video":
        await announce_video(ctx.meeting.pk)
    return reply.model_dump()


def _register(name: str, model: type[MediaRequest]) -> None:
    async def handler(ctx: RoomContext, payload: MediaRequest) -> dict:
        return await run_media(ctx, payload)

    handler.__name__ = name.replace(".", "_")
    ROOM_COMMANDS.command(name, permission=PERMISSIONS[name], payload=model)(handler)


for _name, _model in COMMANDS.items():
    _register(_name, _model)


# -- recording (the secretariat) ------------------------------------------------------------------
class Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _recording(act, ctx: RoomContext) -> dict:
    try:
        act(ctx.meeting, by=ctx.user)
    except MediaUnavailable as error:
        raise CommandError(media_status().message, code="unavailable") from error
    except MediaError as error:
        raise CommandError(str(error), code=error.code) from error
    return {"recording": recording.running_recording(ctx.meeting) is not None}


@ROOM_COMMANDS.command("media.record_start", permission=Perm.MEDIA_RECORD, payload=Empty)
def record_start(ctx: RoomContext, payload: Empty) -> dict:
    """Record the floor and every booth (never in a closed meeting)."""
    return _recording(recording.start_recording, ctx)


@ROOM_COMMANDS.command("media.record_stop", permission=Perm.MEDIA_RECORD, payload=Empty)
def record_stop(ctx: RoomContext, payload: Empty) -> dict:
    return _recording(recording.stop_recording, ctx)


# -- microphones the chair opens (heard without the floor) ----------------------------------------
class MicTarget(BaseModel):
    model_config = ConfigDict(extra="forbid")
    participant_id: int


@ROOM_COMMANDS.command("floor.open_mic", permission=Perm.MEETING_MODERATE, payload=MicTarget)
def open_mic(ctx: RoomContext, payload: MicTarget) -> dict:
    """Open a participant's microphone: Janus unmutes them and they may speak without the
    floor until it is closed (``vev.live.services.floor``)."""
    floor.open_mic(ctx.meeting, ctx.user, payload.participant_id, session_key=ctx.session_key)
    return {}


@ROOM_COMMANDS.command("floor.close_mic", permission=Perm.MEETING_MODERATE, payload=MicTarget)
def close_mic(ctx: RoomContext, payload: MicTarget) -> dict:
    floor.close_mic(ctx.meeting, ctx.user, payload.participant_id, session_key=ctx.session_key)
    return {}


# -- booth chat (interpreters of one booth) ----------------------------------------------------
class BoothChat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=500)


def booth_partners(meeting, language: str) -> list[int]:
    """The interpreters whose booth (first language of their assignment) is ``language``."""
    rows = StaffAssignment.objects.filter(
        event=meeting.event, function=StaffAssignment.Function.INTERPRETER
    ).values_list("user_id", "languages")
    return [uid for uid, languages in rows if languages and languages[0] == language]


@ROOM_COMMANDS.command("media.booth_chat", permission=Perm.MEDIA_INTERPRET, payload=BoothChat)
def booth_chat(ctx: RoomContext, payload: BoothChat) -> dict:
    """A message to the partners of one's booth (not stored: the booth's working notes)."""
    access = media_access(ctx.user, ctx.meeting)
    if access.booth_language is None:
        raise CommandError(_("Only the interpreters of a booth may do this."), code="denied")
    text = payload.text.strip()
    if not text:
        raise CommandError(_("Write a message first."), code="invalid")
    event = {
        "type": "media.booth_chat",
        "language": access.booth_language,
        "user": ctx.user.pk,
        "name": access.display,
        "text": text,
        "at": timezone.now().isoformat(),
    }
    for uid in booth_partners(ctx.meeting, access.booth_language):
        publish_on_commit(user_group(ctx.meeting.pk, uid), event)
    return {"sent": True}
