"""Closing written procedures at their deadline: the result, kept with every reply, announced.

The periodic task (``decisions.tasks.close_written_procedures``, every minute) calls
:func:`close_overdue`, which closes every open procedure whose deadline has passed. Each is
closed in its own transaction with its row locked (``SELECT … FOR UPDATE``) and its status
checked again under the lock, so two workers running the sweep at once close it once, and a
second run finds nothing to do. Replies are refused from the deadline on
(``services.replies``), so the replies counted are those given before it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit

from ..events import WrittenProcedureClosed
from ..models import WrittenProcedure, WrittenReply
from .notices import council_member_actors, notify_recipients, secretariat_and_chairs
from .outcome import Tally, decide, explain
from .replies import member_ids, tally

logger = logging.getLogger(__name__)


def close_overdue(now: datetime | None = None) -> list[int]:
    """Close every open procedure whose deadline is at or before ``now``; their ids."""
    now = now or timezone.now()
    due = WrittenProcedure.objects.filter(
        status=WrittenProcedure.Status.OPEN, deadline__lte=now
    ).values_list("pk", flat=True)
    closed = []
    for pk in list(due):
        try:
            if close(pk, now=now):
                closed.append(pk)
        except Exception:  # one failing procedure must not keep the others open
            logger.exception("could not close written procedure %s", pk)
    return closed


@transaction.atomic
def close(procedure_id: int, *, now: datetime | None = None) -> WrittenProcedure | None:
    """Close one procedure if it is open and overdue; None if there is nothing to do."""
    now = now or timezone.now()
    procedure = (
        WrittenProcedure.objects.select_for_update()
        .filter(pk=procedure_id, status=WrittenProcedure.Status.OPEN, deadline__lte=now)
        .first()
    )
    if procedure is None:  # closed by another worker, extended, withdrawn, or not yet due
        return None
    event = procedure.event
    counts = tally(procedure)
    outcome = decide(procedure.rule, counts)
    procedure.status = WrittenProcedure.Status.CLOSED
    procedure.closed_at = now
    procedure.result = outcome.result
    procedure.result_reason = outcome.reason
    procedure.tally = counts.as_dict()
    procedure.save(
        update_fields=["status", "closed_at", "result", "result_reason", "tally", "updated_at"]
    )
    members = member_ids(procedure)
    replies = (
        WrittenReply.objects.filter(procedure=procedure)
        .select_related("entity", "replied_by")
        .order_by("entity__name")
    )
    log_action(
        "vev.decisions.procedure.closed",
        event=event,
        target=procedure,
        data={
            "reference": procedure.reference,
            "rule": procedure.rule,
            "deadline": procedure.deadline.isoformat(),
            "result": outcome.result,
            "reason": str(outcome.reason),
            "tally": counts.as_dict(),
            "replies": [
                {
                    "entity": r.entity.name,
                    "choice": r.choice,
                    "by": r.replied_by.display_name if r.replied_by else None,
                    "at": r.replied_at.isoformat(),
                    "counted": r.entity_id in members,
                }
                for r in replies
            ],
        },
    )
    _announce(procedure, counts, outcome.reason)
    return procedure


def _announce(procedure: WrittenProcedure, counts: Tally, reason: str) -> None:
    event = procedure.event
    notify_recipients(
        [*council_member_actors(event), *secretariat_and_chairs(event)],
        event=event,
        kind="decisions.closed",
        title=gettext_lazy("Written procedure %(ref)s: %(result)s"),
        body=gettext_lazy(
            "Written procedure %(ref)s “%(title)s” closed at its deadline, "
            "%(deadline)s%(deadline_local)s.\n\nResult: %(result)s. %(explanation)s\n"
            "Agree: %(agree)s · object: %(object)s · abstain: %(abstain)s · no reply: "
            "%(no_reply)s (of %(members)s Council Members).\nOutcome rule: %(rule)s\n\n"
            "Every reply, with its statement, is on the procedure's page."
        ),
        url=procedure.get_absolute_url(),
        params={
            "ref": procedure.reference,
            "title": procedure.title,
            "result": lambda user, entity: procedure.get_result_display(),
            "explanation": lambda user, entity: explain(reason, counts),
            "rule": lambda user, entity: procedure.get_rule_display(),
            "agree": counts.agree,
            "object": counts.object,
            "abstain": counts.abstain,
            "no_reply": counts.no_reply,
            "members": counts.members,
        },
        times={"deadline": procedure.deadline},
    )
    publish_on_commit(
        groups.event(event.pk, "participants"),
        WrittenProcedureClosed(
            procedure_id=procedure.pk,
            number=procedure.number,
            result=procedure.result,
            reason=str(reason),
            agree=counts.agree,
            object=counts.object,
            abstain=counts.abstain,
            no_reply=counts.no_reply,
            members=counts.members,
            url=procedure.get_absolute_url(),
        ),
    )
