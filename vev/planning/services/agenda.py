"""Edit the agenda the planner works from, and the running order of a published meeting."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.models import AgendaAllocation, AgendaItem, Event, Meeting
from vev.council.permissions import Perm, has_perm

from ..errors import PlanningError
from ..events import RunningOrderChanged
from .planner import item_label

EDITABLE = ("code", "title", "kind", "committee", "estimated_minutes", "opens_session", "status")


def _check_manager(by, event: Event) -> None:
    if not has_perm(by, Perm.AGENDA_MANAGE, event):
        raise PlanningError(_("Only the secretariat edits the agenda."))


def _check_constraints(item: AgendaItem, must_follow, pinned_meeting: Meeting | None) -> None:
    event = item.event
    if pinned_meeting is not None:
        if pinned_meeting.event_id != event.pk:
            raise PlanningError(_("Choose a meeting of this event."))
        if pinned_meeting.status == Meeting.Status.CANCELLED:
            raise PlanningError(_("This meeting is cancelled; fix the item to another one."))
        if (
            item.committee_id
            and pinned_meeting.committee_id
            and item.committee_id != pinned_meeting.committee_id
        ):
            raise PlanningError(
                _("%(meeting)s is a meeting of another committee than the item's.")
                % {"meeting": pinned_meeting.code}
            )
    before = list(must_follow)
    for other in before:
        if other.event_id != event.pk:
            raise PlanningError(_("Choose items of this event."))
        if item.pk and other.pk == item.pk:
            raise PlanningError(_("An item cannot come after itself."))
    if item.pk:
        # Refuse a circle: no item this one must follow may (indirectly) follow this one.
        followers = {item.pk}
        frontier = [item.pk]
        while frontier:
            nxt = list(
                AgendaItem.must_follow.through.objects.filter(
                    to_agendaitem_id__in=frontier
                ).values_list("from_agendaitem_id", flat=True)
            )
            frontier = [pk for pk in nxt if pk not in followers]
            followers.update(frontier)
        for other in before:
            if other.pk in followers:
                raise PlanningError(
                    _("%(other)s already comes after this item: it cannot also come before it.")
                    % {"other": item_label(other)}
                )


@transaction.atomic
def save_item(
    event: Event,
    item: AgendaItem | None,
    *,
    by,
    data: dict,
    must_follow=(),
    pinned_meeting: Meeting | None = None,
    request=None,
) -> AgendaItem:
    """Create or update an agenda item with its estimate, constraints and status."""
    _check_manager(by, event)
    created = item is None
    if created:
        position = (event.agenda_items.aggregate(p=Max("position"))["p"] or 0) + 1
        item = AgendaItem(event=event, position=position)
    before = {field: getattr(item, field) for field in EDITABLE} if not created else {}
    if data.get("committee") is not None and data["committee"].event_id != event.pk:
        raise PlanningError(_("Choose a committee of this event."))
    for field in EDITABLE:
        if field in data:
            setattr(item, field, data[field])
    _check_constraints(item, must_follow, pinned_meeting)
    item.pinned_meeting = pinned_meeting
    item.save()
    item.must_follow.set(must_follow)
    changed = {
        field: [str(before.get(field)), str(getattr(item, field))]
        for field in EDITABLE
        if created or before.get(field) != getattr(item, field)
    }
    action = "vev.planning.item.created" if created else "vev.planning.item.updated"
    if not created and "status" in changed:
        action = {
            AgendaItem.Status.DEFERRED: "vev.planning.item.deferred",
            AgendaItem.Status.WITHDRAWN: "vev.planning.item.withdrawn",
            AgendaItem.Status.ON_AGENDA: "vev.planning.item.restored",
        }[item.status]
    log_action(
        action,
        actor=by,
        event=event,
        target=item,
        data={
            "item": item.label,
            "changed": changed,
            "must_follow": [other.pk for other in must_follow],
            "pinned_meeting": pinned_meeting.code if pinned_meeting else None,
        },
        request=request,
    )
    return item


@transaction.atomic
def move_allocation(allocation: AgendaAllocation, *, by, offset: int, request=None) -> None:
    """Move an item up (offset -1) or down (+1) in its meeting's running order."""
    meeting = Meeting.objects.select_for_update().get(pk=allocation.meeting_id)
    event = meeting.event
    _check_manager(by, event)
    if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise PlanningError(_("The running order of a meeting that is over cannot change."))
    allocations = list(meeting.allocations.select_related("item").order_by("position", "id"))
    index = next(i for i, a in enumerate(allocations) if a.pk == allocation.pk)
    target = index + offset
    if target < 0 or target >= len(allocations):
        raise PlanningError(_("The item is already at that end of the running order."))
    moving, other = allocations[index], allocations[target]
    if moving.started_at or other.started_at:
        raise PlanningError(_("Items already taken up keep their place."))
    first, second = (moving, other) if offset > 0 else (other, moving)
    # After the swap ``second`` comes before ``first``.
    if first.item in second.item.must_follow.all() or (
        first.item.opens_session and not second.item.opens_session
    ):
        raise PlanningError(
            _("%(item)s must come after %(before)s.")
            % {"item": item_label(second.item), "before": item_label(first.item)}
        )
    allocations[index], allocations[target] = other, moving
    for position, each in enumerate(allocations):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    log_action(
        "vev.planning.running_order.changed",
        actor=by,
        event=event,
        target=meeting,
        data={"item": moving.item.label, "offset": offset},
        request=request,
    )
    publish_on_commit(
        groups.meeting(meeting.pk),
        RunningOrderChanged(meeting_id=meeting.pk, allocations=[a.pk for a in allocations]),
    )


@transaction.atomic
def update_settings(event: Event, *, by, data: dict, request=None):
    """Meeting weekdays and night hours used by the planner and the fairness report."""
    from ..models import PlanningSettings

    _check_manager(by, event)
    settings = PlanningSettings.objects.select_for_update().get_or_create(event=event)[0]
    weekdays = sorted({int(day) for day in data["meeting_weekdays"]})
    if not weekdays or any(day < 0 or day > 6 for day in weekdays):
        raise PlanningError(_("Choose at least one meeting day of the week."))
    settings.meeting_weekdays = weekdays
    settings.night_start = data["night_start"]
    settings.night_end = data["night_end"]
    settings.save()
    log_action(
        "vev.planning.settings.updated",
        actor=by,
        event=event,
        target=settings,
        data={
            "meeting_weekdays": weekdays,
            "night": [settings.night_start.isoformat(), settings.night_end.isoformat()],
        },
        request=request,
    )
    return settings
