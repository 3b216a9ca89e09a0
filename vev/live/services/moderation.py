"""Moderation of the room: mute all, unmute all, mute one, remove, lock (DM-20/1004 Annex 3).

The state lives in the room (``RoomState.muted_all``, ``locked``; ``Participant.muted``,
``status``) so it holds whatever the media layer does; ``floor.enforce_after_commit`` then makes
the audio obey it (a muted participant's own unmute is refused by vev's media proxy). Only those
with ``meeting.moderate`` act (the chair, the vice-chair, a moderator or the secretariat for the
chair). Every act is audited and announced to the room; the person concerned is also told on
their own stream.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime.publish import send_to_channel_on_commit
from vev.council.models import Meeting

from ..errors import LiveError
from ..events import ModerationChanged, ParticipantModerated, SpeakersChanged
from ..models import Connection, Participant, SpeakerRequest
from ..queries import council_member_ids, participant_info
from ..streams import lock_room, record_room_event, record_user_event
from .access import locked_participant, moderator_label
from .floor import close_mics, enforce_after_commit
from .presence import announce, my_status

CLOSE_REMOVED = 4403


def _room_act(meeting: Meeting, by, kind: str, session_key: str = "", **changes) -> None:
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = moderator_label(meeting, by)
        for field, value in changes.items():
            setattr(room, field, value)
        room.save(update_fields=list(changes))
        cleared: list[int] = []
        if kind == "moderation.unmuted_all":
            cleared = list(
                Participant.objects.filter(meeting=meeting, muted=True).values_list("pk", flat=True)
            )
            Participant.objects.filter(pk__in=cleared).update(muted=False)
        log_action(
            f"vev.live.{kind}",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            data={"meeting": meeting.code, **changes},
        )
        record_room_event(
            meeting.pk,
            ModerationChanged(type=kind, locked=room.locked, muted_all=room.muted_all, by=label),
        )
        if kind == "moderation.muted_all":
            close_mics(meeting.pk, by=label)  # the chair opens them again, one by one
        if cleared:
            announce(meeting.pk, cleared)
        enforce_after_commit(meeting.pk)


def mute_all(meeting: Meeting, by, *, session_key: str = "") -> None:
    """Everyone but the presiding officers is silenced (the floor holder too) until lifted."""
    _room_act(meeting, by, "moderation.muted_all", session_key, muted_all=True)


def unmute_all(meeting: Meeting, by, *, session_key: str = "") -> None:
    """Lift "mute all" and every individual mute: the floor holder is heard again."""
    _room_act(meeting, by, "moderation.unmuted_all", session_key, muted_all=False)


def lock(meeting: Meeting, by, *, session_key: str = "") -> None:
    """Nobody new enters (those already in the room may reconnect; staff always)."""
    _room_act(meeting, by, "moderation.locked", session_key, locked=True)


def unlock(meeting: Meeting, by, *, session_key: str = "") -> None:
    _room_act(meeting, by, "moderation.unlocked", session_key, locked=False)


def _participant_act(
    meeting: Meeting, by, participant: Participant, kind: str, reason: str, session_key: str = ""
) -> str:
    label = moderator_label(meeting, by)
    log_action(
        f"vev.live.{kind}",
        actor=by,
        session_key=session_key,
        event=meeting.event_id,
        target=participant,
        data={"meeting": meeting.code, "participant": participant.label, "reason": reason},
    )
    info = participant_info(participant, council_member_ids(meeting))
    record_room_event(
        meeting.pk, ParticipantModerated(type=kind, participant=info, reason=reason, by=label)
    )
    record_user_event(meeting.pk, participant.user_id, my_status(participant))
    return label


def mute(meeting: Meeting, by, participant_id: int, *, session_key: str = "") -> None:
    """Mute one participant: they may not unmute themselves until unmuted."""
    with transaction.atomic():
        lock_room(meeting.pk)
        participant = locked_participant(meeting, participant_id)
        if participant.presiding:
            raise LiveError(_("The presiding officers cannot be muted from the room."))
        participant.muted = True
        participant.save(update_fields=["muted"])
        label = _participant_act(
            meeting, by, participant, "moderation.participant_muted", "", session_key
        )
        close_mics(meeting.pk, by=label, participant=participant)
        enforce_after_commit(meeting.pk)


def unmute(meeting: Meeting, by, participant_id: int, *, session_key: str = "") -> None:
    """Lift one participant's mute (they are heard when they hold the floor)."""
    with transaction.atomic():
        lock_room(meeting.pk)
        participant = locked_participant(meeting, participant_id)
        participant.muted = False
        participant.save(update_fields=["muted"])
        _participant_act(
            meeting, by, participant, "moderation.participant_unmuted", "", session_key
        )
        enforce_after_commit(meeting.pk)


