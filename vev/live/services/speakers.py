"""The list of speakers, the floor and the digital nameplate (docs/procedures.md).

* A participant with an active seat raises a hand (or asks for a right of reply); a Council
  Member's delegate raises the nameplate for a point of order or a procedural motion.
* Nameplates come before the ordinary list, in the order of precedence of
  ``MOTION_PRECEDENCE``; the ordinary list puts Council Members before observers unless the
  chair lifts that rule, then follows the order hands were raised, which the chair may change.
* The chair (or the vice-chair, a moderator or the secretariat for the chair: permission
  ``meeting.moderate``) gives and ends the floor, with the meeting's speaking time unless
  another is given; giving the floor to someone ends the current speaker's turn.

Every act locks the room, records one ``speakers.*`` event with the whole list and an audit
entry, and brings the audio in line (only the floor holder and the presiding officers heard).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Meeting

from ..errors import LiveError
from ..events import SpeakerEntry, SpeakersChanged, SpeakersState
from ..models import MOTION_PRECEDENCE, Participant, RoomState, SpeakerRequest
from ..queries import council_member_ids, entity_info, holds_seat
from ..streams import lock_room, record_room_event
from .access import moderator_label
from .floor import enforce_after_commit

Kind = SpeakerRequest.Kind
Status = SpeakerRequest.Status
MAX_TIME_LIMIT = 60 * 60


def precedence(request: SpeakerRequest) -> int:
    return MOTION_PRECEDENCE.get((request.kind, request.motion or ""), 5)


def _entry(request: SpeakerRequest, members: set[int]) -> SpeakerEntry:
    return SpeakerEntry(
        id=request.pk,
        participant_id=request.participant_id,
        user_id=request.user_id,
        name=request.participant.name,
        entity=entity_info(request.entity, members),
        observer=request.entity_id not in members,
        kind=request.kind,
        motion=request.motion,
        note=request.note,
        status=request.status,
        requested_at=request.requested_at,
        floor_at=request.floor_at,
        time_limit_seconds=request.time_limit_seconds,
        ruling=request.ruling,
    )


def ordered(requests: list[SpeakerRequest], members: set[int], members_first: bool):
    """(nameplates, queue): the waiting requests in the order the chair takes them."""
    nameplates = sorted(
        (r for r in requests if r.is_nameplate), key=lambda r: (precedence(r), r.requested_at, r.pk)
    )
    queue = sorted(
        (r for r in requests if not r.is_nameplate),
        key=lambda r: (
            members_first and r.entity_id not in members,
            r.position,
            r.requested_at,
            r.pk,
        ),
    )
    return nameplates, queue


def speakers_state(meeting_id: int, room: RoomState | None = None) -> SpeakersState:
    room = room or RoomState.objects.get(pk=meeting_id)
    meeting = Meeting.objects.get(pk=meeting_id)
    members = council_member_ids(meeting)
    waiting = list(
        SpeakerRequest.objects.filter(meeting_id=meeting_id, status=Status.WAITING).select_related(
            "participant", "entity"
        )
    )
    nameplates, queue = ordered(waiting, members, room.members_first)
    floor = None
    if room.floor_id:
        current = SpeakerRequest.objects.select_related("participant", "entity").get(
            pk=room.floor_id
        )
        if current.status == Status.SPEAKING:
            floor = _entry(current, members)
    return SpeakersState(
        floor=floor,
        nameplates=[_entry(r, members) for r in nameplates],
        queue=[_entry(r, members) for r in queue],
        members_first=room.members_first,
        time_limit_seconds=room.speaking_time_seconds,
    )


def _publish(meeting: Meeting, kind: str, entry_id: int | None, by_label: str) -> None:
    record_room_event(
        meeting.pk,
        SpeakersChanged(
            type=kind, entry_id=entry_id, by=by_label, speakers=speakers_state(meeting.pk)
        ),
    )


def _participant(meeting: Meeting, user) -> Participant:
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, user=user)
        .select_related("entity")
        .first()
    )
    if participant is None or participant.status != Participant.Status.PRESENT:
        raise LiveError(_("You are not in the meeting room."))
    return participant


def _require_session(meeting: Meeting) -> None:
    if meeting.status not in (Meeting.Status.LIVE, Meeting.Status.SUSPENDED):
        raise LiveError(_("The chair has not opened the meeting yet."), code="not_open")


def raise_hand(
    meeting: Meeting, user, *, kind: str = Kind.SPEAK, note: str = "", session_key: str = ""
) -> int:
    """Ask for the floor (or a right of reply); returns the request's id."""
    if kind not in (Kind.SPEAK, Kind.REPLY):
        raise LiveError(_("Choose a request to speak or a right of reply."), code="invalid")
    with transaction.atomic():
        room = lock_room(meeting.pk)
        _require_session(meeting)
        participant = _participant(meeting, user)
        if not holds_seat(participant):
            raise LiveError(
                _("You follow the meeting on the webcast: ask your delegation for a seat first."),
                code="passive",
            )
        mine = SpeakerRequest.objects.filter(
            meeting=meeting, participant=participant, status__in=[Status.WAITING, Status.SPEAKING]
        )
        if mine.filter(kind__in=[Kind.SPEAK, Kind.REPLY]).exists():
            raise LiveError(_("You are already on the list of speakers."))
        last = SpeakerRequest.objects.filter(meeting=meeting).aggregate(p=Max("position"))["p"]
        request = SpeakerRequest.objects.create(
            meeting=meeting,
            participant=participant,
            user=user,
            entity_id=participant.entity_id,
            kind=kind,
            note=note[:300],
            position=(last or 0) + 1,
            allocation_id=room.current_allocation_id,
        )
        log_action(
            "vev.live.speakers.hand_raised",
            actor=user,
            session_key=session_key,
            event=meeting.event_id,
            target=request,
            data={"meeting": meeting.code, "kind": kind},
        )
        _publish(meeting, "speakers.hand_raised", request.pk, participant.label)
    return request.pk


