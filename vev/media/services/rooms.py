"""The lifecycle of a meeting's Janus rooms, owned by the backend.

Per meeting: one AudioBridge **floor** room, one AudioBridge **booth** room per interpretation
language, one Streaming **mountpoint** (multistream RTP, mids ``floor`` + languages, listening
on 127.0.0.1 only) fed by ``rtp_forward`` from the floor and every booth, and one **VideoRoom**
for speakers' video and shared screens. :func:`ensure_media` creates whatever is missing
(idempotent, also after a Janus restart); :func:`destroy_media` removes everything (idempotent).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from functools import cache

from django.db import transaction
from django.utils.translation import gettext as _

from vev.council.models import Meeting

from .. import conf
from ..errors import JanusRequestError, MediaUnavailable
from ..janus.client import AdminClient, Gateway
from ..janus.interface import AUDIOBRIDGE, STREAMING, VIDEOROOM, JanusAdmin, JanusGateway
from ..models import MediaRoom
from .types import FLOOR_MID

logger = logging.getLogger(__name__)

OPUS_PT = 100
FORWARD_HOST = "127.0.0.1"  # Janus forwards to itself; the mountpoint listens on loopback only
SAMPLING_RATE = 48000
# Janus's "already exists" and "no such room" codes (janus_audiobridge.c, janus_videoroom.c,
# janus_streaming.c of 1.1.2).
AB_NO_SUCH_ROOM, AB_ROOM_EXISTS = 485, 486
VR_NO_SUCH_ROOM, VR_ROOM_EXISTS = 426, 427
ST_NO_SUCH_MOUNTPOINT = 455
#: Janus ids of participants carry the vev user id: ``user_id * ID_FACTOR + n`` (n < ID_FACTOR).
ID_FACTOR = 1000


def user_of(janus_id: int) -> int:
    return int(janus_id) // ID_FACTOR


# -- adapters ----------------------------------------------------------------------------------
@cache
def _admin_for(janus: conf.JanusSettings) -> AdminClient:
    return AdminClient(janus.admin_socket, janus.secrets.admin_secret)


def admin() -> JanusAdmin:
    return _admin_for(conf.current())


def gateway() -> JanusGateway:
    janus = conf.current()
    return Gateway(janus.api_socket, janus.secrets.api_secret)


def admin_key() -> str:
    return conf.current().secrets.admin_key


@dataclass(frozen=True)
class RoomIds:
    """The Janus ids and secret of a meeting's rooms (what signalling needs, without the DB)."""

    meeting: int
    floor: int
    booths: dict[str, int]
    mountpoint: int
    video: int
    secret: str
    languages: tuple[str, ...]

    @classmethod
    def of(cls, room: MediaRoom) -> RoomIds:
        return cls(
            meeting=room.meeting_id,
            floor=room.floor_room,
            booths={lang: int(rid) for lang, rid in room.booth_rooms.items()},
            mountpoint=room.mountpoint,
            video=room.video_room,
            secret=room.secret,
            languages=tuple(room.languages),
        )

    @property
    def mids(self) -> tuple[str, ...]:
        return (FLOOR_MID, *self.languages)


def _new_id() -> int:
    # Below 2**53 so that JavaScript numbers keep every digit.
    return secrets.randbelow(2**52) + 1


def _room_row(meeting: Meeting) -> MediaRoom:
    languages = [lang for lang in conf.LANGUAGE_MIDS if lang in (meeting.event.languages or [])]
    room = MediaRoom.objects.select_for_update().filter(meeting=meeting).first()
    if room is None:
        room = MediaRoom.objects.create(
            meeting=meeting,
            floor_room=_new_id(),
            booth_rooms={lang: _new_id() for lang in languages},
            mountpoint=_new_id(),
            video_room=_new_id(),
            secret=secrets.token_urlsafe(24),
            languages=languages,
        )
    return room


def _ignore(codes: set[int], call, *args) -> dict | None:
    try:
        return call(*args)
    except JanusRequestError as error:
        if error.janus_code in codes:
            return None
        raise


# -- creation ----------------------------------------------------------------------------------
def _audio_room(janus: JanusAdmin, room_id: int, secret: str, description: str) -> None:
    _ignore(
        {AB_ROOM_EXISTS},
        janus.message_plugin,
        AUDIOBRIDGE,
        {
            "request": "create",
            "admin_key": admin_key(),
            "room": room_id,
            "description": description[:120],
            "secret": secret,
            "is_private": True,
            "sampling_rate": SAMPLING_RATE,
            "audiolevel_event": True,
            "audio_active_packets": 50,
            "audio_level_average": 40,
        },
    )


def _mountpoint(janus: JanusAdmin, ids: RoomIds, description: str) -> dict[str, int]:
    """Create the webcast mountpoint unless it exists; return mid → UDP port."""
    try:
        info = janus.message_plugin(
            STREAMING, {"request": "info", "id": ids.mountpoint, "secret": ids.secret}
        )
        return {m["mid"]: int(m["port"]) for m in info["info"]["media"] if "port" in m}
    except JanusRequestError as error:
        if error.janus_code != ST_NO_SUCH_MOUNTPOINT:
            raise
    media = [
        {
            "type": "audio",
            "mid": mid,
            "label": mid,
            "port": 0,  # Janus picks free ports in the Streaming plugin's range
            "pt": OPUS_PT,
            "codec": "opus",
            "iface": FORWARD_HOST,
        }
        for mid in ids.mids
    ]
    created = janus.message_plugin(
        STREAMING,
        {
            "request": "create",
            "admin_key": admin_key(),
            "type": "rtp",
            "id": ids.mountpoint,
            "description": description[:120],
            "secret": ids.secret,
            "is_private": True,
            "media": media,
        },
    )
    return {p["mid"]: int(p["port"]) for p in created["stream"]["ports"]}


