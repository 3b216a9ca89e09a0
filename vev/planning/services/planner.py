"""Compute a draft plan version from the agenda and the published plan.

``compute_plan`` reads the items on the agenda (status ON_AGENDA), their durations
(:mod:`.durations`), order constraints and pins, the meetings already held (frozen: never
changed) and the published meetings (kept stable unless ``keep_published=False``), runs the
CP-SAT model of :mod:`.solver` and stores the result as a draft :class:`PlanVersion` with its
change log against the published version. Publishing is :mod:`.publishing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.i18n import day_format
from vev.council.models import AgendaAllocation, AgendaItem, Committee, Event, Meeting
from vev.council.permissions import Perm, has_perm

from ..errors import PlanningError
from ..models import PlanChange, PlannedMeeting, PlannedSlot, PlanningSettings, PlanVersion
from . import solver
from .durations import item_minutes

FROZEN_STATUSES = (Meeting.Status.LIVE, Meeting.Status.SUSPENDED, Meeting.Status.ENDED)
LABEL_LENGTH = 90


def settings_for(event: Event) -> PlanningSettings:
    return PlanningSettings.objects.get_or_create(event=event)[0]


def item_label(item: AgendaItem) -> str:
    """“PL-2.3 Proposals for…”; items without a code are prefixed with their committee."""
    text = item.label
    if (not item.code or item.code == "-") and item.committee_id:
        text = f"{item.committee.code}: {text}"
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def window_on(event: Event, day: date) -> tuple[datetime, datetime]:
    """The daily window on ``day`` as aware datetimes (the event's wall clock, DST-correct)."""
    tz = event.tz
    return (
        datetime.combine(day, event.daily_window_start, tzinfo=tz),
        datetime.combine(day, event.daily_window_end, tzinfo=tz),
    )


def window_minutes(event: Event, day: date) -> int:
    start, end = window_on(event, day)
    return int((end - start).total_seconds() // 60)


def is_frozen(meeting: Meeting, now: datetime) -> bool:
    """Held, under way, or past its start: the planner never changes such a meeting."""
    return meeting.status in FROZEN_STATUSES or meeting.starts_at <= now


def is_opening_meeting(meeting: Meeting) -> bool:
    return any(allocation.item.opens_session for allocation in meeting.allocations.all())


def meeting_label(code: str, starts_at: datetime, event: Event) -> str:
    local = starts_at.astimezone(event.tz)
    return f"{code} · {local:%Y-%m-%d %H:%M}"


def _human_meeting(meeting: Meeting, event: Event) -> str:
    local = meeting.starts_at.astimezone(event.tz)
    return _("%(code)s on %(day)s") % {
        "code": meeting.code,
        "day": date_format(local.date(), day_format()),
    }


def current_meetings(event: Event):
    """The published meetings (not cancelled) with their allocations, in time order."""
    return list(
        event.meetings.exclude(status=Meeting.Status.CANCELLED)
        .select_related("committee")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=AgendaAllocation.objects.select_related("item").order_by("position"),
            )
        )
        .order_by("starts_at", "code")
    )


@dataclass
class _Context:
    event: Event
    now: datetime
    days: list[date]
    frozen: list[Meeting]
    published: list[Meeting]
    items: list[AgendaItem]
    done: set[int]


def _context(event: Event, now: datetime) -> _Context:
    config = settings_for(event)
    meetings = current_meetings(event)
    frozen = [m for m in meetings if is_frozen(m, now)]
    published = [m for m in meetings if not is_frozen(m, now)]
    tz = event.tz
    frozen_days = {m.starts_at.astimezone(tz).date() for m in frozen}
    days: list[date] = []
    day = event.first_day
    while day <= event.last_day:
        if (
            day.weekday() in config.meeting_weekdays
            and day not in frozen_days
            and window_on(event, day)[0] > now
        ):
            days.append(day)
        day += timedelta(days=1)
    done = {a.item_id for m in frozen for a in m.allocations.all()}
    items = list(
        event.agenda_items.filter(status=AgendaItem.Status.ON_AGENDA)
        .exclude(pk__in=done)
        .select_related("committee", "pinned_meeting")
        .prefetch_related("must_follow", "documents")
        .order_by("position", "id")
    )
    return _Context(event, now, days, frozen, published, items, done)


