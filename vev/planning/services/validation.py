"""Check a stored plan version against the planning rules, independently of the solver.

Used by the tests (a plan the solver returns must pass) and shown on the version page, so a
plan edited by hand or computed before the agenda changed says what no longer holds.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from vev.core import plurals
from vev.council.models import AgendaItem

from ..models import PlannedSlot, PlanVersion
from .planner import item_label


def problems(version: PlanVersion) -> list[str]:
    """Every rule ``version`` breaks, in words; an empty list means the plan is valid."""
    event = version.event
    tz = event.tz
    found: list[str] = []
    meetings = list(version.meetings.select_related("committee", "meeting").order_by("starts_at"))
    slots = list(
        PlannedSlot.objects.filter(planned_meeting__version=version)
        .select_related("planned_meeting", "item", "item__pinned_meeting")
        .order_by("planned_meeting__starts_at", "position")
    )
    where: dict[int, list[PlannedSlot]] = defaultdict(list)
    for slot in slots:
        where[slot.item_id].append(slot)
    order = {slot.pk: index for index, slot in enumerate(slots)}

    # Every item on the agenda exactly once (items already held count where they were taken).
    on_agenda = event.agenda_items.filter(status=AgendaItem.Status.ON_AGENDA)
    for item in on_agenda:
        if item.pk not in where:
            found.append(_("%(item)s is not planned.") % {"item": item_label(item)})
    for placed in where.values():
        if len(placed) > 1:
            found.append(
                _("%(item)s is planned more than once.") % {"item": item_label(placed[0].item)}
            )
        item = placed[0].item
        if item.status != AgendaItem.Status.ON_AGENDA and not placed[0].planned_meeting.frozen:
            found.append(
                _("%(item)s is planned but is no longer on the agenda (%(status)s).")
                % {"item": item_label(item), "status": item.get_status_display()}
            )

    by_day: dict = defaultdict(set)
    for meeting in meetings:
        local_start = meeting.starts_at.astimezone(tz)
        local_end = meeting.ends_at.astimezone(tz)
        by_day[meeting.day].add(meeting.committee.code if meeting.committee else "")
        if meeting.frozen:
            continue
        if (
            local_start.time() < version.window_start
            or local_end.time() > version.window_end
            or local_end.date() != meeting.day
        ):
            found.append(
                _("%(meeting)s runs outside the daily window %(start)s–%(end)s.")
                % {
                    "meeting": meeting.code,
                    "start": version.window_start.strftime("%H:%M"),
                    "end": version.window_end.strftime("%H:%M"),
                }
            )
        used = sum(slot.minutes for slot in meeting.slots.all())
        if used > meeting.duration_minutes:
            found.append(
                _("%(meeting)s holds %(used)s of items in %(length)s.")
                % {
                    "meeting": meeting.code,
                    "used": plurals.minutes(used),
                    "length": plurals.minutes(meeting.duration_minutes),
                }
            )
        for item_slot in meeting.slots.all():
            if item_slot.item.committee_id and meeting.committee_id != item_slot.item.committee_id:
                found.append(
                    _("%(item)s is planned in a meeting of another committee (%(meeting)s).")
                    % {"item": item_label(item_slot.item), "meeting": meeting.code}
                )
    for day, committees in sorted(by_day.items()):
        if len(committees) > 1:
            found.append(
                _("Two committees meet on %(day)s (%(list)s).")
                % {"day": day.isoformat(), "list": ", ".join(sorted(committees))}
            )

    # Opening first.
    opening_slots = [slot for slot in slots if slot.item.opens_session]
    if opening_slots and slots:
        first_day = slots[0].planned_meeting.day
        for slot in opening_slots:
            if slot.planned_meeting.day != first_day or not slot.planned_meeting.is_opening:
                found.append(
                    _("%(item)s belongs to the opening plenary but is not in it.")
                    % {"item": item_label(slot.item)}
                )
        last_opening = max(order[slot.pk] for slot in opening_slots)
        for slot in slots[:last_opening]:
            if not slot.item.opens_session:
                found.append(
                    _("%(item)s comes before the end of the opening plenary.")
                    % {"item": item_label(slot.item)}
                )

    # Order constraints and pins.
    for placed in where.values():
        slot = placed[0]
        item = slot.item
        for before in item.must_follow.all():
            before_slots = where.get(before.pk)
            if not before_slots:
                continue
            if order[before_slots[0].pk] > order[slot.pk]:
                found.append(
                    _("%(item)s comes before %(before)s, which it must follow.")
                    % {"item": item_label(item), "before": item_label(before)}
                )
        pin = item.pinned_meeting
        if pin is not None and not slot.planned_meeting.frozen:
            pin_day = pin.starts_at.astimezone(tz).date()
            if slot.planned_meeting.day != pin_day:
                found.append(
                    _("%(item)s is fixed to %(meeting)s but planned on another day.")
                    % {"item": item_label(item), "meeting": pin.code}
                )
    return found