def _forward(janus: JanusAdmin, room_id: int, secret: str, port: int) -> None:
    """Forward the room's mix to the mountpoint port, unless a forwarder already does."""
    listed = janus.message_plugin(
        AUDIOBRIDGE, {"request": "listforwarders", "room": room_id, "secret": secret}
    )
    if any(int(f.get("port", 0)) == port for f in listed.get("rtp_forwarders", [])):
        return
    janus.message_plugin(
        AUDIOBRIDGE,
        {
            "request": "rtp_forward",
            "admin_key": admin_key(),
            "room": room_id,
            "secret": secret,
            "host": FORWARD_HOST,
            "host_family": "ipv4",
            "port": port,
            "codec": "opus",
            "ptype": OPUS_PT,
            "always_on": True,  # a steady stream: handovers and pauses never break it
        },
    )


def _video_room(janus: JanusAdmin, ids: RoomIds, description: str) -> None:
    janus_settings = conf.current()
    rec_dir = janus_settings.recordings_dir / f"meeting-{ids.meeting}" / "video"
    rec_dir.mkdir(parents=True, exist_ok=True)
    _ignore(
        {VR_ROOM_EXISTS},
        janus.message_plugin,
        VIDEOROOM,
        {
            "request": "create",
            "admin_key": admin_key(),
            "room": ids.video,
            "description": description[:120],
            "secret": ids.secret,
            "is_private": True,
            "publishers": janus_settings.max_video_publishers,
            "bitrate": 1_000_000,
            "fir_freq": 10,
            "audiocodec": "opus",
            "videocodec": "vp8,h264",
            "notify_joining": True,
            "rec_dir": str(rec_dir),
            "lock_record": True,
        },
    )


def ensure_media(meeting: Meeting) -> RoomIds:
    """Make sure every Janus room of ``meeting`` exists and is wired; idempotent.

    Raises :class:`MediaUnavailable` when Janus does not answer.
    """
    janus = admin()
    with transaction.atomic():
        room = _room_row(meeting)
        ids = RoomIds.of(room)
        description = f"{meeting.event.slug} {meeting.code}"
        _audio_room(janus, ids.floor, ids.secret, f"{description} floor")
        for language, booth in ids.booths.items():
            _audio_room(janus, booth, ids.secret, f"{description} {language}")
        ports = _mountpoint(janus, ids, description)
        _forward(janus, ids.floor, ids.secret, ports[FLOOR_MID])
        for language, booth in ids.booths.items():
            _forward(janus, booth, ids.secret, ports[language])
        _video_room(janus, ids, description)
        if room.stream_ports != ports or not room.active:
            room.stream_ports = ports
            room.active = True
            room.save(update_fields=["stream_ports", "active", "updated_at"])
    return ids


def room_ids(meeting: Meeting) -> RoomIds:
    """The ids of an existing media room (after :func:`ensure_media`)."""
    room = MediaRoom.objects.filter(meeting=meeting).first()
    if room is None:
        raise MediaUnavailable(_("Audio has not been started for this meeting."))
    return RoomIds.of(room)


def destroy_media(meeting: Meeting) -> bool:
    """Destroy the meeting's rooms in Janus (idempotent). False if it had none."""
    from .recording import stop_running_recording

    room = MediaRoom.objects.filter(meeting=meeting).first()
    if room is None:
        return False
    stop_running_recording(meeting)
    janus = admin()
    ids = RoomIds.of(room)
    for room_id in (ids.floor, *ids.booths.values()):
        _ignore(
            {AB_NO_SUCH_ROOM},
            janus.message_plugin,
            AUDIOBRIDGE,
            {"request": "destroy", "room": room_id, "secret": ids.secret},
        )
    _ignore(
        {ST_NO_SUCH_MOUNTPOINT},
        janus.message_plugin,
        STREAMING,
        {"request": "destroy", "id": ids.mountpoint, "secret": ids.secret},
    )
    _ignore(
        {VR_NO_SUCH_ROOM},
        janus.message_plugin,
        VIDEOROOM,
        {"request": "destroy", "room": ids.video, "secret": ids.secret},
    )
    MediaRoom.objects.filter(pk=room.pk).update(active=False, stream_ports={})
    return True


def restore_active_rooms() -> int:
    """Recreate the rooms of meetings in session (called after Janus (re)starts)."""
    count = 0
    for room in MediaRoom.objects.filter(
        active=True, meeting__status=Meeting.Status.LIVE
    ).select_related("meeting__event"):
        try:
            ensure_media(room.meeting)
            count += 1
        except (MediaUnavailable, JanusRequestError):
            logger.exception("could not restore the media rooms of %s", room.meeting)
    return count


def floor_participants(ids: RoomIds, room_id: int | None = None) -> list[dict]:
    """Janus's list of participants of the floor (or another audio room of the meeting)."""
    listed = admin().message_plugin(
        AUDIOBRIDGE, {"request": "listparticipants", "room": room_id or ids.floor}
    )
    return listed.get("participants", [])


def video_publishers(ids: RoomIds) -> list[dict]:
    """Who shows video in the meeting's video room now: ``[{feed, user, display}]``.

    Janus counts a participant as publisher once their PeerConnection is up.
    """
    listed = admin().message_plugin(VIDEOROOM, {"request": "listparticipants", "room": ids.video})
    return [
        {"feed": int(p["id"]), "user": user_of(int(p["id"])), "display": p.get("display", "")}
        for p in listed.get("participants", [])
        if p.get("publisher")
    ]