def raise_nameplate(
    meeting: Meeting,
    user,
    *,
    kind: str,
    motion: str = "",
    note: str = "",
    session_key: str = "",
) -> int:
    """Raise the nameplate for a point of order or a procedural motion."""
    if kind == Kind.POINT_OF_ORDER:
        motion = ""
    elif kind == Kind.MOTION:
        if motion not in SpeakerRequest.Motion.values or not motion:
            raise LiveError(_("Choose the procedural motion you move."), code="invalid")
    else:
        raise LiveError(_("Choose a point of order or a procedural motion."), code="invalid")
    with transaction.atomic():
        room = lock_room(meeting.pk)
        _require_session(meeting)
        participant = _participant(meeting, user)
        if participant.kind != Participant.Kind.MEMBER or not holds_seat(participant):
            raise LiveError(
                _(
                    "Points of order and procedural motions are raised by Council Members' "
                    "delegates with an active seat."
                ),
                code="denied",
            )
        if SpeakerRequest.objects.filter(
            meeting=meeting,
            participant=participant,
            status=Status.WAITING,
            kind__in=[Kind.POINT_OF_ORDER, Kind.MOTION],
        ).exists():
            raise LiveError(_("Your nameplate is already raised."))
        request = SpeakerRequest.objects.create(
            meeting=meeting,
            participant=participant,
            user=user,
            entity_id=participant.entity_id,
            kind=kind,
            motion=motion,
            note=note[:300],
            allocation_id=room.current_allocation_id,
        )
        log_action(
            "vev.live.speakers.nameplate_raised",
            actor=user,
            session_key=session_key,
            event=meeting.event_id,
            target=request,
            data={"meeting": meeting.code, "kind": kind, "motion": motion, "note": note[:300]},
        )
        _publish(meeting, "speakers.nameplate_raised", request.pk, participant.label)
    return request.pk


def withdraw(meeting: Meeting, user, request_id: int, *, session_key: str = "") -> None:
    """Withdraw one's own request (hand or nameplate) before being given the floor."""
    with transaction.atomic():
        lock_room(meeting.pk)
        request = _waiting(meeting, request_id)
        if request.user_id != user.pk:
            raise LiveError(_("You can only withdraw your own request."), code="denied")
        request.status = Status.WITHDRAWN
        request.ended_at = timezone.now()
        request.save(update_fields=["status", "ended_at"])
        log_action(
            "vev.live.speakers.withdrawn",
            actor=user,
            session_key=session_key,
            event=meeting.event_id,
            target=request,
            data={"meeting": meeting.code},
        )
        _publish(meeting, "speakers.withdrawn", request.pk, request.participant.label)


def _waiting(meeting: Meeting, request_id: int) -> SpeakerRequest:
    request = (
        SpeakerRequest.objects.select_for_update(of=("self",))
        .select_related("participant")
        .filter(meeting=meeting, pk=request_id)
        .first()
    )
    if request is None or request.status != Status.WAITING:
        raise LiveError(_("This request is no longer on the list."))
    return request


