"""Entering and leaving a room: seats (active or passive), connections, their log and times.

Capacity rules (DM-20/1004 Annex 2; ``Event.active_capacity``, ``active_per_member_state``,
``passive_capacity``): at most 300 active participants per meeting and 3 per delegation; the
others follow the webcast view (passive), up to 2,000. Staff (the presiding officers, the
secretariat, interpreters, captioners, technicians, moderators) always get an active seat and do
not count against a delegation. A participant whose connection drops keeps the seat for
``SEAT_GRACE_SECONDS``; one who leaves frees it at once. A freed seat goes to the delegation's
member who has waited longest. A closed meeting has no webcast: no passive participants.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vev.core.audit import log_action
from vev.council.models import Meeting

from ..errors import LiveError
from ..events import MyStatus, PresenceUpdated
from ..models import Connection, Participant
from ..queries import (
    SEAT_GRACE_SECONDS,
    council_member_ids,
    holds_seat,
    participant_info,
    presence_counts,
    seat_holder_q,
    seat_holders,
)
from ..streams import lock_room, record_room_event, record_user_event
from .access import RoomAccess, room_access

#: This server process, as named in ``Connection.process``.
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
#: Each process refreshes its open connections this often (seconds)…
HEARTBEAT_SECONDS = 20
#: …and connections not refreshed for this long belong to a process that died.
STALE_SECONDS = 75


@dataclass(frozen=True)
class Admission:
    participant_id: int
    connection_id: int
    kind: str
    mode: str
    reason: str
    changed: frozenset[int]  # participants whose presence changed (to announce)
    access: RoomAccess  # what the participant may do in the room


def admit(user, meeting: Meeting, *, channel_name: str, process: str = PROCESS_ID) -> Admission:
    """Let ``user`` into the room with a new connection, or raise ``LiveError`` saying why not."""
    access = room_access(user, meeting)  # raises LiveError
    event = meeting.event
    now = timezone.now()
    with transaction.atomic():
        room = lock_room(meeting.pk)
        participant, created = Participant.objects.select_for_update().get_or_create(
            meeting=meeting,
            user=user,
            defaults={
                "entity_id": access.entity_id,
                "name": access.name,
                "capacity": access.capacity,
                "kind": access.kind,
            },
        )
        if participant.status == Participant.Status.REMOVED:
            raise LiveError(
                _("The chair removed you from this meeting: %(reason)s")
                % {"reason": participant.removed_reason or _("no reason given")},
                code="removed",
            )
        already_in = not created and participant.status in (
            Participant.Status.PRESENT,
            Participant.Status.AWAY,
        )
        if room.locked and not already_in and access.kind != Participant.Kind.STAFF:
            raise LiveError(
                _("The chair has locked the room: nobody new may enter for now."),
                code="locked",
            )
        participant.entity_id = access.entity_id
        participant.name = access.name
        participant.capacity = access.capacity
        participant.kind = access.kind
        participant.presiding = access.kind == Participant.Kind.STAFF and access.may_moderate
        changed = (
            {participant.pk}
            if created or participant.status != Participant.Status.PRESENT
            else set()
        )
        before = participant.mode
        if access.kind == Participant.Kind.STAFF:
            _make_active(participant)
        elif not holds_seat(participant, now):
            occupancy = _occupancy(meeting, participant, now)
            _seat_or_wait(
                participant, meeting, occupancy, now, lost_seat=participant.mode == "active"
            )
            if participant.mode == Participant.Mode.PASSIVE:
                _check_passive_allowed(meeting, participant, occupancy)
        if participant.mode != before:
            changed.add(participant.pk)
        participant.status = Participant.Status.PRESENT
        participant.last_joined_at = now
        participant.save()
        connection = Connection.objects.create(
            participant=participant, channel_name=channel_name, process=process, last_seen_at=now
        )
        if meeting.is_closed and (created or changed):
            log_action(
                "vev.live.closed_meeting.admitted",
                actor=user,
                event=event,
                target=participant,
                data={
                    "meeting": meeting.code,
                    "capacity": participant.capacity,
                    "entity": participant.entity.name if participant.entity else "",
                },
            )
    return Admission(
        participant_id=participant.pk,
        connection_id=connection.pk,
        kind=participant.kind,
        mode=participant.mode,
        reason=participant.passive_reason,
        changed=frozenset(changed),
        access=access,
    )


def _make_active(participant: Participant) -> None:
    participant.mode = Participant.Mode.ACTIVE
    participant.passive_reason = ""
    participant.waiting_since = None


@dataclass(frozen=True)
class _Occupancy:
    """The room around one participant, counted in one query."""

    active: int  # seats held by others
    delegation: int  # seats held by others of the participant's delegation (staff aside)
    passive: int  # others following the webcast


def _occupancy(meeting: Meeting, participant: Participant, now) -> _Occupancy:
    holds = seat_holder_q(now)
    counts = {
        "active": Count("pk", filter=holds),
        "passive": Count(
            "pk", filter=Q(mode=Participant.Mode.PASSIVE, status=Participant.Status.PRESENT)
        ),
    }
    if participant.entity_id is not None:
        counts["delegation"] = Count(
            "pk",
            filter=holds & Q(entity_id=participant.entity_id) & ~Q(kind=Participant.Kind.STAFF),
        )
    row = (
        Participant.objects.filter(meeting_id=meeting.pk)
        .exclude(pk=participant.pk)
        .aggregate(**counts)
    )
    return _Occupancy(
        active=row["active"], delegation=row.get("delegation", 0), passive=row["passive"]
    )


def _seat_or_wait(
    participant: Participant, meeting: Meeting, occupancy: _Occupancy, now, *, lost_seat: bool
) -> None:
    event = meeting.event
    if occupancy.active >= event.active_capacity:
        reason = Participant.PassiveReason.ROOM_FULL
    elif (
        participant.entity_id is not None and occupancy.delegation >= event.active_per_member_state
    ):
        reason = (
            Participant.PassiveReason.SEAT_TAKEN
            if lost_seat
            else Participant.PassiveReason.DELEGATION_FULL
        )
    else:
        _make_active(participant)
        return
    participant.mode = Participant.Mode.PASSIVE
    participant.passive_reason = reason
    participant.waiting_since = participant.waiting_since or now
    _close_open_mic(participant)


def _close_open_mic(participant: Participant) -> None:
    """Whoever leaves the floor's seats (leaving, losing or handing their seat) loses the
    microphone the chair opened for them: it would come back with a seat unseen, and on the
    webcast nobody can close it. The caller holds the room."""
    if participant.mic_open:
        from .floor import close_mics  # the floor's open microphones (floor imports presence)

        close_mics(participant.meeting_id, by=participant.label, participant=participant)


def _check_passive_allowed(meeting: Meeting, participant: Participant, occupancy) -> None:
    if meeting.is_closed:
        raise LiveError(
            _("A closed meeting has no webcast, and there is no free seat for you: %(reason)s")
            % {"reason": participant.get_passive_reason_display()},
            code="no_seat",
        )
    if occupancy.passive >= meeting.event.passive_capacity:
        raise LiveError(
            ngettext(
                "The meeting is full: %(n)d participant already follows the webcast.",
                "The meeting is full: %(n)d participants already follow the webcast.",
                meeting.event.passive_capacity,
            )
            % {"n": meeting.event.passive_capacity},
            code="full",
        )


def disconnect(connection_id: int, *, reason: str, code: int | None = None) -> frozenset[int]:
    """Close a connection (and log why); returns the participants whose presence changed."""
    now = timezone.now()
    with transaction.atomic():
        connection = Connection.objects.select_for_update().filter(pk=connection_id).first()
        if connection is None or connection.closed_at is not None:
            return frozenset()
        lock_room(connection.participant.meeting_id)
        connection.closed_at = now
        connection.close_reason = reason
        connection.close_code = code
        connection.save(update_fields=["closed_at", "close_reason", "close_code"])
        participant = Participant.objects.select_for_update().get(pk=connection.participant_id)
        return frozenset(_after_connection_closed(participant, reason, now))


def _after_connection_closed(participant: Participant, reason: str, now) -> set[int]:
    if participant.connections.filter(closed_at__isnull=True).exists():
        return set()  # still in the room on another connection
    if participant.status == Participant.Status.REMOVED:
        return set()
    participant.status = (
        Participant.Status.LEFT if reason == Connection.Reason.LEFT else Participant.Status.AWAY
    )
    participant.last_left_at = now
    participant.save(update_fields=["status", "last_left_at"])
    changed = {participant.pk}
    if participant.status == Participant.Status.LEFT:
        _close_open_mic(participant)
    if participant.status == Participant.Status.LEFT and participant.mode == "active":
        changed |= promote_waiting(participant.meeting, participant.entity_id)
    return changed


def promote_waiting(meeting: Meeting, entity_id: int | None) -> set[int]:
    """Give free seats to the delegation's members who wait longest (caller holds the room)."""
    if entity_id is None:
        return set()
    event = meeting.event
    now = timezone.now()
    promoted: set[int] = set()
    waiting = Participant.objects.select_for_update().filter(
        meeting=meeting,
        entity_id=entity_id,
        mode=Participant.Mode.PASSIVE,
        status=Participant.Status.PRESENT,
        waiting_since__isnull=False,
    )
    candidates = list(waiting.order_by("waiting_since", "pk"))
    if not candidates:
        return promoted
    holders = seat_holders(meeting.pk, now)
    seats = holders.count()
    delegation = holders.filter(entity_id=entity_id).exclude(kind=Participant.Kind.STAFF).count()
    for candidate in candidates:
        if seats >= event.active_capacity or delegation >= event.active_per_member_state:
            break
        _make_active(candidate)
        candidate.save(update_fields=["mode", "passive_reason", "waiting_since"])
        record_user_event(meeting.pk, candidate.user_id, my_status(candidate))
        promoted.add(candidate.pk)
        seats += 1  # the seat just given
        delegation += candidate.kind != Participant.Kind.STAFF
    return promoted


