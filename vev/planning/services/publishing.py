"""Publish a plan version (write the meetings the rest of vev reads) and approve one.

Publishing turns the version's planned meetings into ``council.Meeting`` rows and their slots
into ``council.AgendaAllocation`` rows (with planned minutes), keeping the identity of the
meetings already published (same day, committee and role), so links, calendar entries (UIDs
use the meeting id) and the live room's data stay attached. Published meetings the new version
no longer has are cancelled, not deleted. Meetings already held are never touched.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.models import AgendaAllocation, AgendaItem, Meeting
from vev.council.permissions import Perm, has_perm

from ..errors import PlanningError
from ..events import PlanApproved, PlanPublished
from ..models import PlanVersion
from .planner import current_meetings, is_frozen, item_label


def _check_publishable(version: PlanVersion, now: datetime) -> None:
    event = version.event
    if version.status != PlanVersion.Status.DRAFT:
        raise PlanningError(
            _("Version %(number)d is not a draft (%(status)s); only drafts are published.")
            % {"number": version.number, "status": version.get_status_display()}
        )
    current = event.plan_versions.filter(status=PlanVersion.Status.PUBLISHED).first()
    if current is not None and version.based_on_id != current.pk:
        raise PlanningError(
            _(
                "Version %(current)d was published after this draft was computed. Plan again "
                "so the new plan starts from it."
            )
            % {"current": current.number}
        )
    stale: list[str] = []
    for planned in version.meetings.filter(frozen=False).prefetch_related("slots__item"):
        if planned.meeting is not None and is_frozen(planned.meeting, now):
            stale.append(
                _("%(meeting)s has started since this draft was computed.")
                % {"meeting": planned.meeting.code}
            )
        for slot in planned.slots.all():
            if slot.item.status != AgendaItem.Status.ON_AGENDA:
                stale.append(
                    _("%(item)s is no longer on the agenda (%(status)s).")
                    % {"item": item_label(slot.item), "status": slot.item.get_status_display()}
                )
    planned_items = set(
        version.meetings.values_list("slots__item_id", flat=True).exclude(slots__item_id=None)
    )
    for item in event.agenda_items.filter(status=AgendaItem.Status.ON_AGENDA).exclude(
        pk__in=planned_items
    ):
        stale.append(
            _("%(item)s was put on the agenda after this draft was computed.")
            % {"item": item_label(item)}
        )
    if stale:
        raise PlanningError(
            _("The agenda changed since this draft was computed; plan again."), stale
        )


def _assign_slugs(event, meetings: list[Meeting]) -> None:
    """Give each published meeting the slug of its code, moving aside cancelled holders."""
    wanted = {meeting.pk: slugify(meeting.code) or "meeting" for meeting in meetings}
    keep = set(wanted)
    for meeting in meetings:
        if meeting.slug != wanted[meeting.pk]:
            Meeting.objects.filter(pk=meeting.pk).update(slug=f"tmp-{meeting.pk}")
    for meeting in meetings:
        slug = wanted[meeting.pk]
        if meeting.slug == slug:
            continue
        for holder in event.meetings.filter(slug=slug).exclude(pk__in=keep):
            Meeting.objects.filter(pk=holder.pk).update(slug=f"{slug}-x{holder.pk}")
        Meeting.objects.filter(pk=meeting.pk).update(slug=slug)
        meeting.slug = slug


def _sync_allocations(meeting: Meeting, slots) -> None:
    existing = {a.item_id: a for a in meeting.allocations.all()}
    keep: set[int] = set()
    for slot in slots:
        allocation = existing.get(slot.item_id)
        if allocation is None:
            # The item may sit in another (non-held) meeting of the old plan: move it here.
            AgendaAllocation.objects.filter(
                item_id=slot.item_id, meeting__event=meeting.event
            ).exclude(meeting__status__in=[Meeting.Status.LIVE, Meeting.Status.ENDED]).filter(
                started_at__isnull=True
            ).delete()
            allocation = AgendaAllocation(meeting=meeting, item_id=slot.item_id)
        allocation.position = slot.position
        allocation.planned_minutes = slot.minutes
        allocation.save()
        keep.add(slot.item_id)
    meeting.allocations.exclude(item_id__in=keep).filter(started_at__isnull=True).delete()


@transaction.atomic
def publish_version(
    version: PlanVersion, *, by, now: datetime | None = None, request=None
) -> PlanVersion:
    now = now or timezone.now()
    version = PlanVersion.objects.select_for_update().select_related("event").get(pk=version.pk)
    event = version.event
    if not has_perm(by, Perm.AGENDA_MANAGE, event):
        raise PlanningError(_("Only the secretariat publishes the plan."))
    list(event.plan_versions.select_for_update())  # one publication at a time per event
    _check_publishable(version, now)

    published_before = {m.pk: m for m in current_meetings(event) if not is_frozen(m, now)}
    touched: list[Meeting] = []
    for planned in version.meetings.filter(frozen=False).select_related("meeting", "committee"):
        meeting = planned.meeting
        if meeting is not None and meeting.status == Meeting.Status.CANCELLED:
            meeting.status = Meeting.Status.SCHEDULED
            meeting.calendar_sequence += 1
        if meeting is None:
            template = (
                event.meetings.filter(committee=planned.committee).order_by("-starts_at").first()
            )
            meeting = Meeting(
                event=event,
                slug=f"tmp-p{planned.pk}",
                access=template.access if template else Meeting.Access.PUBLIC,
                platform=template.platform if template else Meeting.Platform.VEV,
                join_url=template.join_url if template else "",
            )
        elif (meeting.starts_at, meeting.ends_at) != (planned.starts_at, planned.ends_at):
            meeting.calendar_sequence += 1
        meeting.code = planned.code
        meeting.title = planned.title
        meeting.committee = planned.committee
        meeting.starts_at = planned.starts_at
        meeting.ends_at = planned.ends_at
        meeting.save()
        if planned.meeting_id != meeting.pk:
            planned.meeting = meeting
            planned.save(update_fields=["meeting"])
        published_before.pop(meeting.pk, None)
        touched.append(meeting)

    cancelled = []
    for meeting in published_before.values():
        meeting.status = Meeting.Status.CANCELLED
        meeting.calendar_sequence += 1
        meeting.save(update_fields=["status", "calendar_sequence", "updated_at"])
        meeting.allocations.filter(started_at__isnull=True).delete()
        cancelled.append(meeting.code)
    _assign_slugs(event, touched)
    for planned in version.meetings.filter(frozen=False).select_related("meeting"):
        _sync_allocations(planned.meeting, list(planned.slots.all()))

    event.plan_versions.filter(status=PlanVersion.Status.PUBLISHED).update(
        status=PlanVersion.Status.SUPERSEDED
    )
    event.plan_versions.filter(status=PlanVersion.Status.DRAFT).exclude(pk=version.pk).update(
        status=PlanVersion.Status.DISCARDED
    )
    version.status = PlanVersion.Status.PUBLISHED
    version.published_at = now
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    changes = version.changes.count()
    log_action(
        "vev.planning.plan.published",
        actor=by,
        event=event,
        target=version,
        data={
            "version": version.number,
            "days": version.day_count,
            "meetings": [m.code for m in touched],
            "cancelled": cancelled,
            "changes": changes,
        },
        request=request,
    )
    publish_on_commit(
        groups.event(event.pk),
        PlanPublished(
            event_id=event.pk, version=version.number, day_count=version.day_count, changes=changes
        ),
    )
    return version


@transaction.atomic
def approve_version(version: PlanVersion, *, by, request=None) -> PlanVersion:
    """Record that the opening plenary approved ``version`` (the current plan)."""
    version = PlanVersion.objects.select_for_update().select_related("event").get(pk=version.pk)
    event = version.event
    if not has_perm(by, Perm.PLAN_APPROVE, event):
        raise PlanningError(_("Only the chair or the secretariat records the approval."))
    approved = event.plan_versions.select_for_update().filter(approved_at__isnull=False).first()
    if approved is not None:
        raise PlanningError(
            _("The opening plenary already approved version %(number)d.")
            % {"number": approved.number}
        )
    if version.status != PlanVersion.Status.PUBLISHED:
        raise PlanningError(_("Only the current published plan can be approved."))
    opening = version.meetings.filter(is_opening=True).select_related("meeting").first()
    version.approved_at = timezone.now()
    version.approved_by = by
    version.approved_in = opening.meeting if opening else None
    version.save(update_fields=["approved_at", "approved_by", "approved_in", "updated_at"])
    log_action(
        "vev.planning.plan.approved",
        actor=by,
        event=event,
        target=version,
        data={"version": version.number, "meeting": opening.code if opening else ""},
        request=request,
    )
    publish_on_commit(
        groups.event(event.pk), PlanApproved(event_id=event.pk, version=version.number)
    )
    return version