def build_problem(event: Event, *, keep_published: bool = True, now: datetime | None = None):
    """The solver's view of ``event``: (problem, context). Raises PlanningError on bad data."""
    now = now or timezone.now()
    ctx = _context(event, now)
    tz = event.tz
    day_index = {day: index for index, day in enumerate(ctx.days)}
    previous: dict[int, int] = {}
    for meeting in ctx.published:
        index = day_index.get(meeting.starts_at.astimezone(tz).date())
        if index is None:
            continue
        for allocation in meeting.allocations.all():
            previous[allocation.item_id] = index
    reasons: list[str] = []
    on_agenda = {item.pk for item in ctx.items}
    solver_items: list[solver.Item] = []
    for item in ctx.items:
        label = item_label(item)
        if item.committee is None:
            reasons.append(
                _("%(item)s has no committee: say whether PL or ADM takes it.") % {"item": label}
            )
            continue
        pinned_day = None
        pinned_label = ""
        pin = item.pinned_meeting
        if pin is not None:
            pinned_label = _human_meeting(pin, event)
            pin_day = pin.starts_at.astimezone(tz).date()
            if pin.status == Meeting.Status.CANCELLED:
                reasons.append(
                    _("%(item)s is fixed to %(meeting)s, which is cancelled.")
                    % {"item": label, "meeting": pinned_label}
                )
            elif is_frozen(pin, now):
                reasons.append(
                    _(
                        "%(item)s is fixed to %(meeting)s, which has already been held; fix it "
                        "to a later meeting or free it."
                    )
                    % {"item": label, "meeting": pinned_label}
                )
            elif pin_day not in day_index:
                reasons.append(
                    _("%(item)s is fixed to %(meeting)s, which is not on a meeting day.")
                    % {"item": label, "meeting": pinned_label}
                )
            elif pin.committee_id and pin.committee_id != item.committee_id:
                reasons.append(
                    _(
                        "%(item)s belongs to %(committee)s but is fixed to %(meeting)s, a "
                        "meeting of %(other)s."
                    )
                    % {
                        "item": label,
                        "committee": item.committee.code,
                        "meeting": pinned_label,
                        "other": pin.committee.code,
                    }
                )
            else:
                pinned_day = day_index[pin_day]
        after = []
        for before in item.must_follow.all():
            if before.pk in on_agenda:
                after.append(before.pk)
            elif before.pk in ctx.done:
                continue
            # A predecessor that was deferred or withdrawn no longer constrains the item.
        if item.opens_session and ctx.frozen:
            reasons.append(
                _(
                    "%(item)s belongs to the opening plenary, but meetings have already been "
                    "held: the opening cannot come first any more."
                )
                % {"item": label}
            )
        solver_items.append(
            solver.Item(
                key=item.pk,
                label=label,
                committee=item.committee.code,
                minutes=item_minutes(item),
                position=item.position,
                opening=item.opens_session,
                pinned_day=pinned_day,
                pinned_label=pinned_label,
                after=tuple(after),
                previous_day=previous.get(item.pk),
            )
        )
    # An item taken in a meeting already held cannot follow one still to come.
    by_pk = {item.pk: item for item in ctx.items}
    for meeting in ctx.frozen:
        for allocation in meeting.allocations.all():
            for before in allocation.item.must_follow.all():
                if before.pk in by_pk:
                    reasons.append(
                        _(
                            "%(item)s was taken in %(meeting)s, but %(before)s, which must "
                            "come before it, is still to be planned."
                        )
                        % {
                            "item": item_label(allocation.item),
                            "meeting": _human_meeting(meeting, event),
                            "before": item_label(before),
                        }
                    )
    if reasons:
        raise PlanningError(_("The agenda cannot be planned as it stands."), reasons)
    problem = solver.Problem(
        days=[solver.Day(day, window_minutes(event, day)) for day in ctx.days],
        items=solver_items,
        keep_published=keep_published,
        done=dict.fromkeys(ctx.done, ""),
    )
    return problem, ctx


