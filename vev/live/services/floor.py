"""The room's floor state as the media layer needs it, and carrying acts out on Janus.

The room owns who holds the floor, whose microphone the chair opened and who is muted;
``vev.media`` enforces it on the audio server (docs/subsystems/media.md, "Interface for the live
room"). Media effects run after the act commits, only for meetings whose media rooms exist, and
never undo the act: with Janus down the room still works and the media layer applies the policy
when a participant (re)joins.

**Open microphones.** Besides the floor holder, a participant is heard when the chair (or
whoever moderates: vice-chair, moderator, the secretariat for the chair) opens their microphone
(``Participant.mic_open``): Janus unmutes them at once, and they may mute and unmute themselves
until it is closed again. It is closed by the chair, by "mute all", by muting that participant,
by removing them, and when they leave the meeting; closing it mutes them on Janus and their own
unmute is refused again. Every change is an event on the room stream carrying the open
microphones as they now are (``floor.mic_opened`` / ``floor.mic_closed``), and the snapshot's
``media`` section lists them, so everyone sees whose microphone is open.
"""

from __future__ import annotations

import logging
from typing import Literal

from django.db import transaction
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime.schema import BaseEvent
from vev.council.models import Meeting
from vev.media.errors import MediaError
from vev.media.models import MediaRoom
from vev.media.services.types import FloorPolicy

from ..errors import LiveError
from ..events import Dto
from ..models import Participant, RoomState
from ..streams import lock_room, record_room_event, record_user_event
from .access import locked_participant, moderator_label
from .presence import announce, my_status

logger = logging.getLogger(__name__)

_IN_ROOM = (Participant.Status.PRESENT, Participant.Status.AWAY)


class OpenMic(Dto):
    participant_id: int
    user_id: int
    name: str  # as shown in the room: name (entity)


class MicsChanged(BaseEvent):
    """A microphone opened or closed by the chair; ``open`` lists every open one now."""

    type: Literal["floor.mic_opened", "floor.mic_closed"]
    participant: OpenMic | None  # whose; None when several closed at once ("mute all")
    open: list[OpenMic]
    by: str


def _counted():
    """Participants whose open microphone counts: in the room with an active seat."""
    return Participant.objects.filter(
        mic_open=True, status__in=_IN_ROOM, mode=Participant.Mode.ACTIVE
    )


def open_mics(meeting_id: int) -> list[OpenMic]:
    rows = _counted().filter(meeting_id=meeting_id).select_related("entity").order_by("name", "pk")
    return [OpenMic(participant_id=p.pk, user_id=p.user_id, name=p.label) for p in rows]


def floor_policy(meeting_id: int) -> FloorPolicy:
    room = RoomState.objects.select_related("floor").filter(pk=meeting_id).first()
    if room is None:
        return FloorPolicy()
    rows = Participant.objects.filter(meeting_id=meeting_id, status__in=_IN_ROOM).values_list(
        "user_id", "presiding", "muted"
    )
    speakers = {room.floor.user_id} if room.floor_id and room.floor.status == "speaking" else set()
    speakers |= set(_counted().filter(meeting_id=meeting_id).values_list("user_id", flat=True))
    return FloorPolicy(
        speakers=frozenset(speakers),
        presiding=frozenset(uid for uid, presiding, _ in rows if presiding),
        room_muted=room.muted_all,
        muted=frozenset(uid for uid, _, muted in rows if muted),
        locked=room.locked,
        present=frozenset(uid for uid, _, _ in rows),
    )


# -- the chair opens and closes microphones ------------------------------------------------------
def _holder(participant: Participant) -> OpenMic:
    return OpenMic(
        participant_id=participant.pk, user_id=participant.user_id, name=participant.label
    )


