"""The typed interface between the live room and the media layer.

* :class:`FloorPolicy` — the live room's floor and moderation state, as the media layer needs it.
* Requests (``COMMANDS``: WebSocket command name → pydantic model) a participant's browser sends
  through vev's WebSocket; :class:`~vev.media.services.signalling.MediaSession` carries them out.
* Replies and :class:`MediaEvent` subclasses sent back to that participant's browser, and
  :class:`ChannelStateChanged` published to the meeting's room group.

Every model forbids unknown fields, so a payload that drifts from docs/subsystems/media.md fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vev.core.realtime.schema import BaseEvent

from ..conf import LANGUAGE_MIDS

Language = Literal["ar", "zh", "en", "fr", "ru", "es"]
#: A participant's WebRTC connections: ``floor`` (AudioBridge floor room, send and receive),
#: ``booth`` (interpreter in their booth room), ``stream`` (webcast: floor + language channels,
#: receive only), ``video`` (VideoRoom publisher: camera and/or screen), ``video_sub`` (VideoRoom
#: subscriber: the speakers' video and shared screens).
HandleName = Literal["floor", "booth", "stream", "video", "video_sub"]
FLOOR_MID = "floor"
assert set(LANGUAGE_MIDS) == set(Language.__args__)  # noqa: S101 (import-time consistency)


@dataclass(frozen=True)
class FloorPolicy:
    """Who may be heard in a meeting now. Built by the live room from its state (user ids,
    ``vev.live.services.floor.floor_policy``).

    * ``speakers`` — may be heard now: whoever holds the floor, and everyone whose microphone
      the chair opened (``Participant.mic_open``: heard without the floor until the chair
      closes it, mutes them or mutes all). Only they may unmute themselves; anyone else's
      self-unmute is refused by the signalling proxy.
    * ``presiding`` — the chair and those helping them (moderator, secretariat): always heard,
      join the floor as Janus room admins, so "mute all" does not silence them.
    * ``room_muted`` — "mute all" is in force (Janus ``mute_room``).
    * ``muted`` — muted one by one by a moderator: they may not unmute themselves.
    * ``locked`` — nobody new may join the floor audio; ``present`` may (re)join.
    """

    speakers: frozenset[int] = frozenset()
    presiding: frozenset[int] = frozenset()
    room_muted: bool = False
    muted: frozenset[int] = frozenset()
    locked: bool = False
    present: frozenset[int] = frozenset()

    def may_be_heard(self, user_id: int) -> bool:
        if user_id in self.presiding:
            return True
        if self.room_muted or user_id in self.muted:
            return False
        return user_id in self.speakers

    def may_join(self, user_id: int) -> bool:
        return not self.locked or user_id in self.present or user_id in self.presiding

    def may_publish_video(self, user_id: int) -> bool:
        return self.may_be_heard(user_id)


# -- requests ----------------------------------------------------------------------------------
class MediaRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JoinFloor(MediaRequest):
    """Join the floor audio room (muted). Then send an ``Offer`` for handle ``floor``."""


class Offer(MediaRequest):
    """The browser's SDP offer for a handle it publishes on (floor, booth, video)."""

    handle: Literal["floor", "booth", "video"]
    sdp: str = Field(max_length=200_000)
    #: video only: label of each video m-line, e.g. {"1": "camera", "2": "screen"}
    descriptions: dict[str, Literal["camera", "screen"]] = Field(default_factory=dict)
    #: False when the SDP already carries every candidate (no ``Trickle`` will follow)
    trickle: bool = True


class Answer(MediaRequest):
    """The browser's SDP answer to an offer vev relayed from Janus (stream, video_sub)."""

    handle: Literal["stream", "video_sub"]
    sdp: str = Field(max_length=200_000)
    trickle: bool = True


class Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    candidate: str = Field(max_length=1000)
    sdpMid: str | None = Field(default=None, max_length=64)
    sdpMLineIndex: int | None = Field(default=None, ge=0, le=64)


class Trickle(MediaRequest):
    """One ICE candidate of the browser, or ``completed`` when it has no more."""

    handle: HandleName
    candidate: Candidate | None = None
    completed: bool = False


class SetMuted(MediaRequest):
    """Mute or unmute one's own microphone on the floor; unmuting obeys the floor policy."""

    muted: bool


class Leave(MediaRequest):
    """Close one handle (its PeerConnection); the others stay."""

    handle: HandleName


class WatchStream(MediaRequest):
    """Receive the webcast: Janus offers every channel; only the chosen ones are sent."""

    floor: bool = True
    language: Language | None = None


class SelectChannels(MediaRequest):
    """Switch the language channel and/or the floor underneath on or off, without renegotiation.

    Listeners choose their language; interpreters choose their source (``floor`` only, or a
    relay ``language`` with the floor off).
    """

    floor: bool
    language: Language | None = None


class JoinBooth(MediaRequest):
    """Interpreter: join the booth of one's language (muted); then ``Offer`` handle ``booth``."""