def _end_current(room: RoomState, by, *, ruling: str = "") -> SpeakerRequest | None:
    if not room.floor_id:
        return None
    current = SpeakerRequest.objects.select_for_update().get(pk=room.floor_id)
    if current.status == Status.SPEAKING:
        current.status = Status.DONE
        current.ended_at = timezone.now()
        current.ended_by = by
        current.ruling = ruling[:500]
        current.save(update_fields=["status", "ended_at", "ended_by", "ruling"])
    room.floor = None
    room.save(update_fields=["floor"])
    return current


def give_floor(
    meeting: Meeting,
    by,
    request_id: int,
    *,
    time_limit: int | None = None,
    session_key: str = "",
) -> None:
    """Give the floor to a waiting request (ending the current speaker's turn)."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        _require_session(meeting)
        moderator = moderator_label(meeting, by)
        request = _waiting(meeting, request_id)
        if request.participant.status != Participant.Status.PRESENT:
            raise LiveError(
                _("%(name)s is not connected right now.") % {"name": request.participant.label}
            )
        _hand_floor(meeting, room, request, by, moderator, time_limit, session_key)


def give_floor_to(
    meeting: Meeting,
    by,
    participant_id: int,
    *,
    time_limit: int | None = None,
    session_key: str = "",
):
    """Give the floor to someone in the room who did not ask (e.g. the secretariat)."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        _require_session(meeting)
        moderator = moderator_label(meeting, by)
        participant = Participant.objects.filter(
            meeting=meeting, pk=participant_id, status=Participant.Status.PRESENT
        ).first()
        if participant is None:
            raise LiveError(_("This participant is not in the room."))
        if participant.kind != Participant.Kind.STAFF and not holds_seat(participant):
            raise LiveError(
                _("%(name)s follows the webcast and has no active seat.")
                % {"name": participant.label}
            )
        SpeakerRequest.objects.filter(
            meeting=meeting, participant=participant, status=Status.WAITING, kind=Kind.SPEAK
        ).update(status=Status.DONE, ended_at=timezone.now())
        request = SpeakerRequest.objects.create(
            meeting=meeting,
            participant=participant,
            user_id=participant.user_id,
            entity_id=participant.entity_id,
            kind=Kind.SPEAK,
            allocation_id=room.current_allocation_id,
        )
        _hand_floor(
            meeting, room, request, by, moderator, time_limit, session_key, unrequested=True
        )
    return request.pk


def _hand_floor(
    meeting, room, request, by, moderator, time_limit, session_key, *, unrequested=False
) -> None:
    """End the current turn, start ``request``'s, record and announce it (in the caller's
    transaction; the floor is enforced on the media once it commits)."""
    _end_current(room, by)
    _start(room, request, by, time_limit)
    data = {
        "meeting": meeting.code,
        "to": request.participant.label,
        "kind": request.kind,
        "seconds": request.time_limit_seconds,
    }
    if unrequested:
        data["unrequested"] = True
    log_action(
        "vev.live.speakers.floor_given",
        actor=by,
        session_key=session_key,
        event=meeting.event_id,
        target=request,
        data=data,
    )
    _publish(meeting, "speakers.floor_given", request.pk, moderator)
    enforce_after_commit(meeting.pk)


def _start(room: RoomState, request: SpeakerRequest, by, time_limit: int | None) -> None:
    if time_limit is not None and not 0 <= time_limit <= MAX_TIME_LIMIT:
        raise LiveError(_("Speaking time must be between 0 and 60 minutes."))
    request.status = Status.SPEAKING
    request.floor_at = timezone.now()
    request.given_by = by
    request.time_limit_seconds = room.speaking_time_seconds if time_limit is None else time_limit
    if request.is_nameplate:
        request.time_limit_seconds = 0  # a point of order is heard and ruled on, not timed
    request.save(update_fields=["status", "floor_at", "given_by", "time_limit_seconds"])
    room.floor = request
    room.save(update_fields=["floor"])


