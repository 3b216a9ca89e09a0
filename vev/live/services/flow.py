"""The meeting's flow: opening, the item under discussion, suspension, closing, continuity.

DM-20/1004 Annex 2: at the start of each meeting the chair summarises the previous one and
offers to return to items that members missed for technical reasons. The room records when each
agenda item is taken up and closed (``AgendaAllocation.started_at`` / ``ended_at``, which the
running order shows as time used against time planned) and, from the connection log, which
Council Members were not connected during which items of the previous meeting.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vev.core.audit import log_action
from vev.council.models import AgendaAllocation, AgendaItem, Entity, Meeting, Registration

from ..errors import LiveError
from ..events import AgendaEntry, FlowChanged
from ..models import Connection, Participant, RoomState, SpeakerRequest
from ..queries import council_member_ids
from ..streams import lock_room, record_room_event
from .access import room_access

#: Not connected for at least this long during an item counts as having missed (part of) it.
MISSED_MINIMUM = timedelta(seconds=30)


def agenda_entries(meeting: Meeting) -> list[AgendaEntry]:
    rows = meeting.allocations.select_related("item").order_by("position", "pk")
    return [_agenda_entry(a) for a in rows]


def _agenda_entry(allocation: AgendaAllocation) -> AgendaEntry:
    return AgendaEntry(
        allocation_id=allocation.pk,
        item_id=allocation.item_id,
        code=allocation.item.code,
        title=allocation.item.title,
        position=allocation.position,
        planned_minutes=allocation.planned_minutes,
        started_at=allocation.started_at,
        ended_at=allocation.ended_at,
    )


def flow_state(meeting: Meeting, room: RoomState) -> dict:
    current = None
    if room.current_allocation_id:
        current = _agenda_entry(
            AgendaAllocation.objects.select_related("item").get(pk=room.current_allocation_id)
        )
    return {
        "status": meeting.status,
        "current": current.model_dump(mode="json") if current else None,
        "agenda": [e.model_dump(mode="json") for e in agenda_entries(meeting)],
        "summary": room.opening_summary,
    }


def _presiding(meeting: Meeting, by) -> str:
    access = room_access(by, meeting)
    if not (access.may_preside or access.is_secretariat):
        raise LiveError(
            _("Only the chair (or the secretariat on the chair's behalf) may do this."),
            code="denied",
        )
    participant = Participant.objects.filter(meeting=meeting, user=by).first()
    return participant.label if participant else by.display_name


def _publish(meeting: Meeting, room: RoomState, kind: str, label: str) -> None:
    meeting.refresh_from_db(fields=["status"])
    state = flow_state(meeting, room)
    record_room_event(
        meeting.pk,
        FlowChanged(
            type=kind,
            status=state["status"],
            current=state["current"],
            agenda=state["agenda"],
            summary=state["summary"],
            by=label,
        ),
    )


def _audit(meeting: Meeting, by, action: str, session_key: str = "", **data) -> None:
    log_action(
        f"vev.live.flow.{action}",
        actor=by,
        session_key=session_key,
        event=meeting.event_id,
        target=meeting,
        data={"meeting": meeting.code, **data},
    )


def open_meeting(meeting: Meeting, by, *, session_key: str = "") -> None:
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = _presiding(meeting, by)
        meeting.refresh_from_db()
        if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.SUSPENDED):
            raise LiveError(_("The meeting is already open or has ended."))
        meeting.status = Meeting.Status.LIVE
        meeting.save(update_fields=["status", "updated_at"])
        room.opened_at = room.opened_at or timezone.now()
        room.save(update_fields=["opened_at"])
        _audit(meeting, by, "opened", session_key)
        _publish(meeting, room, "flow.opened", label)


def suspend(meeting: Meeting, by, *, session_key: str = "") -> None:
    _set_status(
        meeting, by, Meeting.Status.LIVE, Meeting.Status.SUSPENDED, "suspended", session_key
    )


def resume(meeting: Meeting, by, *, session_key: str = "") -> None:
    _set_status(meeting, by, Meeting.Status.SUSPENDED, Meeting.Status.LIVE, "resumed", session_key)


def _set_status(
    meeting: Meeting, by, expected: str, new: str, action: str, session_key: str = ""
) -> None:
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = _presiding(meeting, by)
        meeting.refresh_from_db()
        if meeting.status != expected:
            raise LiveError(
                _("The meeting is not in session.")
                if expected == Meeting.Status.LIVE
                else _("The meeting is not suspended.")
            )
        meeting.status = new
        meeting.save(update_fields=["status", "updated_at"])
        _audit(meeting, by, action, session_key)
        _publish(meeting, room, f"flow.{action}", label)


def close_meeting(meeting: Meeting, by, *, session_key: str = "") -> None:
    """End the meeting: the floor and the current item close, the audio rooms are destroyed."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = _presiding(meeting, by)
        meeting.refresh_from_db()
        if meeting.status not in (Meeting.Status.LIVE, Meeting.Status.SUSPENDED):
            raise LiveError(_("The meeting is not in session."))
        now = timezone.now()
        _close_current_item(room, now)
        if room.floor_id:
            SpeakerRequest.objects.filter(pk=room.floor_id, status="speaking").update(
                status=SpeakerRequest.Status.DONE, ended_at=now, ended_by=by
            )
            room.floor = None
        SpeakerRequest.objects.filter(meeting=meeting, status="waiting").update(
            status=SpeakerRequest.Status.DISMISSED, ended_at=now
        )
        room.closed_at = now
        room.save(update_fields=["floor", "closed_at", "current_allocation"])
        meeting.status = Meeting.Status.ENDED
        meeting.save(update_fields=["status", "updated_at"])
        _audit(meeting, by, "closed", session_key)
        _publish(meeting, room, "flow.closed", label)
        transaction.on_commit(lambda: _destroy_media(meeting.pk))