def solve_event(event: Event, *, keep_published: bool = True, now: datetime | None = None):
    """Solve without saving: (solution, problem, context). Raises PlanningError."""
    problem, ctx = build_problem(event, keep_published=keep_published, now=now)
    try:
        solution = solver.solve(problem)
    except solver.Infeasible as infeasible:
        raise PlanningError(_("No plan satisfies every rule."), infeasible.reasons) from None
    return solution, problem, ctx


# --- storing a version ------------------------------------------------------------------------


def _next_number(event: Event) -> int:
    return (event.plan_versions.aggregate(n=Max("number"))["n"] or 0) + 1


def _allocation_minutes(allocation: AgendaAllocation) -> int:
    return allocation.planned_minutes or item_minutes(allocation.item)


def _copy_meeting(version: PlanVersion, meeting: Meeting, *, frozen: bool) -> PlannedMeeting:
    planned = PlannedMeeting.objects.create(
        version=version,
        code=meeting.code,
        title=meeting.title,
        committee=meeting.committee,
        is_opening=is_opening_meeting(meeting),
        day=meeting.starts_at.astimezone(version.event.tz).date(),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        frozen=frozen,
        meeting=meeting,
    )
    start = meeting.starts_at
    for allocation in meeting.allocations.all():
        minutes = _allocation_minutes(allocation)
        PlannedSlot.objects.create(
            planned_meeting=planned,
            item=allocation.item,
            position=allocation.position,
            minutes=minutes,
            starts_at=start,
        )
        start += timedelta(minutes=minutes)
    return planned


def record_schedule(event: Event, *, by=None, now: datetime | None = None) -> PlanVersion | None:
    """Record the meetings set up before the planner was first used as published version 1.

    Called by ``compute_plan`` when an event has meetings but no published version, so the
    first computed plan has a published plan to keep stable and to compare with.
    """
    now = now or timezone.now()
    meetings = current_meetings(event)
    if not meetings or event.plan_versions.filter(status=PlanVersion.Status.PUBLISHED).exists():
        return None
    version = PlanVersion.objects.create(
        event=event,
        number=_next_number(event),
        status=PlanVersion.Status.PUBLISHED,
        imported=True,
        note=_("Schedule in place before the planner was used"),
        window_start=event.daily_window_start,
        window_end=event.daily_window_end,
        day_count=len({m.starts_at.astimezone(event.tz).date() for m in meetings}),
        created_by=by,
        published_at=now,
        published_by=by,
    )
    for meeting in meetings:
        _copy_meeting(version, meeting, frozen=is_frozen(meeting, now))
    log_action(
        "vev.planning.plan.recorded",
        actor=by,
        event=event,
        target=version,
        data={"version": version.number, "meetings": len(meetings)},
    )
    return version


def _committee_objects(event: Event) -> dict[str, Committee]:
    return {c.code: c for c in event.committees.all()}


