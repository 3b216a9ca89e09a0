"""The signalling proxy: one participant's WebRTC connections to Janus, checked by vev.

Browsers never talk to Janus's API (it has an ``api_secret`` and listens on a Unix socket).
The live room's consumer opens one :class:`MediaSession` per participant connection and passes
it every ``media.*`` command as a typed request (``types.COMMANDS``) together with the current
:class:`~vev.media.services.types.FloorPolicy`. The session checks the participant's role
(computed once, :class:`~vev.media.services.access.MediaAccess`) and the policy, then speaks
Janus. Janus events of the participant's handles come back as
:class:`~vev.media.services.types.MediaEvent` through the ``send`` callback.

The rule Janus cannot enforce itself: a moderator's mute is advisory in Janus 1.1.2, so an
unmute (``SetMuted(muted=False)``) is refused unless ``policy.may_be_heard(user)``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.utils.translation import gettext as _

from vev.core.realtime import groups
from vev.core.realtime.publish import send_now_async

from ..errors import MediaConflict, MediaDenied, MediaError
from ..janus.interface import (
    AUDIOBRIDGE,
    STREAMING,
    VIDEOROOM,
    JanusEvent,
    JanusGateway,
    JanusHandle,
    JanusSession,
)
from . import generation, interpretation
from .access import MediaAccess, media_access
from .rooms import ID_FACTOR, RoomIds, ensure_media, gateway, user_of
from .types import (
    FLOOR_MID,
    Answer,
    BoothMic,
    BoothState,
    Channels,
    Done,
    FloorPolicy,
    HandleClosed,
    HandleConnected,
    HandleName,
    Handover,
    JanusCandidate,
    JoinBooth,
    Joined,
    JoinFloor,
    Jsep,
    Kicked,
    Leave,
    MediaEvent,
    MediaLost,
    MediaReply,
    MediaRequest,
    MuteChanged,
    Muted,
    Offer,
    PublishVideo,
    RoomMuted,
    SelectChannels,
    SetMuted,
    SubscribedStream,
    SubscribeVideo,
    Talking,
    Trickle,
    VideoPublishers,
    WatchStream,
)

logger = logging.getLogger(__name__)

Send = Callable[[MediaEvent], Awaitable[None] | None]


@dataclass
class _Handle:
    name: HandleName
    janus: JanusHandle
    janus_id: int = 0  # participant id in the audio/video room
    muted: bool = True
    channels: tuple[bool, str | None] = (True, None)  # stream: floor on?, language


async def open_media_session(
    meeting, user, send: Send | None = None, *, janus: JanusGateway | None = None
) -> MediaSession:
    """Check access, make sure the meeting's rooms exist, open a Janus session."""

    def prepare() -> tuple[MediaAccess, RoomIds]:
        close_old_connections()  # as channels' database_sync_to_async does
        try:
            access = media_access(user, meeting)
            if not access.may_watch:
                raise MediaDenied(_("You may not follow this meeting."))
            return access, ensure_media(meeting)
        finally:
            close_old_connections()

    access, ids = await sync_to_async(prepare)()
    session = MediaSession(access, ids, send)
    await session.connect(janus or gateway())
    return session