def open_mic(meeting: Meeting, by, participant_id: int, *, session_key: str = "") -> None:
    """Open a participant's microphone: they are heard without holding the floor.

    Lifts their individual mute; refused under "mute all" (nobody but the presiding officers is
    heard then), for the presiding officers (always heard) and for those on the webcast.
    """
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = moderator_label(meeting, by)
        participant = locked_participant(meeting, participant_id, statuses=_IN_ROOM)
        if participant.presiding:
            raise LiveError(_("The presiding officers are always heard."))
        if participant.mode != Participant.Mode.ACTIVE:
            raise LiveError(
                _("%(name)s follows the webcast and has no microphone in the room.")
                % {"name": participant.label}
            )
        if room.muted_all:
            raise LiveError(_("Everyone is muted: lift “mute all” before opening a microphone."))
        if participant.mic_open:
            return
        was_muted = participant.muted
        participant.mic_open = True
        participant.muted = False
        participant.save(update_fields=["mic_open", "muted"])
        log_action(
            "vev.live.floor.mic_opened",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=participant,
            data={"meeting": meeting.code, "participant": participant.label},
        )
        record_room_event(
            meeting.pk,
            MicsChanged(
                type="floor.mic_opened",
                participant=_holder(participant),
                open=open_mics(meeting.pk),
                by=label,
            ),
        )
        if was_muted:
            announce(meeting.pk, [participant.pk])
            record_user_event(meeting.pk, participant.user_id, my_status(participant))
        enforce_after_commit(meeting.pk, unmute_user=participant.user_id, by=by)


def close_mic(meeting: Meeting, by, participant_id: int, *, session_key: str = "") -> None:
    """Close a microphone the chair opened: Janus mutes them, their own unmute is refused."""
    with transaction.atomic():
        lock_room(meeting.pk)
        label = moderator_label(meeting, by)
        participant = locked_participant(meeting, participant_id, statuses=_IN_ROOM)
        if not participant.mic_open:
            raise LiveError(_("%(name)s's microphone is not open.") % {"name": participant.label})
        log_action(
            "vev.live.floor.mic_closed",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=participant,
            data={"meeting": meeting.code, "participant": participant.label},
        )
        close_mics(meeting.pk, by=label, participant=participant)
        enforce_after_commit(meeting.pk)


def close_mics(meeting_id: int, *, by: str, participant: Participant | None = None) -> bool:
    """Inside another act's transaction (holding the room): close the open microphone of
    ``participant``, or every one; record the event if anything closed. The caller audits its
    act and brings Janus in line (``enforce_after_commit``)."""
    rows = Participant.objects.filter(meeting_id=meeting_id, mic_open=True)
    if participant is not None:
        rows = rows.filter(pk=participant.pk)
        participant.mic_open = False
    if not rows.update(mic_open=False):
        return False
    record_room_event(
        meeting_id,
        MicsChanged(
            type="floor.mic_closed",
            participant=_holder(participant) if participant is not None else None,
            open=open_mics(meeting_id),
            by=by,
        ),
    )
    return True


# -- carrying the room's acts out on Janus -------------------------------------------------------
def _has_media(meeting_id: int) -> bool:
    return MediaRoom.objects.filter(meeting_id=meeting_id, active=True).exists()


def enforce_after_commit(
    meeting_id: int, *, kick_user: int | None = None, unmute_user: int | None = None, by=None
) -> None:
    """Once the act commits, bring the meeting's audio in line with the room's policy: mute
    whoever may no longer be heard, remove ``kick_user``, unmute ``unmute_user`` (whose
    microphone the chair opened)."""

    def carry_out():
        if not _has_media(meeting_id):
            return
        from vev.media.services import moderation

        meeting = Meeting.objects.select_related("event").get(pk=meeting_id)
        try:
            if kick_user is not None and by is not None:
                moderation.kick_participant(meeting, kick_user, by=by)
            policy = floor_policy(meeting_id)
            moderation.apply_floor_policy(meeting, policy)
            if unmute_user is not None and by is not None and policy.may_be_heard(unmute_user):
                moderation.unmute_participant(meeting, unmute_user, by=by)
        except MediaError:
            logger.warning(
                "meeting %s: could not apply the floor policy", meeting_id, exc_info=True
            )

    transaction.on_commit(carry_out)