def _destroy_media(meeting_id: int) -> None:
    from vev.media.errors import MediaError
    from vev.media.models import MediaRoom
    from vev.media.services.rooms import destroy_media

    if MediaRoom.objects.filter(meeting_id=meeting_id, active=True).exists():
        with contextlib.suppress(MediaError):  # Janus is down: its rooms went with it
            destroy_media(Meeting.objects.get(pk=meeting_id))


def _close_current_item(room: RoomState, now: datetime) -> AgendaAllocation | None:
    if not room.current_allocation_id:
        return None
    current = AgendaAllocation.objects.select_for_update().get(pk=room.current_allocation_id)
    if current.ended_at is None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    room.current_allocation = None
    return current


def take_up_item(meeting: Meeting, by, allocation_id: int, *, session_key: str = "") -> None:
    """The chair calls an agenda item; the previous one closes."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = _presiding(meeting, by)
        meeting.refresh_from_db()
        if meeting.status != Meeting.Status.LIVE:
            raise LiveError(_("Open the meeting before taking up an item."))
        allocation = (
            AgendaAllocation.objects.select_for_update(of=("self",))
            .select_related("item")
            .filter(meeting=meeting, pk=allocation_id)
            .first()
        )
        if allocation is None:
            raise LiveError(_("This item is not on this meeting's agenda."))
        now = timezone.now()
        if room.current_allocation_id and room.current_allocation_id != allocation.pk:
            _close_current_item(room, now)
        allocation.started_at = allocation.started_at or now
        allocation.ended_at = None
        allocation.save(update_fields=["started_at", "ended_at"])
        room.current_allocation = allocation
        room.save(update_fields=["current_allocation"])
        _audit(meeting, by, "item_taken_up", session_key, item=str(allocation.item))
        _publish(meeting, room, "flow.item_taken_up", label)


def close_item(meeting: Meeting, by, *, session_key: str = "") -> None:
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = _presiding(meeting, by)
        closed = _close_current_item(room, timezone.now())
        if closed is None:
            raise LiveError(_("No item is under discussion."))
        room.save(update_fields=["current_allocation"])
        _audit(meeting, by, "item_closed", session_key, item=str(closed.item))
        _publish(meeting, room, "flow.item_closed", label)


def set_summary(meeting: Meeting, by, text: str, *, session_key: str = "") -> None:
    """The chair's summary of the previous meeting, shown to everyone at the start."""
    text = (text or "").strip()
    if len(text) > 8000:
        raise LiveError(_("The summary is too long (at most 8,000 characters)."))
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = _presiding(meeting, by)
        room.opening_summary = text
        room.opening_summary_by = by
        room.save(update_fields=["opening_summary", "opening_summary_by"])
        _audit(meeting, by, "summary_set", session_key, length=len(text))
        _publish(meeting, room, "flow.summary_set", label)


def return_to_item(meeting: Meeting, by, item_id: int, *, session_key: str = "") -> int:
    """Add an item (e.g. one a delegation missed last time) to this meeting's running order."""
    with transaction.atomic():
        room = lock_room(meeting.pk)
        label = _presiding(meeting, by)
        item = AgendaItem.objects.filter(event_id=meeting.event_id, pk=item_id).first()
        if item is None:
            raise LiveError(_("This item is not on the session's agenda."))
        allocation = AgendaAllocation.objects.filter(meeting=meeting, item=item).first()
        if allocation is None:
            last = meeting.allocations.aggregate(p=Max("position"))["p"]
            allocation = AgendaAllocation.objects.create(
                meeting=meeting, item=item, position=(last if last is not None else -1) + 1
            )
        _audit(meeting, by, "item_added", session_key, item=str(item))
        _publish(meeting, room, "flow.item_added", label)
    return allocation.pk


# -- continuity: the previous meeting --------------------------------------------------------
def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            event_id=meeting.event_id, starts_at__lt=meeting.starts_at, status=Meeting.Status.ENDED
        )
        .order_by("-starts_at")
        .first()
    )


@dataclass(frozen=True)
class MissedItem:
    entity_id: int
    entity: str
    item_id: int
    item: str
    minutes: int  # how long the delegation was not connected during the item