class BoothMic(MediaRequest):
    """Interpreter: own microphone on or off (cough = off while the key is held)."""

    on: bool


class Handover(MediaRequest):
    """Make ``to_user`` the live interpreter of the booth: unmute them first, then mute the
    others, so the channel never falls silent. Sent by the live interpreter (hand over) or by the
    partner (take over: ``to_user`` is themselves)."""

    to_user: int


class PublishVideo(MediaRequest):
    """Join the video room as publisher (camera and/or screen); then ``Offer`` handle ``video``."""


class SubscribeVideo(MediaRequest):
    """Receive the given publishers (VideoRoom feed ids); vev relays Janus's offer."""

    feeds: list[int] = Field(min_length=1, max_length=8)


#: WebSocket command name → request model (part B registers one live-room command per entry).
COMMANDS: dict[str, type[MediaRequest]] = {
    "media.join_floor": JoinFloor,
    "media.offer": Offer,
    "media.answer": Answer,
    "media.trickle": Trickle,
    "media.set_muted": SetMuted,
    "media.leave": Leave,
    "media.watch": WatchStream,
    "media.select_channels": SelectChannels,
    "media.join_booth": JoinBooth,
    "media.booth_mic": BoothMic,
    "media.handover": Handover,
    "media.publish_video": PublishVideo,
    "media.subscribe_video": SubscribeVideo,
}


# -- replies -----------------------------------------------------------------------------------
class MediaReply(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Done(MediaReply):
    ok: Literal[True] = True


class Joined(MediaReply):
    handle: HandleName
    muted: bool
    #: VideoRoom publisher: the publishers already there (feed id, user id, display)
    publishers: list[dict] = Field(default_factory=list)


class SubscribedStream(BaseModel):
    """One m-line of a video subscription: whose stream it carries (label the tile by it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mid: str  # the m-line in Janus's offer (the browser's transceiver.mid)
    type: Literal["audio", "video"]
    feed: int  # the publisher's VideoRoom id
    user: int  # the publisher's vev user id
    display: str = ""
    description: str | None = None  # "camera" or "screen", as the publisher labelled it


class Jsep(MediaReply):
    """An SDP for the browser: Janus's answer to its offer, or Janus's offer (then answer it)."""

    handle: HandleName
    type: Literal["offer", "answer"]
    sdp: str
    #: ``video_sub`` offers: which publisher's stream each m-line carries
    streams: list[SubscribedStream] = Field(default_factory=list)


class Muted(MediaReply):
    muted: bool


class Channels(MediaReply):
    floor: bool
    language: str | None
    available: list[str]


class BoothState(MediaReply):
    language: str
    members: list[int]  # user ids in the booth
    live: list[int]  # user ids with their microphone on
    both_live: bool  # warn: two partners on air at once


# -- events to one participant -----------------------------------------------------------------
class MediaEvent(BaseEvent):
    """Pushed to one participant's browser by their MediaSession."""


class HandleConnected(MediaEvent):
    type: Literal["media.connected"] = "media.connected"
    handle: HandleName


class HandleClosed(MediaEvent):
    type: Literal["media.closed"] = "media.closed"
    handle: HandleName
    reason: str = ""


class JanusCandidate(MediaEvent):
    type: Literal["media.trickle"] = "media.trickle"
    handle: HandleName
    candidate: dict | None


class MuteChanged(MediaEvent):
    """Someone's mute state changed in the floor or booth room (moderator, handover, self)."""

    type: Literal["media.mute_changed"] = "media.mute_changed"
    handle: Literal["floor", "booth"]
    user: int
    muted: bool


class Talking(MediaEvent):
    type: Literal["media.talking"] = "media.talking"
    handle: Literal["floor", "booth"]
    user: int
    talking: bool


class Kicked(MediaEvent):
    type: Literal["media.kicked"] = "media.kicked"
    handle: HandleName


class RoomMuted(MediaEvent):
    type: Literal["media.room_muted"] = "media.room_muted"
    muted: bool


class VideoPublishers(MediaEvent):
    type: Literal["media.video_publishers"] = "media.video_publishers"
    publishers: list[dict]


class MediaLost(MediaEvent):
    """The connection to the media server is gone: every handle is closed."""

    type: Literal["media.unavailable"] = "media.unavailable"
    message: str


# -- events to the meeting room group ---------------------------------------------------------
class ChannelStateChanged(BaseEvent):
    """A language channel went on or off air (an interpreter's microphone): listeners' pickers."""

    type: Literal["media.channel_state"] = "media.channel_state"
    meeting: int
    language: str
    live: bool


class RecordingChanged(BaseEvent):
    type: Literal["media.recording"] = "media.recording"
    meeting: int
    recording: bool


class VideoChanged(BaseEvent):
    """Someone started or stopped showing video: viewers subscribe to the new list."""

    type: Literal["media.video"] = "media.video"
    meeting: int
    publishers: list[dict]  # [{feed, user, display}]
