"""Reminders before deadlines, sent by the periodic task (``documents.tasks``).

Each deadline is reminded ``LEAD_HOURS`` before it (72 h and 24 h), once per lead time
(``DeadlineReminder`` makes the sweep idempotent). The reminder goes to those who act before
that deadline: the secretariat for its documents; heads of delegation and councillors of the
Council Members for the consultation and for submissions. A deadline extended for everybody is
reminded against its new date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vev.council.models import CouncilMembership, Registration, StaffAssignment
from vev.notifications.services import notify

from ..models import Deadline, DeadlineReminder
from .deadlines import effective_due, format_in_zone_lazy

LEAD_HOURS = (72, 24)


def recipients(deadline: Deadline):
    event = deadline.event
    User = get_user_model()
    if deadline.kind == Deadline.Kind.SECRETARIAT_DOCUMENTS:
        ids = StaffAssignment.objects.filter(
            event=event, function=StaffAssignment.Function.SECRETARIAT
        ).values("user_id")
    else:
        members = CouncilMembership.objects.filter(
            event=event, status=CouncilMembership.Status.MEMBER
        ).values("entity_id")
        ids = Registration.objects.filter(
            event=event,
            status=Registration.Status.APPROVED,
            entity_id__in=members,
            role__in=[Registration.Role.HEAD_OF_DELEGATION, Registration.Role.COUNCILLOR],
        ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def send_due_reminders(now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many notifications were created."""
    now = now or timezone.now()
    sent = 0
    # Extensions can only push a deadline later, so older ones are long past.
    for deadline in Deadline.objects.filter(due_at__gte=now - timedelta(days=60)).select_related(
        "event"
    ):
        due = effective_due(deadline)
        if due <= now:
            continue
        lead = next((h for h in sorted(LEAD_HOURS) if due - timedelta(hours=h) <= now), None)
        if lead is None:
            continue
        sent += _remind(deadline, lead, due)
    return sent


def _remind(deadline: Deadline, lead: int, due: datetime) -> int:
    event = deadline.event
    try:
        with transaction.atomic():
            # Any reminder with a shorter or equal lead time makes this one redundant.
            if deadline.reminders.filter(lead_hours__lte=lead).exists():
                return 0
            reminder = DeadlineReminder.objects.create(deadline=deadline, lead_hours=lead)
            created = notify(
                recipients(deadline),
                kind="documents.deadline_reminder",
                title=gettext_lazy("Deadline approaching: %(what)s"),
                body=gettext_lazy("%(what)s: the deadline is %(when)s."),
                url=reverse("documents:deadlines", kwargs={"event": event.slug}),
                event=event,
                params={
                    # Lazy: notify() renders them in each recipient's language.
                    "what": Deadline.Kind(deadline.kind).label,
                    "when": format_in_zone_lazy(due, event.time_zone),
                },
            )
            reminder.recipients = len(created)
            reminder.save(update_fields=["recipients"])
            return len(created)
    except IntegrityError:  # another worker sent it at the same moment
        return 0
