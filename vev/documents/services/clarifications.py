"""Requests for clarification on group 1 and 2 documents (DM-20/1004 Annex 2).

Council Members ask until the submissions deadline; the secretariat answers; both are published
on the document's page (the Council website). The State that asked is notified of the answer.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vev.core import plurals
from vev.core.audit import log_action
from vev.council.models import Registration
from vev.council.permissions import Perm
from vev.notifications.services import notify

from ..errors import DocumentsError
from ..models import Clarification, Deadline, Document, DocumentGroup
from . import deadlines
from .access import acting_state, require_manage

QUESTION_MAX_CHARS = 3000
ANSWER_MAX_CHARS = 10000


@transaction.atomic
def ask(user, document: Document, question: str, *, request=None) -> Clarification:
    event = document.event
    state = acting_state(user, event, Perm.DOCUMENTS_SUBMIT)
    if document.group not in (DocumentGroup.NOTE, DocumentGroup.APPROVE):
        raise DocumentsError(_("Requests for clarification are for group 1 and 2 documents."))
    if not document.on_agenda:
        raise DocumentsError(_("This document is not on the virtual agenda."))
    question = question.strip()
    if not question:
        raise DocumentsError(_("Write your question."))
    if len(question) > QUESTION_MAX_CHARS:
        raise DocumentsError(
            _("The question is too long (%(length)s; at most %(max)s).")
            % {"length": plurals.characters(len(question)), "max": QUESTION_MAX_CHARS}
        )
    deadlines.check_open(event, Deadline.Kind.SUBMISSIONS, state)
    clarification = Clarification.objects.create(
        document=document, entity=state, asked_by=user, question=question, asked_at=timezone.now()
    )
    log_action(
        "vev.documents.clarification.asked",
        actor=user,
        event=event,
        target=clarification,
        data={"symbol": document.symbol, "entity": state.name, "question": question},
        request=request,
    )
    return clarification


@transaction.atomic
def answer(clarification: Clarification, text: str, *, by, request=None) -> Clarification:
    clarification = (
        Clarification.objects.select_for_update(of=("self",))
        .select_related("document__event", "entity", "asked_by")
        .get(pk=clarification.pk)
    )
    document = clarification.document
    event = document.event
    require_manage(by, event)
    text = text.strip()
    if not text:
        raise DocumentsError(_("Write the answer."))
    if len(text) > ANSWER_MAX_CHARS:
        raise DocumentsError(
            _("The answer is too long (%(length)s; at most %(max)s).")
            % {"length": plurals.characters(len(text)), "max": ANSWER_MAX_CHARS}
        )
    first = clarification.answered_at is None
    clarification.answer = text
    clarification.answered_by = by
    clarification.answered_at = timezone.now()
    clarification.save(update_fields=["answer", "answered_by", "answered_at"])
    log_action(
        "vev.documents.clarification." + ("answered" if first else "answer_revised"),
        actor=by,
        event=event,
        target=clarification,
        data={"symbol": document.symbol, "answer": text},
        request=request,
    )
    heads = Registration.objects.filter(
        event=event,
        entity=clarification.entity,
        status=Registration.Status.APPROVED,
        role=Registration.Role.HEAD_OF_DELEGATION,
    ).select_related("user")
    recipients = [clarification.asked_by, *[r.user for r in heads]]
    url = reverse("documents:detail", kwargs={"event": event.slug, "document": document.pk})
    notify(
        recipients,
        kind="documents.clarification_answered",
        title=gettext_lazy("Your question on %(symbol)s was answered"),
        body=gettext_lazy("Question: %(question)s\n\nAnswer: %(answer)s"),
        url=f"{url}#clarification-{clarification.pk}",
        event=event,
        params={
            "symbol": document.symbol,
            "question": clarification.question,
            "answer": text,
        },
    )
    return clarification