def remove(
    meeting: Meeting, by, participant_id: int, *, reason: str, session_key: str = ""
) -> None:
    """Remove a participant from the meeting: their sockets close and they may not come back
    until readmitted. A reason is required and shown to them."""
    reason = (reason or "").strip()
    if not reason:
        raise LiveError(_("Give the reason for removing this participant."))
    with transaction.atomic():
        room = lock_room(meeting.pk)
        participant = locked_participant(meeting, participant_id)
        if participant.user_id == by.pk or participant.presiding:
            raise LiveError(_("The presiding officers cannot be removed from the room."))
        now = timezone.now()
        participant.status = Participant.Status.REMOVED
        participant.removed_at = now
        participant.removed_reason = reason[:300]
        participant.save(update_fields=["status", "removed_at", "removed_reason"])
        SpeakerRequest.objects.filter(
            participant=participant, status=SpeakerRequest.Status.WAITING
        ).update(status=SpeakerRequest.Status.DISMISSED, ended_at=now, ended_by=by)
        if room.floor_id and room.floor.participant_id == participant.pk:
            SpeakerRequest.objects.filter(pk=room.floor_id).update(
                status=SpeakerRequest.Status.DONE, ended_at=now, ended_by=by
            )
            room.floor = None
            room.save(update_fields=["floor"])
        channels = list(
            Connection.objects.filter(participant=participant, closed_at__isnull=True).values_list(
                "channel_name", flat=True
            )
        )
        Connection.objects.filter(participant=participant, closed_at__isnull=True).update(
            closed_at=now, close_reason=Connection.Reason.REMOVED
        )
        label = _participant_act(
            meeting, by, participant, "moderation.participant_removed", reason, session_key
        )
        close_mics(meeting.pk, by=label, participant=participant)
        notice = {
            "type": "room.refused",
            "code": "removed",
            "message": _("The chair removed you from this meeting: %(reason)s")
            % {"reason": reason},
        }
        message = {"type": "room.close", "reason": "removed", "code": CLOSE_REMOVED}
        for channel in channels:
            send_to_channel_on_commit(channel, {**message, "notice": notice})
        enforce_after_commit(meeting.pk, kick_user=participant.user_id, by=by)
        from .speakers import speakers_state  # the list lost their requests

        record_room_event(
            meeting.pk,
            SpeakersChanged(
                type="speakers.dismissed",
                entry_id=None,
                by=participant.label,
                speakers=speakers_state(meeting.pk),
            ),
        )


def readmit(meeting: Meeting, by, participant_id: int, *, session_key: str = "") -> None:
    """Let a removed participant come back."""
    with transaction.atomic():
        lock_room(meeting.pk)
        participant = locked_participant(meeting, participant_id)
        if participant.status != Participant.Status.REMOVED:
            raise LiveError(_("%(name)s was not removed.") % {"name": participant.label})
        participant.status = Participant.Status.LEFT
        participant.removed_reason = ""
        participant.save(update_fields=["status", "removed_reason"])
        _participant_act(
            meeting, by, participant, "moderation.participant_readmitted", "", session_key
        )


def removed_participants(meeting: Meeting) -> list[dict]:
    """Who the chair removed and has not readmitted: the console lists them to readmit."""
    members = council_member_ids(meeting)
    rows = (
        Participant.objects.filter(meeting=meeting, status=Participant.Status.REMOVED)
        .select_related("entity")
        .order_by("removed_at", "pk")
    )
    return [
        {
            **participant_info(p, members).model_dump(mode="json"),
            "reason": p.removed_reason,
            "removed_at": p.removed_at.isoformat() if p.removed_at else None,
        }
        for p in rows
    ]


__all__ = [
    "lock",
    "mute",
    "mute_all",
    "readmit",
    "remove",
    "removed_participants",
    "unlock",
    "unmute",
    "unmute_all",
]
