"""Moderation acts of the live room, carried out on Janus.

The live room owns the moderation state (who is muted, whether all are, who holds the floor),
records the act in the audit log and publishes it; these functions are its effect on the media
server and are called once that state has committed. A Janus moderator ``mute`` is advisory (the
participant could unmute themselves through the Janus API): it is the signalling proxy
(:class:`~vev.media.services.signalling.MediaSession`) that refuses self-unmutes, because
browsers reach Janus only through vev. ``mute_room`` is enforced by Janus itself for everyone
who did not join as room admin (the presiding officers).
"""

from __future__ import annotations

from vev.council.models import Meeting

from ..errors import JanusRequestError
from ..janus.interface import AUDIOBRIDGE, VIDEOROOM
from .access import require_moderator
from .rooms import AB_NO_SUCH_ROOM, RoomIds, admin, floor_participants, room_ids, user_of
from .types import FloorPolicy

AB_NO_SUCH_USER = 492


def _janus_ids(ids: RoomIds, user_id: int, room: int | None = None) -> list[int]:
    return [int(p["id"]) for p in floor_participants(ids, room) if user_of(int(p["id"])) == user_id]


def _participant_request(ids: RoomIds, request: str, janus_id: int, room: int | None) -> None:
    try:
        admin().message_plugin(
            AUDIOBRIDGE,
            {"request": request, "room": room or ids.floor, "secret": ids.secret, "id": janus_id},
        )
    except JanusRequestError as error:
        if error.janus_code != AB_NO_SUCH_USER:  # left in the meantime
            raise


def set_participant_muted(ids: RoomIds, user_id: int, muted: bool, room: int | None = None) -> int:
    """Mute or unmute every connection of ``user_id`` in an audio room; returns how many."""
    janus_ids = _janus_ids(ids, user_id, room)
    for janus_id in janus_ids:
        _participant_request(ids, "mute" if muted else "unmute", janus_id, room)
    return len(janus_ids)


def set_room_muted(ids: RoomIds, muted: bool) -> None:
    admin().message_plugin(
        AUDIOBRIDGE,
        {
            "request": "mute_room" if muted else "unmute_room",
            "room": ids.floor,
            "secret": ids.secret,
        },
    )


def mute_all(meeting: Meeting, *, by) -> None:
    """ "Mute all": Janus silences everyone but the presiding officers, whatever they send."""
    require_moderator(by, meeting)
    set_room_muted(room_ids(meeting), True)


def unmute_all(meeting: Meeting, *, by) -> None:
    """Lift "mute all". Participants stay muted until they (may and do) unmute themselves."""
    require_moderator(by, meeting)
    set_room_muted(room_ids(meeting), False)


def mute_participant(meeting: Meeting, user_id: int, *, by) -> int:
    """ "Mute one": the live room must also add ``user_id`` to ``FloorPolicy.muted``."""
    require_moderator(by, meeting)
    return set_participant_muted(room_ids(meeting), user_id, True)


def unmute_participant(meeting: Meeting, user_id: int, *, by) -> int:
    """Unmute a participant on Janus when the chair opens their microphone (the live room puts
    them in ``FloorPolicy.speakers`` first: ``vev.live.services.floor.open_mic``)."""
    require_moderator(by, meeting)
    return set_participant_muted(room_ids(meeting), user_id, False)


def kick_participant(meeting: Meeting, user_id: int, *, by) -> int:
    """Remove every connection of ``user_id`` from the floor and the video room."""
    require_moderator(by, meeting)
    ids = room_ids(meeting)
    janus_ids = _janus_ids(ids, user_id)
    for janus_id in janus_ids:
        _participant_request(ids, "kick", janus_id, None)
    listed = admin().message_plugin(VIDEOROOM, {"request": "listparticipants", "room": ids.video})
    for publisher in listed.get("participants", []):
        if user_of(int(publisher["id"])) == user_id:
            admin().message_plugin(
                VIDEOROOM,
                {"request": "kick", "room": ids.video, "secret": ids.secret, "id": publisher["id"]},
            )
    return len(janus_ids)


def apply_floor_policy(meeting: Meeting, policy: FloorPolicy) -> list[int]:
    """Bring Janus in line with ``policy`` after the live room changed it; idempotent.

    Sets the room mute, mutes every floor participant who may not be heard now and removes
    video publishers who may no longer publish. Nobody is unmuted: a participant given the
    floor opens their own microphone (or the chair does, with :func:`unmute_participant`).
    Returns the user ids that were muted.
    """
    ids = room_ids(meeting)
    janus = admin()
    try:
        listed = floor_participants(ids)
    except JanusRequestError as error:
        if error.janus_code == AB_NO_SUCH_ROOM:
            return []
        raise
    set_room_muted(ids, policy.room_muted)
    muted: list[int] = []
    for participant in listed:
        user_id = user_of(int(participant["id"]))
        if not participant.get("muted") and not policy.may_be_heard(user_id):
            _participant_request(ids, "mute", int(participant["id"]), None)
            muted.append(user_id)
    publishers = janus.message_plugin(VIDEOROOM, {"request": "listparticipants", "room": ids.video})
    for publisher in publishers.get("participants", []):
        if publisher.get("publisher") and not policy.may_publish_video(user_of(publisher["id"])):
            janus.message_plugin(
                VIDEOROOM,
                {"request": "kick", "room": ids.video, "secret": ids.secret, "id": publisher["id"]},
            )
    return muted
