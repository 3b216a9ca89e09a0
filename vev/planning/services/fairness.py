"""Time-zone fairness of a daily meeting window for the delegations of an event.

For a proposed window (wall-clock times in the event's zone) and every meeting day, each
delegation's local time is computed from its entity's time zone on that very date, so a
daylight-saving change during the event (in the event's zone or the delegation's) is taken
into account day by day. Night hours are local ``night_start``–``night_end`` (22:00–07:00 by
default, ``PlanningSettings``). The report says who meets at night and how many hours of
their night the session takes; :func:`suggest` ranks windows of the same length by the night
time they take (total over all delegations, then the worst delegation).
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from vev.council.models import CouncilMembership, Entity, Event

from .planner import settings_for


@dataclass
class LocalWindow:
    first_day: date
    last_day: date
    start: str  # "06:00"
    end: str
    zone_name: str  # "EDT"


@dataclass
class ZoneRow:
    time_zone: str
    entities: list[Entity] = field(default_factory=list)
    members: int = 0
    windows: list[LocalWindow] = field(default_factory=list)
    night_minutes: int = 0  # over the whole session, per delegation
    night_days: int = 0
    worst_day_minutes: int = 0

    @property
    def night_hours(self) -> float:
        return round(self.night_minutes / 60, 1)


@dataclass
class Report:
    event: Event
    start: time
    end: time
    days: list[date]
    rows: list[ZoneRow]
    night_start: time
    night_end: time

    @property
    def delegations(self) -> int:
        return sum(len(row.entities) for row in self.rows)

    @property
    def affected(self) -> list[ZoneRow]:
        return [row for row in self.rows if row.night_minutes]

    @property
    def affected_delegations(self) -> int:
        return sum(len(row.entities) for row in self.affected)

    @property
    def total_night_minutes(self) -> int:
        return sum(row.night_minutes * len(row.entities) for row in self.rows)

    @property
    def total_night_hours(self) -> float:
        return round(self.total_night_minutes / 60, 1)

    @property
    def worst_minutes(self) -> int:
        return max((row.night_minutes for row in self.rows), default=0)


def meeting_days(event: Event) -> list[date]:
    weekdays = settings_for(event).meeting_weekdays
    days, day = [], event.first_day
    while day <= event.last_day:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> int:
    start, end = max(a_start, b_start), min(a_end, b_end)
    return max(0, int((end - start).total_seconds() // 60))


def night_minutes(
    start: datetime, end: datetime, tz: zoneinfo.ZoneInfo, night_start: time, night_end: time
) -> int:
    """Minutes of [start, end) that fall in the local night of zone ``tz``."""
    total = 0
    local_first = start.astimezone(tz).date() - timedelta(days=1)
    local_last = end.astimezone(tz).date()
    day = local_first
    while day <= local_last:
        night_from = datetime.combine(day, night_start, tzinfo=tz)
        night_to_day = day + timedelta(days=1) if night_end <= night_start else day
        night_to = datetime.combine(night_to_day, night_end, tzinfo=tz)
        total += _overlap(
            start.astimezone(UTC),
            end.astimezone(UTC),
            night_from.astimezone(UTC),
            night_to.astimezone(UTC),
        )
        day += timedelta(days=1)
    return total


def _delegations(event: Event, members_only: bool) -> list[tuple[Entity, bool]]:
    memberships = CouncilMembership.objects.filter(event=event).select_related("entity")
    if members_only:
        memberships = memberships.filter(status=CouncilMembership.Status.MEMBER)
    return [
        (m.entity, m.status == CouncilMembership.Status.MEMBER)
        for m in memberships.order_by("entity__name")
    ]


def assess(
    event: Event, start: time, end: time, *, members_only: bool = False, days=None
) -> Report:
    """Night hours each delegation spends in meetings held ``start``–``end`` (event zone)."""
    config = settings_for(event)
    days = days if days is not None else meeting_days(event)
    event_tz = event.tz
    by_zone: dict[str, ZoneRow] = {}
    for entity, is_member in _delegations(event, members_only):
        row = by_zone.setdefault(entity.time_zone, ZoneRow(entity.time_zone))
        row.entities.append(entity)
        row.members += int(is_member)
    for row in by_zone.values():
        tz = zoneinfo.ZoneInfo(row.time_zone)
        for day in days:
            window_start = datetime.combine(day, start, tzinfo=event_tz)
            window_end = datetime.combine(day, end, tzinfo=event_tz)
            minutes = night_minutes(
                window_start, window_end, tz, config.night_start, config.night_end
            )
            row.night_minutes += minutes
            row.night_days += int(minutes > 0)
            row.worst_day_minutes = max(row.worst_day_minutes, minutes)
            local_start, local_end = window_start.astimezone(tz), window_end.astimezone(tz)
            text = (f"{local_start:%H:%M}", f"{local_end:%H:%M}", local_end.tzname() or "")
            last = row.windows[-1] if row.windows else None
            if last and (last.start, last.end, last.zone_name) == text:
                last.last_day = day
            else:
                row.windows.append(LocalWindow(day, day, *text))
    rows = sorted(by_zone.values(), key=lambda r: (-r.night_minutes, r.time_zone))
    return Report(event, start, end, list(days), rows, config.night_start, config.night_end)


@dataclass
class Suggestion:
    start: time
    end: time
    total_minutes: int
    worst_minutes: int
    affected_delegations: int

    @property
    def total_hours(self) -> float:
        return round(self.total_minutes / 60, 1)

    @property
    def worst_hours(self) -> float:
        return round(self.worst_minutes / 60, 1)


def suggest(
    event: Event,
    length_minutes: int,
    *,
    members_only: bool = False,
    step_minutes: int = 30,
    limit: int = 5,
    prefer: time | None = None,
) -> list[Suggestion]:
    """Windows of ``length_minutes`` (event zone) that take the least night time."""
    config = settings_for(event)
    days = meeting_days(event)
    event_tz = event.tz
    zones: dict[str, int] = defaultdict(int)
    for entity, _member in _delegations(event, members_only):
        zones[entity.time_zone] += 1
    candidates: list[tuple[tuple, Suggestion]] = []
    for offset in range(0, 24 * 60 - length_minutes + 1, step_minutes):
        start = time(offset // 60, offset % 60)
        end_offset = offset + length_minutes
        end = time(23, 59) if end_offset >= 24 * 60 else time(end_offset // 60, end_offset % 60)
        total = worst = affected = 0
        for zone, count in zones.items():
            tz = zoneinfo.ZoneInfo(zone)
            minutes = 0
            for day in days:
                window_start = datetime.combine(day, start, tzinfo=event_tz)
                minutes += night_minutes(
                    window_start,
                    window_start + timedelta(minutes=length_minutes),
                    tz,
                    config.night_start,
                    config.night_end,
                )
            total += minutes * count
            worst = max(worst, minutes)
            affected += count if minutes else 0
        distance = abs(offset - (prefer.hour * 60 + prefer.minute)) if prefer else 0
        suggestion = Suggestion(start, end, total, worst, affected)
        candidates.append(((total, worst, distance, offset), suggestion))
    candidates.sort(key=lambda pair: pair[0])
    return [suggestion for _key, suggestion in candidates[:limit]]
