"""Participation counts for the secretariat: never who, only how many.

* per space and hour (UTC): arrivals by ITU region and the peak of people present at once;
* per meeting: the people who used the join button, each counted once, by ITU region
  (``schedule.count_join``);
* per meeting in vev's own room: the people who were in the room and the most of them
  connected at once, by ITU region, read from the room's own connection log
  (``vev.live.models.Connection``, kept for the room anyway: nothing more is recorded);
* side meetings: how many were booked and held, per room.

Hidden participants are not counted in the spaces. Counts below ``MIN_SHOWN`` are shown as
“fewer than 3”, so that a small delegation cannot be singled out by its region.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from vev.council.models import Entity, Event, Meeting
from vev.live.models import Connection

from ..models import MeetingJoinMark, MeetingJoinTally, SideMeeting, Space, SpaceTally

MIN_SHOWN = 3
REGIONS = [("", "—"), *Entity.Region.choices]


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def record_arrival(space_id: int, region: str, present: int, *, at: datetime) -> None:
    hour = _hour(at)
    row, _created = SpaceTally.objects.get_or_create(space_id=space_id, hour=hour, region=region)
    SpaceTally.objects.filter(pk=row.pk).update(arrivals=F("arrivals") + 1)
    total, _created = SpaceTally.objects.get_or_create(space_id=space_id, hour=hour, region="")
    SpaceTally.objects.filter(pk=total.pk).update(peak=Greatest(F("peak"), present))


def shown(n: int | None) -> str:
    n = n or 0
    if 0 < n < MIN_SHOWN:
        return f"<{MIN_SHOWN}"
    return str(n)


def space_report(event: Event) -> list[dict]:
    rows = []
    for space in Space.objects.filter(venue__event=event).order_by("position"):
        tallies = SpaceTally.objects.filter(space=space)
        by_region = dict(
            tallies.values("region").annotate(n=Sum("arrivals")).values_list("region", "n")
        )
        rows.append(
            {
                "space": space,
                "arrivals": sum(by_region.values()),
                "peak": tallies.aggregate(p=Max("peak"))["p"] or 0,
                "by_region": [(label, shown(by_region.get(code))) for code, label in REGIONS],
                "hours": list(tallies.filter(region="").order_by("hour").values("hour", "peak")),
            }
        )
    return rows


#: Join marks stay this long after a meeting's planned end (a meeting may run over).
JOIN_MARKS_KEPT = timedelta(hours=6)


def join_key(meeting_id: int, user_id: int) -> str:
    """The mark that one person was counted for one meeting: a keyed hash, not the user."""
    return salted_hmac("vev.venue.meeting-join", f"{meeting_id}:{user_id}").hexdigest()


def forget_join_marks_of(user, event: Event) -> int:
    """A participant erasing their venue data: their marks go (the counts stay)."""
    keys = [join_key(pk, user.pk) for pk in event.meetings.values_list("pk", flat=True)]
    deleted, _by_model = MeetingJoinMark.objects.filter(meeting__event=event, key__in=keys).delete()
    return deleted


@transaction.atomic
def forget_join_marks(now: datetime | None = None) -> int:
    """Delete the “already counted” marks of meetings that are over; the counts stay."""
    now = now or timezone.now()
    over = Meeting.objects.filter(
        Q(status__in=[Meeting.Status.ENDED, Meeting.Status.CANCELLED])
        | Q(ends_at__lt=now - JOIN_MARKS_KEPT)
    ).exclude(status__in=[Meeting.Status.LIVE, Meeting.Status.SUSPENDED])
    deleted, _by_model = MeetingJoinMark.objects.filter(meeting__in=over).delete()
    return deleted


def room_attendance(meeting: Meeting, *, now: datetime | None = None) -> dict:
    """Who was in vev's room, as counts: the people with at least one connection, by ITU
    region, and the most people connected at once (a person with two windows counts once).

    Read from the room's connection log; a connection still open counts until it was last
    seen (so a server process that died does not keep anybody in the room).
    """
    return rooms_attendance([meeting.pk], now=now)[meeting.pk]


def rooms_attendance(meeting_ids, *, now: datetime | None = None) -> dict[int, dict]:
    """``room_attendance`` of several meetings, from one read of their connection logs."""
    now = now or timezone.now()
    spans: dict[int, dict[int, list[tuple[datetime, datetime]]]] = {
        meeting_id: defaultdict(list) for meeting_id in meeting_ids
    }
    region_of: dict[int, str] = {}
    rows = Connection.objects.filter(participant__meeting_id__in=meeting_ids).values_list(
        "participant__meeting_id",
        "participant_id",
        "participant__entity__itu_region",
        "opened_at",
        "closed_at",
        "last_seen_at",
    )
    for meeting_id, participant, region, opened, closed, seen in rows:
        end = closed or min(max(seen or opened, opened), now)
        spans[meeting_id][participant].append((opened, max(end, opened)))
        region_of[participant] = region or ""
    return {meeting_id: _attendance(people, region_of) for meeting_id, people in spans.items()}


def _attendance(spans: dict[int, list[tuple[datetime, datetime]]], region_of) -> dict:
    edges: list[tuple[datetime, int]] = []
    for intervals in spans.values():
        intervals.sort()
        start, end = intervals[0]
        for opened, closed in intervals[1:]:
            if opened <= end:  # overlapping windows of one person: one presence
                end = max(end, closed)
            else:
                edges += [(start, 1), (end, -1)]
                start, end = opened, closed
        edges += [(start, 1), (end, -1)]
    peak = present = 0
    for _moment, step in sorted(edges, key=lambda e: (e[0], e[1])):  # leaving before arriving
        present += step
        peak = max(peak, present)
    by_region: dict[str, int] = defaultdict(int)
    for participant in spans:
        by_region[region_of[participant]] += 1
    return {"attended": len(spans), "peak": peak, "by_region": dict(by_region)}


def meeting_report(event: Event) -> list[dict]:
    """Per meeting: people who used the join button; in vev's room, attendance and peak."""
    joins: dict[int, dict[str, int]] = defaultdict(dict)
    for row in MeetingJoinTally.objects.filter(meeting__event=event):
        joins[row.meeting_id][row.region] = row.joins
    meetings = list(event.meetings.order_by("starts_at"))
    rooms = rooms_attendance([m.pk for m in meetings if m.platform == Meeting.Platform.VEV])
    rows = []
    for meeting in meetings:
        counts = joins.get(meeting.pk, {})
        row = {
            "meeting": meeting,
            "joins": sum(counts.values()),
            "by_region": [(label, shown(counts.get(code))) for code, label in REGIONS],
            "room": None,
        }
        if meeting.platform == Meeting.Platform.VEV:
            room = rooms[meeting.pk]
            row["room"] = {
                "attended": room["attended"],
                "peak": room["peak"],
                "by_region": [
                    (label, shown(room["by_region"].get(code))) for code, label in REGIONS
                ],
            }
        rows.append(row)
    return rows


def side_meeting_report(event: Event) -> dict:
    meetings = SideMeeting.objects.filter(event=event)
    return meetings.aggregate(
        booked=Count("id", filter=Q(status=SideMeeting.Status.SCHEDULED)),
        cancelled=Count("id", filter=Q(status=SideMeeting.Status.CANCELLED)),
        spontaneous=Count("id", filter=Q(origin=SideMeeting.Origin.BUBBLE)),
    )