def my_status(participant: Participant) -> MyStatus:
    return MyStatus(
        mode=participant.mode,
        status=participant.status,
        reason=participant.passive_reason,
        muted=participant.muted,
        at=timezone.now(),
    )


def announce(meeting_id: int, participant_ids) -> int | None:
    """Record one ``presence.updated`` with the current state of these participants."""
    ids = sorted(set(participant_ids))
    if not ids:
        return None
    with transaction.atomic():
        lock_room(meeting_id)
        meeting = Meeting.objects.get(pk=meeting_id)
        members = council_member_ids(meeting)
        rows = Participant.objects.filter(pk__in=ids).select_related("entity")
        event = PresenceUpdated(
            participants=[participant_info(p, members) for p in rows],
            counts=presence_counts(meeting_id),
        )
        return record_room_event(meeting_id, event)


def heartbeat(meeting_id: int, process: str = PROCESS_ID) -> int:
    """Refresh this process's open connections to the meeting; returns how many."""
    return Connection.objects.filter(
        participant__meeting_id=meeting_id, process=process, closed_at__isnull=True
    ).update(last_seen_at=timezone.now())


def sweep(meeting_id: int) -> frozenset[int]:
    """Close connections of dead processes and free seats held too long; returns changes."""
    now = timezone.now()
    changed: set[int] = set()
    stale = Connection.objects.filter(
        participant__meeting_id=meeting_id,
        closed_at__isnull=True,
        last_seen_at__lt=now - timedelta(seconds=STALE_SECONDS),
    ).values_list("pk", flat=True)
    for connection_id in list(stale):
        changed |= disconnect(connection_id, reason=Connection.Reason.SERVER_LOST)
    expired = Participant.objects.filter(
        meeting_id=meeting_id,
        mode=Participant.Mode.ACTIVE,
        status=Participant.Status.AWAY,
        last_left_at__lt=now - timedelta(seconds=SEAT_GRACE_SECONDS),
    ).exclude(kind=Participant.Kind.STAFF)
    entities = set(expired.values_list("entity_id", flat=True))
    if entities:
        with transaction.atomic():
            meeting = lock_room(meeting_id).meeting
            for entity_id in entities:
                changed |= promote_waiting(meeting, entity_id)
    return frozenset(changed)


