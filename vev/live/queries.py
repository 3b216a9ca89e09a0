"""Reads of the room that snapshots and events share (already shaped as the wire DTOs)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from vev.council.models import CouncilMembership, Entity, Meeting

from .events import EntityInfo, ParticipantInfo, PresenceCounts
from .models import Participant

#: An active participant whose connection dropped keeps the seat this long (seconds).
SEAT_GRACE_SECONDS = 120


#: Council Members by event, read once per snapshot (``members_read_once``), else each time.
_members_read: ContextVar[dict[int, set[int]] | None] = ContextVar("members_read", default=None)


@contextmanager
def members_read_once():
    """Within one consistent read (a snapshot), read each event's Council Members once."""
    token = _members_read.set({})
    try:
        yield
    finally:
        _members_read.reset(token)


def council_member_ids(meeting: Meeting) -> set[int]:
    read = _members_read.get()
    if read is not None and meeting.event_id in read:
        return read[meeting.event_id]
    members = set(
        CouncilMembership.objects.filter(
            event_id=meeting.event_id, status=CouncilMembership.Status.MEMBER
        ).values_list("entity_id", flat=True)
    )
    if read is not None:
        read[meeting.event_id] = members
    return members


def entity_info(entity: Entity | None, members: set[int]) -> EntityInfo | None:
    if entity is None:
        return None
    return EntityInfo(
        id=entity.pk,
        name=entity.display_name,
        code=entity.iso_code or entity.short_name or entity.name[:12],
        council_member=entity.pk in members,
    )


def participant_info(participant: Participant, members: set[int]) -> ParticipantInfo:
    return ParticipantInfo(
        id=participant.pk,
        user_id=participant.user_id,
        name=participant.name,
        entity=entity_info(participant.entity, members),
        capacity=participant.capacity,
        kind=participant.kind,
        mode=participant.mode,
        status=participant.status,
        muted=participant.muted,
    )


def seat_holder_q(now=None) -> Q:
    """Active participants holding a seat: present, or away for less than the grace time."""
    now = now or timezone.now()
    return Q(mode=Participant.Mode.ACTIVE) & (
        Q(status=Participant.Status.PRESENT)
        | Q(
            status=Participant.Status.AWAY,
            last_left_at__gte=now - timedelta(seconds=SEAT_GRACE_SECONDS),
        )
    )


def seat_holders(meeting_id: int, now=None):
    """Active participants holding a seat: present, or away for less than the grace time."""
    return Participant.objects.filter(seat_holder_q(now), meeting_id=meeting_id)


def holds_seat(participant: Participant, now=None) -> bool:
    now = now or timezone.now()
    if participant.mode != Participant.Mode.ACTIVE:
        return False
    if participant.status == Participant.Status.PRESENT:
        return True
    return (
        participant.status == Participant.Status.AWAY
        and participant.last_left_at is not None
        and now - participant.last_left_at < timedelta(seconds=SEAT_GRACE_SECONDS)
    )


def presence_counts(meeting_id: int) -> PresenceCounts:
    active = seat_holders(meeting_id).count()
    passive_rows = (
        Participant.objects.filter(
            meeting_id=meeting_id,
            mode=Participant.Mode.PASSIVE,
            status=Participant.Status.PRESENT,
        )
        .values("entity_id")
        .annotate(n=Count("id"))
    )
    by_entity = {str(row["entity_id"] or 0): row["n"] for row in passive_rows}
    return PresenceCounts(
        active=active, passive=sum(by_entity.values()), passive_by_entity=by_entity
    )


def listed_participants(meeting: Meeting) -> list[ParticipantInfo]:
    """Who the room shows by name: active participants and staff present or briefly away.

    Part of every snapshot (up to 300 rows): read as plain values, with each entity read and
    named once, not as a model instance per row (``participant_info`` gives the same DTOs).
    """
    members = council_member_ids(meeting)
    rows = list(
        seat_holders(meeting.pk).order_by("kind", "entity__name", "name").values_list(*_LISTED)
    )
    entities = Entity.objects.in_bulk({row[3] for row in rows if row[3] is not None})
    infos = {pk: entity_info(entity, members) for pk, entity in entities.items()}
    return [
        ParticipantInfo(
            id=pk,
            user_id=user_id,
            name=name,
            entity=infos.get(entity_id),
            capacity=capacity,
            kind=kind,
            mode=mode,
            status=status,
            muted=muted,
        )
        for pk, user_id, name, entity_id, capacity, kind, mode, status, muted in rows
    ]


_LISTED = ("pk", "user_id", "name", "entity_id", "capacity", "kind", "mode", "status", "muted")