@transaction.atomic
def compute_plan(
    event: Event,
    *,
    by,
    keep_published: bool = True,
    note: str = "",
    now: datetime | None = None,
    request=None,
) -> PlanVersion:
    """Solve and store a draft version with its change log. Raises PlanningError (reasons)."""
    if by is not None and not has_perm(by, Perm.AGENDA_MANAGE, event):
        raise PlanningError(_("Only the secretariat plans the session."))
    now = now or timezone.now()
    Event.objects.select_for_update().filter(pk=event.pk).first()
    based_on = event.plan_versions.filter(status=PlanVersion.Status.PUBLISHED).first()
    if based_on is None:
        based_on = record_schedule(event, by=by, now=now)
    solution, problem, ctx = solve_event(event, keep_published=keep_published, now=now)
    version = PlanVersion.objects.create(
        event=event,
        number=_next_number(event),
        status=PlanVersion.Status.DRAFT,
        note=note.strip()[:300],
        based_on=based_on,
        keep_published=keep_published,
        window_start=event.daily_window_start,
        window_end=event.daily_window_end,
        created_by=by,
        solver_stats=solution.stats,
    )
    for meeting in ctx.frozen:
        _copy_meeting(version, meeting, frozen=True)
    _store_solution(version, solution, problem, ctx)
    version.day_count = version.meetings.values("day").distinct().count()
    version.save(update_fields=["day_count", "updated_at"])
    changes = record_changes(version)
    log_action(
        "vev.planning.plan.computed",
        actor=by,
        event=event,
        target=version,
        data={
            "version": version.number,
            "days": version.day_count,
            "keep_published": keep_published,
            "changes": changes,
            "solver": solution.stats,
        },
        request=request,
    )
    return version


def _store_solution(version, solution: solver.Solution, problem: solver.Problem, ctx) -> None:
    event = version.event
    committees = _committee_objects(event)
    items = {item.pk: item for item in ctx.items}
    # Published meetings by (day, committee code, opening?) keep their identity.
    published: dict[tuple[date, str, bool], Meeting] = {}
    for meeting in ctx.published:
        key = (
            meeting.starts_at.astimezone(event.tz).date(),
            meeting.committee.code if meeting.committee else "",
            is_opening_meeting(meeting),
        )
        published.setdefault(key, meeting)
    # The running order the secretariat set in published meetings is kept where it applies.
    hint: dict[int, int] = {}
    if version.keep_published:
        for meeting in ctx.published:
            for allocation in meeting.allocations.all():
                hint[allocation.item_id] = len(hint)
    for index in sorted(solution.days):
        day = problem.days[index].date
        code = solution.day_committee[index]
        ordered = solver.running_order(solution.days[index], hint)
        start, end = window_on(event, day)
        opening = [i for i in ordered if i.opening]
        rest = [i for i in ordered if not i.opening]
        groups: list[tuple[bool, list[solver.Item], datetime, datetime]] = []
        if opening:
            minutes = sum(i.minutes for i in opening)
            opening_end = start + timedelta(
                minutes=math.ceil(minutes / solver.OPENING_ROUNDING) * solver.OPENING_ROUNDING
            )
            groups.append((True, opening, start, opening_end))
            if rest:
                groups.append((False, rest, opening_end, end))
        else:
            groups.append((False, rest, start, end))
        for is_opening, group, g_start, g_end in groups:
            planned = PlannedMeeting.objects.create(
                version=version,
                code="",
                title=_("Opening plenary") if is_opening else "",
                committee=committees.get(code),
                is_opening=is_opening,
                day=day,
                starts_at=g_start,
                ends_at=g_end,
                meeting=published.pop((day, code, is_opening), None),
            )
            slot_start = g_start
            for position, solved in enumerate(group):
                PlannedSlot.objects.create(
                    planned_meeting=planned,
                    item=items[solved.key],
                    position=position,
                    minutes=solved.minutes,
                    starts_at=slot_start,
                )
                slot_start += timedelta(minutes=solved.minutes)
    # A published meeting whose day changed is the same meeting moved (calendars update it):
    # pair the rest in time order, per committee and role.
    leftover: dict[tuple[str, bool], list[Meeting]] = {}
    for (_day, code, is_opening), meeting in sorted(published.items(), key=lambda kv: kv[0][0]):
        leftover.setdefault((code, is_opening), []).append(meeting)
    for planned in version.meetings.filter(meeting__isnull=True, frozen=False).order_by(
        "starts_at"
    ):
        key = (planned.committee.code if planned.committee else "", planned.is_opening)
        if leftover.get(key):
            planned.meeting = leftover[key].pop(0)
            planned.save(update_fields=["meeting"])
    _number_meetings(version)