def end_floor(meeting: Meeting, by, *, ruling: str = "", session_key: str = "") -> None:
    """End the current speaker's turn (with the chair's ruling on a point of order)."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        moderator = moderator_label(meeting, by)
        ended = _end_current(room, by, ruling=ruling)
        if ended is None:
            raise LiveError(_("Nobody has the floor."))
        log_action(
            "vev.live.speakers.floor_ended",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=ended,
            data={"meeting": meeting.code, "ruling": ruling[:500]},
        )
        _publish(meeting, "speakers.floor_ended", ended.pk, moderator)
        enforce_after_commit(meeting.pk)


def extend_time(meeting: Meeting, by, seconds: int, *, session_key: str = "") -> None:
    """Give the current speaker more time."""
    if not 0 < seconds <= MAX_TIME_LIMIT:
        raise LiveError(_("Add between 1 second and 60 minutes."))
    with transaction.atomic():
        room = lock_room(meeting.pk)
        moderator = moderator_label(meeting, by)
        if not room.floor_id:
            raise LiveError(_("Nobody has the floor."))
        request = SpeakerRequest.objects.select_for_update().get(pk=room.floor_id)
        request.time_limit_seconds = min(MAX_TIME_LIMIT, request.time_limit_seconds + seconds)
        request.save(update_fields=["time_limit_seconds"])
        log_action(
            "vev.live.speakers.time_extended",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=request,
            data={"meeting": meeting.code, "seconds": seconds},
        )
        _publish(meeting, "speakers.time_extended", request.pk, moderator)


def dismiss(
    meeting: Meeting, by, request_id: int, *, reason: str = "", session_key: str = ""
) -> None:
    """Take a request off the list without giving the floor (e.g. the motion is out of order)."""
    with transaction.atomic():
        lock_room(meeting.pk)
        moderator = moderator_label(meeting, by)
        request = _waiting(meeting, request_id)
        request.status = Status.DISMISSED
        request.ended_at = timezone.now()
        request.ended_by = by
        request.ruling = reason[:500]
        request.save(update_fields=["status", "ended_at", "ended_by", "ruling"])
        log_action(
            "vev.live.speakers.dismissed",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=request,
            data={"meeting": meeting.code, "reason": reason[:500]},
        )
        _publish(meeting, "speakers.dismissed", request.pk, moderator)


def reorder(meeting: Meeting, by, order: list[int], *, session_key: str = "") -> None:
    """Set the order of the ordinary list (the chair decides otherwise, GR)."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        moderator = moderator_label(meeting, by)
        waiting = {
            r.pk: r
            for r in SpeakerRequest.objects.select_for_update().filter(
                meeting=meeting, status=Status.WAITING, kind__in=[Kind.SPEAK, Kind.REPLY]
            )
        }
        if set(order) != set(waiting) or len(order) != len(waiting):
            raise LiveError(_("The list changed meanwhile: look again and retry."))
        if room.members_first:
            members = council_member_ids(meeting)
            seen_observer = False
            for request_id in order:
                observer = waiting[request_id].entity_id not in members
                if seen_observer and not observer:
                    raise LiveError(
                        _(
                            "Council Members speak before observers: lift that rule first to "
                            "put an observer before a Member."
                        )
                    )
                seen_observer = seen_observer or observer
        for position, request_id in enumerate(order, start=1):
            waiting[request_id].position = position
        SpeakerRequest.objects.bulk_update(waiting.values(), ["position"])
        log_action(
            "vev.live.speakers.reordered",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            data={"meeting": meeting.code, "order": order},
        )
        _publish(meeting, "speakers.reordered", None, moderator)


def set_rules(
    meeting: Meeting,
    by,
    *,
    members_first: bool | None = None,
    time_limit: int | None = None,
    session_key: str = "",
) -> None:
    """Council Members before observers (on by default), and the speaking time."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        moderator = moderator_label(meeting, by)
        if time_limit is not None:
            if not 0 <= time_limit <= MAX_TIME_LIMIT:
                raise LiveError(_("Speaking time must be between 0 and 60 minutes."))
            room.speaking_time_seconds = time_limit
        if members_first is not None:
            room.members_first = members_first
        room.save(update_fields=["speaking_time_seconds", "members_first"])
        log_action(
            "vev.live.speakers.rules_changed",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            data={
                "meeting": meeting.code,
                "members_first": room.members_first,
                "seconds": room.speaking_time_seconds,
            },
        )
        _publish(meeting, "speakers.rules_changed", None, moderator)


def clear_list(meeting: Meeting, by, *, session_key: str = "") -> int:
    """Close the ordinary list (e.g. the item is closed): every waiting hand is taken off."""
    with transaction.atomic():
        lock_room(meeting.pk)
        moderator = moderator_label(meeting, by)
        count = SpeakerRequest.objects.filter(
            meeting=meeting, status=Status.WAITING, kind__in=[Kind.SPEAK, Kind.REPLY]
        ).update(status=Status.DISMISSED, ended_at=timezone.now(), ended_by=by)
        log_action(
            "vev.live.speakers.cleared",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            data={"meeting": meeting.code, "count": count},
        )
        _publish(meeting, "speakers.cleared", None, moderator)
    return count
