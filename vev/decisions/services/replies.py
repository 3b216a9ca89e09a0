"""Replies of the Council Member States to a written procedure.

Each Council Member State replies through its head of delegation or a councillor (permission
``decisions.reply``): agree, object or abstain, with an optional statement. It may change its
reply until the deadline; the current reply is ``WrittenReply``, every reply and change is in
``WrittenReplyChange`` and in the audit log. A reply after the deadline is refused here, on the
server, whatever the page showed; what the delegate wrote is kept (``LateWrittenReply``) and
shown back to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.models import CouncilMembership, Entity

from ..errors import DecisionsError, ReplyTooLate
from ..events import WrittenProcedureReplied
from ..models import (
    LateWrittenReply,
    ReplyChoice,
    WrittenProcedure,
    WrittenReply,
    WrittenReplyChange,
)
from .access import acting_state
from .notices import format_in_zone, local_suffix
from .outcome import Tally

#: About a page of text: a statement explains a reply, the proposal is the document.
STATEMENT_MAX = 3000


def member_ids(procedure: WrittenProcedure) -> set[int]:
    return set(
        CouncilMembership.objects.filter(
            event_id=procedure.event_id, status=CouncilMembership.Status.MEMBER
        ).values_list("entity_id", flat=True)
    )


def tally(procedure: WrittenProcedure) -> Tally:
    """Current replies of the event's Council Members, counted by choice."""
    members = member_ids(procedure)
    counts = dict(
        WrittenReply.objects.filter(procedure=procedure, entity_id__in=members)
        .values("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return Tally(
        agree=counts.get(ReplyChoice.AGREE, 0),
        object=counts.get(ReplyChoice.OBJECT, 0),
        abstain=counts.get(ReplyChoice.ABSTAIN, 0),
        members=len(members),
    )


def _too_late(procedure: WrittenProcedure, user, state: Entity) -> ReplyTooLate:
    event = procedure.event
    return ReplyTooLate(
        _(
            "Replies to %(ref)s closed at the deadline, %(when)s%(local)s. Your reply was not "
            "recorded; what you wrote is kept on this page."
        )
        % {
            "ref": procedure.reference,
            "when": format_in_zone(procedure.deadline, event.time_zone),
            "local": local_suffix(procedure.deadline, event, user, state),
        },
        deadline=procedure.deadline,
    )


def reply(
    user, procedure: WrittenProcedure, choice: str, statement: str = "", *, request=None
) -> WrittenReply:
    """Record (or change) the reply of the user's State; refused after the deadline."""
    state = acting_state(user, procedure.event)
    statement = (statement or "").strip()
    try:
        with transaction.atomic():
            return _record(user, procedure, state, choice, statement, request)
    except ReplyTooLate:
        _keep_late(user, procedure, state, choice, statement, request)
        raise


def _record(user, procedure, state: Entity, choice: str, statement: str, request) -> WrittenReply:
    event = procedure.event
    procedure = WrittenProcedure.objects.select_for_update().get(pk=procedure.pk)
    procedure.event = event
    now = timezone.now()
    if procedure.status == WrittenProcedure.Status.WITHDRAWN:
        raise DecisionsError(
            _("%(ref)s was withdrawn by the secretariat; replies are no longer accepted.")
            % {"ref": procedure.reference}
        )
    if procedure.is_draft:
        raise DecisionsError(_("This written procedure has not been circulated."))
    if procedure.is_closed or procedure.deadline is None or now >= procedure.deadline:
        raise _too_late(procedure, user, state)
    if choice not in ReplyChoice.values:
        raise DecisionsError(_("Choose agree, object or abstain."))
    if len(statement) > STATEMENT_MAX:
        raise DecisionsError(
            _("The statement has %(n)s characters; at most %(max)s are accepted.")
            % {"n": f"{len(statement):,}", "max": f"{STATEMENT_MAX:,}"}
        )
    current = WrittenReply.objects.filter(procedure=procedure, entity=state).first()
    if current is not None and current.choice == choice and current.statement == statement:
        return current  # nothing changed: nothing to record
    previous = current.choice if current else ""
    if current is None:
        current = WrittenReply(procedure=procedure, entity=state)
    else:
        current.changes += 1
    current.choice = choice
    current.statement = statement
    current.replied_by = user
    current.replied_at = now
    current.save()
    WrittenReplyChange.objects.create(
        procedure=procedure,
        entity=state,
        choice=choice,
        statement=statement,
        previous_choice=previous,
        by=user,
        at=now,
    )
    log_action(
        "vev.decisions.reply." + ("changed" if previous else "given"),
        actor=user,
        event=event,
        target=procedure,
        data={
            "reference": procedure.reference,
            "entity": state.name,
            "choice": choice,
            "previous": previous or None,
            "statement": statement,
        },
        request=request,
    )
    counts = tally(procedure)
    publish_on_commit(
        groups.event(event.pk, "secretariat"),
        WrittenProcedureReplied(
            procedure_id=procedure.pk,
            entity_id=state.pk,
            entity=state.display_name,
            choice=choice,
            statement=statement,
            replied_by=user.display_name,
            replied_at=now.isoformat(),
            changes=current.changes,
            agree=counts.agree,
            object=counts.object,
            abstain=counts.abstain,
            no_reply=counts.no_reply,
        ),
    )
    return current


@transaction.atomic
def _keep_late(user, procedure, state: Entity, choice: str, statement: str, request) -> None:
    late = LateWrittenReply.objects.create(
        procedure=procedure,
        entity=state,
        choice=choice if choice in ReplyChoice.values else "",
        statement=statement,
        by=user,
        at=timezone.now(),
    )
    log_action(
        "vev.decisions.reply.refused_late",
        actor=user,
        event=procedure.event,
        target=procedure,
        data={
            "reference": procedure.reference,
            "entity": state.name,
            "choice": late.choice or None,
            "statement": statement,
            "deadline": procedure.deadline.isoformat() if procedure.deadline else None,
        },
        request=request,
    )


@dataclass(frozen=True)
class StateRow:
    """One Council Member State in the table of replies."""

    entity: Entity
    reply: WrittenReply | None


def table(procedure: WrittenProcedure) -> list[StateRow]:
    """Every Council Member State of the event with its current reply (or none)."""
    replies = {
        r.entity_id: r
        for r in WrittenReply.objects.filter(procedure=procedure).select_related("replied_by")
    }
    members = (
        CouncilMembership.objects.filter(
            event_id=procedure.event_id, status=CouncilMembership.Status.MEMBER
        )
        .select_related("entity")
        .order_by("entity__name")
    )
    return [StateRow(m.entity, replies.get(m.entity_id)) for m in members]


def reply_of(procedure: WrittenProcedure, state: Entity | None) -> WrittenReply | None:
    if state is None:
        return None
    return (
        WrittenReply.objects.filter(procedure=procedure, entity=state)
        .select_related("replied_by")
        .first()
    )


def late_replies_of(procedure: WrittenProcedure, state: Entity | None):
    if state is None:
        return LateWrittenReply.objects.none()
    return LateWrittenReply.objects.filter(procedure=procedure, entity=state).select_related("by")