def _number_meetings(version: PlanVersion) -> None:
    """Codes: “Opening”, then “PL 1”, “PL 2”, “ADM 1”… in time order per committee."""
    counters: dict[str, int] = {}
    for planned in version.meetings.select_related("committee").order_by("starts_at"):
        if planned.is_opening:
            code = "Opening"
        else:
            committee = planned.committee.code if planned.committee else "M"
            counters[committee] = counters.get(committee, 0) + 1
            code = f"{committee} {counters[committee]}"
        if planned.frozen:
            continue  # a held meeting keeps its code; later ones are numbered after it
        planned.code = code
        planned.save(update_fields=["code"])


# --- change log -------------------------------------------------------------------------------


def _placements(version: PlanVersion | None) -> dict[int, PlannedSlot]:
    if version is None:
        return {}
    return {
        slot.item_id: slot
        for slot in PlannedSlot.objects.filter(planned_meeting__version=version).select_related(
            "planned_meeting", "item"
        )
    }


def record_changes(version: PlanVersion) -> int:
    """Write the change log of ``version`` against the version it was computed from."""
    event = version.event
    old_version = version.based_on
    old = _placements(old_version)
    new = _placements(version)
    changes: list[PlanChange] = []

    def where(slot: PlannedSlot) -> str:
        return meeting_label(slot.planned_meeting.code, slot.planned_meeting.starts_at, event)

    for item_id, slot in new.items():
        before = old.get(item_id)
        if before is None:
            changes.append(
                PlanChange(
                    version=version,
                    kind=PlanChange.Kind.ITEM_ADDED,
                    item=slot.item,
                    subject=item_label(slot.item),
                    after=where(slot),
                )
            )
        elif (before.planned_meeting.day, before.planned_meeting.is_opening) != (
            slot.planned_meeting.day,
            slot.planned_meeting.is_opening,
        ):
            changes.append(
                PlanChange(
                    version=version,
                    kind=PlanChange.Kind.ITEM_MOVED,
                    item=slot.item,
                    subject=item_label(slot.item),
                    before=where(before),
                    after=where(slot),
                )
            )
    for item_id, slot in old.items():
        if item_id not in new:
            item = AgendaItem.objects.filter(pk=item_id).first()
            changes.append(
                PlanChange(
                    version=version,
                    kind=PlanChange.Kind.ITEM_REMOVED,
                    item=item,
                    subject=item_label(slot.item),
                    before=where(slot),
                    reason=str(item.get_status_display()) if item else "",
                )
            )
    old_meetings = (
        {pm.meeting_id: pm for pm in old_version.meetings.all() if pm.meeting_id}
        if old_version
        else {}
    )
    new_meetings = {pm.meeting_id: pm for pm in version.meetings.all() if pm.meeting_id}
    for planned in version.meetings.filter(meeting__isnull=True):
        changes.append(
            PlanChange(
                version=version,
                kind=PlanChange.Kind.MEETING_ADDED,
                subject=planned.code,
                after=meeting_label(planned.code, planned.starts_at, event),
            )
        )
    for meeting_id, planned in old_meetings.items():
        now_planned = new_meetings.get(meeting_id)
        if now_planned is None:
            changes.append(
                PlanChange(
                    version=version,
                    kind=PlanChange.Kind.MEETING_CANCELLED,
                    subject=planned.code,
                    before=meeting_label(planned.code, planned.starts_at, event),
                )
            )
        elif (planned.starts_at, planned.ends_at, planned.code) != (
            now_planned.starts_at,
            now_planned.ends_at,
            now_planned.code,
        ):
            end_before = planned.ends_at.astimezone(event.tz)
            end_after = now_planned.ends_at.astimezone(event.tz)
            changes.append(
                PlanChange(
                    version=version,
                    kind=PlanChange.Kind.MEETING_RETIMED,
                    subject=planned.code,
                    before=meeting_label(planned.code, planned.starts_at, event)
                    + f"–{end_before:%H:%M}",
                    after=meeting_label(now_planned.code, now_planned.starts_at, event)
                    + f"–{end_after:%H:%M}",
                )
            )
    PlanChange.objects.bulk_create(changes)
    return len(changes)