def swap_seat(
    by, meeting: Meeting, *, giver_id: int, receiver_id: int, session_key: str = ""
) -> None:
    """Hand an active seat to a passive member of the same delegation (DM-20/1004: at most 3)."""
    with transaction.atomic():
        lock_room(meeting.pk)
        people = {
            p.pk: p
            for p in Participant.objects.select_for_update().filter(
                meeting=meeting, pk__in=[giver_id, receiver_id]
            )
        }
        giver, receiver = people.get(giver_id), people.get(receiver_id)
        if giver is None or receiver is None or giver_id == receiver_id:
            raise LiveError(_("Choose a member of your delegation in the room."))
        if giver.entity_id is None or giver.entity_id != receiver.entity_id:
            raise LiveError(_("Seats can only be handed within one delegation."))
        if not _may_swap(by, meeting, giver):
            raise LiveError(
                _("Only the seat holder, their head of delegation or the chair may hand a seat."),
                code="denied",
            )
        if not holds_seat(giver):
            raise LiveError(_("%(name)s does not hold an active seat.") % {"name": giver.name})
        if receiver.mode != Participant.Mode.PASSIVE or receiver.status != "present":
            raise LiveError(
                _("%(name)s is not following the meeting on the webcast.") % {"name": receiver.name}
            )
        giver.mode = Participant.Mode.PASSIVE
        giver.passive_reason = Participant.PassiveReason.GAVE_SEAT
        giver.waiting_since = None
        giver.save(update_fields=["mode", "passive_reason", "waiting_since"])
        _close_open_mic(giver)
        _make_active(receiver)
        receiver.save(update_fields=["mode", "passive_reason", "waiting_since"])
        log_action(
            "vev.live.seat.handed",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=receiver,
            data={"meeting": meeting.code, "from": giver.name, "to": receiver.name},
        )
        for person in (giver, receiver):
            record_user_event(meeting.pk, person.user_id, my_status(person))
        announce(meeting.pk, [giver_id, receiver_id])


def _may_swap(by, meeting: Meeting, giver: Participant) -> bool:
    from vev.council.models import Registration

    if by.pk == giver.user_id:
        return True
    access = room_access(by, meeting)
    if access.may_preside or access.is_secretariat:
        return True
    return Registration.objects.filter(
        event=meeting.event,
        user=by,
        entity_id=giver.entity_id,
        role=Registration.Role.HEAD_OF_DELEGATION,
        status=Registration.Status.APPROVED,
    ).exists()


def sweep_all() -> int:
    """``sweep`` every meeting with connections still open; announce what changed."""
    meeting_ids = set(
        Connection.objects.filter(closed_at__isnull=True).values_list(
            "participant__meeting_id", flat=True
        )
    ) | set(
        Participant.objects.filter(
            mode=Participant.Mode.ACTIVE, status=Participant.Status.AWAY
        ).values_list("meeting_id", flat=True)
    )
    changed_total = 0
    for meeting_id in sorted(meeting_ids):
        changed = sweep(meeting_id)
        if changed:
            announce(meeting_id, changed)
            changed_total += len(changed)
    return changed_total
