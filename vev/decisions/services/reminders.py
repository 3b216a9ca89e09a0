"""The reminder 24 hours before the deadline, to Council Member States that have not replied.

Sent by the periodic task (``decisions.tasks.remind_written_procedures``). Idempotent: the
procedure records the deadline it was reminded for (``reminded_for``), under a row lock, so a
second run or a second worker sends nothing; an extended deadline is reminded again. When the
States learn of a deadline less than 24 hours before it (a short procedure, a late extension),
that notice is the reminder.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import WrittenProcedure, WrittenReply
from .notices import council_member_actors, notify_recipients
from .procedures import REMINDER_LEAD


def send_due_reminders(now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many notifications were created."""
    now = now or timezone.now()
    due = (
        WrittenProcedure.objects.filter(
            status=WrittenProcedure.Status.OPEN,
            deadline__gt=now,
            deadline__lte=now + REMINDER_LEAD,
        )
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("deadline")))
        .values_list("pk", flat=True)
    )
    return sum(remind(pk, now=now) for pk in list(due))


@transaction.atomic
def remind(procedure_id: int, *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    procedure = (
        WrittenProcedure.objects.select_for_update()
        .filter(pk=procedure_id, status=WrittenProcedure.Status.OPEN, deadline__gt=now)
        .first()
    )
    if procedure is None or procedure.reminded_for == procedure.deadline:
        return 0
    if procedure.deadline - now > REMINDER_LEAD:
        return 0
    event = procedure.event
    replied = WrittenReply.objects.filter(procedure=procedure).values_list("entity_id", flat=True)
    sent = notify_recipients(
        council_member_actors(event, exclude_entities=list(replied)),
        event=event,
        kind="decisions.reminder",
        title=gettext_lazy("Reminder: written procedure %(ref)s closes within 24 hours"),
        body=gettext_lazy(
            "%(state)s has not replied to written procedure %(ref)s “%(title)s”.\n\n"
            "Deadline for replies: %(deadline)s%(deadline_local)s\nOutcome rule: %(rule)s\n\n"
            "The head of delegation or a councillor replies on the procedure's page: agree, "
            "object or abstain."
        ),
        url=procedure.get_absolute_url(),
        params={
            "ref": procedure.reference,
            "title": procedure.title,
            "state": lambda user, entity: entity.display_name if entity else "",
            "rule": lambda user, entity: procedure.get_rule_display(),
        },
        times={"deadline": procedure.deadline},
    )
    procedure.reminded_for = procedure.deadline
    procedure.save(update_fields=["reminded_for", "updated_at"])
    return sent