def _intervals(rows, end: datetime) -> list[tuple[datetime, datetime]]:
    spans = sorted((opened, closed or end) for opened, closed in rows)
    merged: list[list[datetime]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    return [(a, b) for a, b in merged]


def _uncovered(start: datetime, stop: datetime, covered) -> timedelta:
    missing = timedelta()
    cursor = start
    for a, b in covered:
        if b <= cursor:
            continue
        if a >= stop:
            break
        if a > cursor:
            missing += a - cursor
        cursor = max(cursor, b)
    if cursor < stop:
        missing += stop - cursor
    return missing


def continuity(meeting: Meeting) -> dict:
    """What the chair and the secretariat see of the previous meeting (DM-20/1004 Annex 2):
    what delegations missed of it, which registered Council Members never connected to it, and
    a draft of the chair's summary."""
    previous = previous_meeting(meeting)
    if previous is None:
        return {"missed": [], "absent": [], "draft_summary": ""}
    return {
        "missed": [m.__dict__ for m in _missed_items_of(previous)],
        "absent": absent_members(previous),
        "draft_summary": _summary_of(previous),
    }


def missed_items(meeting: Meeting) -> list[MissedItem]:
    """Items of the previous meeting that a Council Member's delegation missed (DM-20/1004: the
    chair offers to return to them), from the connection log.

    A delegation missed an item when, for ``MISSED_MINIMUM`` or more while the item was under
    discussion, none of its members had a connection open to the room: a drop, arriving after
    the item was taken up, leaving before it closed. Any connection counts, on the webcast too:
    a delegation that followed on the webcast heard the item (it could not take the floor, but
    that is the room's capacity, not a lost connection). Delegations that never connected to
    the previous meeting are not listed item by item: ``absent_members`` names them once.
    """
    previous = previous_meeting(meeting)
    return _missed_items_of(previous) if previous is not None else []


def _missed_items_of(previous: Meeting) -> list[MissedItem]:
    members = council_member_ids(previous)
    end = (
        RoomState.objects.filter(pk=previous.pk).values_list("closed_at", flat=True).first()
        or previous.ends_at
    )
    items = [
        a
        for a in previous.allocations.select_related("item").order_by("position")
        if a.started_at is not None
    ]
    connections: dict[int, list] = {}
    for entity_id, opened, closed in Connection.objects.filter(
        participant__meeting=previous, participant__entity_id__in=members
    ).values_list("participant__entity_id", "opened_at", "closed_at"):
        connections.setdefault(entity_id, []).append((opened, closed))
    names = {e.pk: e.display_name for e in Entity.objects.filter(pk__in=connections)}
    result: list[MissedItem] = []
    for entity_id, rows in sorted(connections.items(), key=lambda kv: names[kv[0]]):
        covered = _intervals(rows, end)
        for allocation in items:
            stop = allocation.ended_at or end
            missing = _uncovered(allocation.started_at, stop, covered)
            if missing >= MISSED_MINIMUM:
                result.append(
                    MissedItem(
                        entity_id=entity_id,
                        entity=names[entity_id],
                        item_id=allocation.item_id,
                        item=str(allocation.item),
                        minutes=max(1, round(missing.total_seconds() / 60)),
                    )
                )
    return result


def absent_members(meeting: Meeting) -> list[str]:
    """Council Members with approved delegates who never connected to ``meeting``."""
    members = council_member_ids(meeting)
    registered = set(
        Registration.objects.filter(
            event_id=meeting.event_id,
            status=Registration.Status.APPROVED,
            entity_id__in=members,
        ).values_list("entity_id", flat=True)
    )
    connected = set(
        Participant.objects.filter(meeting=meeting, entity_id__in=members).values_list(
            "entity_id", flat=True
        )
    )
    return sorted(e.display_name for e in Entity.objects.filter(pk__in=registered - connected))


#: Functions ``(previous meeting) -> str | None`` asked in turn for the draft of the chair's
#: summary; apps built on the room register theirs (vev.records: the previous meeting's
#: summary record). The first text wins; without one, the outline below.
SUMMARY_SOURCES: list[Callable[[Meeting], str | None]] = []


def register_summary_source(source: Callable[[Meeting], str | None]):
    if source not in SUMMARY_SOURCES:
        SUMMARY_SOURCES.append(source)
    return source


def draft_summary(meeting: Meeting) -> str:
    """A starting point for the chair's summary: what the previous meeting took up."""
    previous = previous_meeting(meeting)
    return _summary_of(previous) if previous is not None else ""


def _summary_of(previous: Meeting) -> str:
    for source in SUMMARY_SOURCES:
        if text := source(previous):
            return text
    lines = [_("At its previous meeting (%(code)s) the Council took up:") % {"code": previous.code}]
    for allocation in previous.allocations.select_related("item").order_by("position"):
        if allocation.started_at is None:
            continue
        speakers = (
            SpeakerRequest.objects.filter(
                meeting=previous, allocation=allocation, floor_at__isnull=False
            )
            .values("entity_id")
            .distinct()
            .count()
        )
        lines.append(
            "– "
            + ngettext(
                "%(item)s (%(n)d delegation took the floor)",
                "%(item)s (%(n)d delegations took the floor)",
                speakers,
            )
            % {"item": allocation.item, "n": speakers}
        )
    return "\n".join(lines)