class MediaSession:
    """One participant's media on one connection to vev. Not thread-safe; one task drives it."""

    def __init__(self, access: MediaAccess, ids: RoomIds, send: Send | None = None) -> None:
        self.access = access
        self.ids = ids
        self.send = send
        self.session: JanusSession | None = None
        self.handles: dict[str, _Handle] = {}
        self._lock = asyncio.Lock()

    @property
    def user_id(self) -> int:
        return self.access.user_id

    async def connect(self, janus: JanusGateway) -> None:
        self.session = await janus.create_session(self._on_janus_event)

    async def close(self) -> None:
        """Hang up every handle and end the Janus session (idempotent). An interpreter who
        was in the booth leaves it: the room is told whether the channel is still on air."""
        session, self.session = self.session, None
        in_booth = "booth" in self.handles
        self.handles.clear()
        if session is not None:
            await session.destroy()
            if in_booth:
                await self._booth_left()

    async def _booth_left(self) -> None:
        """After leaving the booth: announce the channel's state once Janus no longer lists
        this connection's participant (its leave follows the hangup)."""
        language = self.access.booth_language
        if language is None or language not in self.ids.booths:
            return
        try:
            for _attempt in range(10):
                state = await self._booth_state(language)
                if self.user_id not in state.live:
                    break
                await asyncio.sleep(0.1)
            await self._publish(interpretation.channel_state(self.ids, state))
        except MediaError:
            logger.warning("meeting %s: could not read the booth", self.ids.meeting, exc_info=True)

    # -- dispatch ----------------------------------------------------------------------------
    async def handle(self, request: MediaRequest, policy: FloorPolicy) -> MediaReply:
        """Carry out one request; raises :class:`MediaError` (user-safe) when refused."""
        if self.session is None:
            raise MediaConflict(_("The media connection is closed."))
        method = getattr(self, f"_on_{type(request).__name__}", None)
        if method is None:
            raise MediaConflict(_("Unknown media request."))
        async with self._lock:
            return await method(request, policy)

    def _handle(self, name: str) -> _Handle:
        handle = self.handles.get(name)
        if handle is None:
            raise MediaConflict(_("That media connection is not open."))
        return handle

    async def _attach(self, name: HandleName, plugin: str) -> _Handle:
        if name in self.handles:
            raise MediaConflict(_("That media connection is already open."))
        assert self.session is not None  # noqa: S101 (checked in handle())
        handle = _Handle(name, await self.session.attach(plugin))
        self.handles[name] = handle
        return handle

    async def _drop(self, name: str) -> None:
        handle = self.handles.pop(name, None)
        if handle is not None:
            await handle.janus.detach()

    def _janus_id(self) -> int:
        return self.user_id * ID_FACTOR + secrets.randbelow(ID_FACTOR - 1) + 1

    # -- floor -------------------------------------------------------------------------------
    async def _on_JoinFloor(self, request: JoinFloor, policy: FloorPolicy) -> MediaReply:
        if not self.access.may_attend:
            raise MediaDenied(_("Only participants of this meeting may join its audio."))
        if not policy.may_join(self.user_id):
            raise MediaDenied(_("The meeting is locked: nobody new may join."))
        return await self._join_audio("floor", self.ids.floor, policy)

    async def _join_audio(self, name: HandleName, room: int, policy: FloorPolicy) -> Joined:
        handle = await self._attach(name, AUDIOBRIDGE)
        body = {"request": "join", "room": room, "display": self.access.display[:100]}
        body["muted"] = True
        if name == "floor" and self.user_id in policy.presiding:
            body["secret"] = self.ids.secret  # room admin: "mute all" does not silence them
        for _attempt in range(3):
            handle.janus_id = self._janus_id()
            try:
                await handle.janus.request({**body, "id": handle.janus_id})
                break
            except MediaError as error:
                if getattr(error, "janus_code", 0) != 490 or _attempt == 2:  # 490: id exists
                    await self._drop(name)
                    raise
        return Joined(handle=name, muted=True)

    async def _on_Offer(self, request: Offer, policy: FloorPolicy) -> MediaReply:
        handle = self._handle(request.handle)
        jsep = {"type": "offer", "sdp": request.sdp, "trickle": request.trickle}
        if request.handle == "video":
            if not policy.may_publish_video(self.user_id):
                raise MediaDenied(_("Only the speaker who holds the floor may show video."))
            descriptions = [
                {"mid": mid, "description": d} for mid, d in request.descriptions.items()
            ]
            body = {"request": "publish", "display": self.access.display[:100]}
            if descriptions:
                body["descriptions"] = descriptions
            reply = await handle.janus.request(body, jsep, timeout=15)
        else:
            reply = await handle.janus.request({"request": "configure"}, jsep, timeout=15)
        if not reply.jsep:
            raise MediaConflict(_("The media server did not answer the offer."))
        return Jsep(handle=request.handle, type="answer", sdp=reply.jsep["sdp"])

    async def _on_Answer(self, request: Answer, policy: FloorPolicy) -> MediaReply:
        handle = self._handle(request.handle)
        await handle.janus.request(
            {"request": "start"}, {"type": "answer", "sdp": request.sdp, "trickle": request.trickle}
        )
        return Done()

    async def _on_Trickle(self, request: Trickle, policy: FloorPolicy) -> MediaReply:
        handle = self._handle(request.handle)
        if request.candidate is not None:
            await handle.janus.trickle(request.candidate.model_dump(exclude_none=True))
        if request.completed:
            await handle.janus.trickle(None)
        return Done()

    async def _on_SetMuted(self, request: SetMuted, policy: FloorPolicy) -> MediaReply:
        handle = self._handle("floor")
        if not request.muted and not policy.may_be_heard(self.user_id):
            if policy.room_muted:
                message = _("The chair has muted all participants.")
            elif self.user_id in policy.muted:
                message = _("A moderator muted you: wait until the chair gives you the floor.")
            else:
                message = _("You may speak once the chair gives you the floor.")
            raise MediaDenied(message)
        await handle.janus.request({"request": "configure", "muted": request.muted})
        handle.muted = request.muted
        return Muted(muted=request.muted)

    async def _on_Leave(self, request: Leave, policy: FloorPolicy) -> MediaReply:
        self._handle(request.handle)
        await self._drop(request.handle)
        if request.handle == "booth":
            await self._booth_left()
        return Done()

    # -- webcast / channels ------------------------------------------------------------------
    def _check_channels(self, floor: bool, language: str | None) -> None:
        if language is not None and language not in self.ids.languages:
            raise MediaConflict(_("This meeting has no interpretation into that language."))

    async def _on_WatchStream(self, request: WatchStream, policy: FloorPolicy) -> MediaReply:
        if not self.access.may_watch:
            raise MediaDenied(_("You may not follow this meeting."))
        self._check_channels(request.floor, request.language)
        handle = await self._attach("stream", STREAMING)
        try:
            reply = await handle.janus.request({"request": "watch", "id": self.ids.mountpoint})
            handle.channels = (True, None)
            await self._select(handle, request.floor, request.language, initial=True)
        except MediaError:
            await self._drop("stream")
            raise
        if not reply.jsep:
            await self._drop("stream")
            raise MediaConflict(_("The media server did not offer the webcast."))
        return Jsep(handle="stream", type="offer", sdp=reply.jsep["sdp"])

    async def _select(
        self, handle: _Handle, floor: bool, language: str | None, *, initial: bool = False
    ) -> None:
        wanted = {FLOOR_MID} if floor else set()
        if language:
            wanted.add(language)
        old_floor, old_language = handle.channels
        current = set(self.ids.mids) if initial else ({FLOOR_MID} if old_floor else set())
        if not initial and old_language:
            current.add(old_language)
        # Turn the new channel on before the old one off: no gap when switching.
        for mid in sorted(wanted - current):
            await handle.janus.request({"request": "configure", "mid": mid, "send": True})
        for mid in sorted(current - wanted):
            await handle.janus.request({"request": "configure", "mid": mid, "send": False})
        handle.channels = (floor, language)

    async def _on_SelectChannels(self, request: SelectChannels, policy: FloorPolicy) -> MediaReply:
        handle = self._handle("stream")
        self._check_channels(request.floor, request.language)
        await self._select(handle, request.floor, request.language)
        return Channels(
            floor=request.floor, language=request.language, available=list(self.ids.languages)
        )

    # -- booth -------------------------------------------------------------------------------
    def _booth_language(self) -> str:
        language = self.access.booth_language
        if language is None or language not in self.ids.booths:
            raise MediaDenied(_("Only the interpreters of a booth may do this."))
        return language

    async def _on_JoinBooth(self, request: JoinBooth, policy: FloorPolicy) -> MediaReply:
        language = self._booth_language()
        return await self._join_audio("booth", self.ids.booths[language], policy)

    async def _on_BoothMic(self, request: BoothMic, policy: FloorPolicy) -> MediaReply:
        language = self._booth_language()
        handle = self._handle("booth")
        await handle.janus.request({"request": "configure", "muted": not request.on})
        handle.muted = not request.on
        return await self._booth_state(language, announce=True)

    async def _booth_state(self, language: str, *, announce: bool = False) -> BoothState:
        state = await sync_to_async(interpretation.booth_state, thread_sensitive=False)(
            self.ids, language
        )
        if announce:
            await self._publish(interpretation.channel_state(self.ids, state))
        return state

    async def _publish(self, event) -> None:
        """To the meeting's room group, now: there is no transaction in a media session. The
        generation of the media state goes first (``generation``: cached copies are stale)."""
        await generation.abump(self.ids.meeting)
        await send_now_async(groups.meeting(self.ids.meeting), event)

    async def _on_Handover(self, request: Handover, policy: FloorPolicy) -> MediaReply:
        language = self._booth_language()
        self._handle("booth")
        state = await sync_to_async(interpretation.handover, thread_sensitive=False)(
            self.ids, language, request.to_user, announce=False
        )
        await self._publish(interpretation.channel_state(self.ids, state))
        return state

    # -- video -------------------------------------------------------------------------------
    async def _on_PublishVideo(self, request: PublishVideo, policy: FloorPolicy) -> MediaReply:
        if not self.access.may_attend or not policy.may_publish_video(self.user_id):
            raise MediaDenied(_("Only the speaker who holds the floor may show video."))
        handle = await self._attach("video", VIDEOROOM)
        handle.janus_id = self._janus_id()
        try:
            reply = await handle.janus.request(
                {
                    "request": "join",
                    "ptype": "publisher",
                    "room": self.ids.video,
                    "id": handle.janus_id,
                    "display": self.access.display[:100],
                }
            )
        except MediaError:
            await self._drop("video")
            raise
        return Joined(
            handle="video", muted=False, publishers=self._publishers(reply.data.get("publishers"))
        )

    @staticmethod
    def _publishers(raw) -> list[dict]:
        return [
            {
                "feed": int(p["id"]),
                "user": user_of(int(p["id"])),
                "display": p.get("display", ""),
                "streams": [
                    {
                        "mid": s.get("mid"),
                        "type": s.get("type"),
                        "description": s.get("description"),
                    }
                    for s in p.get("streams", [])
                ],
            }
            for p in raw or []
        ]

    async def _on_SubscribeVideo(self, request: SubscribeVideo, policy: FloorPolicy) -> MediaReply:
        if not self.access.may_watch:
            raise MediaDenied(_("You may not follow this meeting."))
        await self._drop("video_sub")
        handle = await self._attach("video_sub", VIDEOROOM)
        try:
            reply = await handle.janus.request(
                {
                    "request": "join",
                    "ptype": "subscriber",
                    "room": self.ids.video,
                    "streams": [{"feed": feed} for feed in request.feeds],
                },
                timeout=15,
            )
        except MediaError:
            await self._drop("video_sub")
            raise
        if not reply.jsep:
            await self._drop("video_sub")
            raise MediaConflict(_("The media server did not offer the video."))
        streams = [
            SubscribedStream(
                mid=str(s["mid"]),
                type=s["type"],
                feed=int(s["feed_id"]),
                user=user_of(int(s["feed_id"])),
                display=s.get("feed_display", ""),
                description=s.get("feed_description"),
            )
            for s in reply.data.get("streams", [])
            if s.get("feed_id") is not None and s.get("type") in ("audio", "video")
        ]
        return Jsep(handle="video_sub", type="offer", sdp=reply.jsep["sdp"], streams=streams)

    # -- events from Janus -------------------------------------------------------------------
    def _name_of(self, handle_id: int | None) -> _Handle | None:
        for handle in self.handles.values():
            if handle.janus.id == handle_id:
                return handle
        return None

    async def _emit(self, event: MediaEvent) -> None:
        if self.send is None:
            return
        result = self.send(event)
        if inspect.isawaitable(result):
            await result

    async def _on_janus_event(self, event: JanusEvent) -> None:
        if event.kind == "closed":
            self.handles.clear()
            await self._emit(MediaLost(message=_("The connection to the media server was lost.")))
            return
        handle = self._name_of(event.handle_id)
        if handle is None:
            return
        for media_event in self._translate(handle, event):
            if isinstance(media_event, Kicked) and self.handles.get(handle.name) is handle:
                # Janus closed the PeerConnection; the participant may rejoin if allowed.
                await self._drop(handle.name)
            await self._emit(media_event)

    def _translate(self, handle: _Handle, event: JanusEvent) -> list[MediaEvent]:
        name = handle.name
        if event.kind == "webrtcup":
            return [HandleConnected(handle=name)]
        if event.kind == "hangup":
            return [HandleClosed(handle=name, reason=str(event.data.get("reason", "")))]
        if event.kind == "trickle":
            return [JanusCandidate(handle=name, candidate=event.data.get("candidate"))]
        if event.kind != "plugin":
            return []
        data = event.data
        events: list[MediaEvent] = []
        if name in ("floor", "booth"):
            kind = data.get("audiobridge")
            if kind in ("talking", "stopped-talking"):
                events.append(
                    Talking(handle=name, user=user_of(data["id"]), talking=kind == "talking")
                )
            if "muted" in data and kind == "event" and "participants" not in data:
                events.append(RoomMuted(muted=bool(data["muted"])))
            for participant in data.get("participants", []):
                if "muted" in participant:
                    events.append(
                        MuteChanged(
                            handle=name,
                            user=user_of(participant["id"]),
                            muted=bool(participant["muted"]),
                        )
                    )
            if data.get("kicked") == handle.janus_id or data.get("result") == "kicked":
                events.append(Kicked(handle=name))
        elif name == "video" and data.get("videoroom") in ("event", "joined"):
            if "publishers" in data:
                events.append(VideoPublishers(publishers=self._publishers(data["publishers"])))
            if data.get("kicked") == handle.janus_id:
                events.append(Kicked(handle=name))
        return events
