"""Comments for the summary record on group 2 documents (DM-20/1004 Annex 2).

“Comments shall not exceed half a page; a template will be provided.” Half a page is defined as
at most ``MAX_WORDS`` words and ``MAX_CHARS`` characters (half of an A4 page in 11-point type,
single spacing); both are shown while typing and enforced here. Drafts are personal and saved
while typing; a comment refused (too long, deadline passed) stays in the draft.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vev.core import plurals
from vev.core.audit import log_action
from vev.council.permissions import Perm

from ..errors import DeadlinePassed, DocumentsError
from ..models import CommentDraft, Deadline, Document, DocumentGroup, SummaryComment
from . import deadlines
from .access import acting_state

MAX_WORDS = 250
MAX_CHARS = 1500
DRAFT_MAX_CHARS = 20000  # a draft may be longer than a comment: nothing typed is lost


@dataclass(frozen=True)
class Length:
    words: int
    chars: int

    @property
    def within_limits(self) -> bool:
        return self.words <= MAX_WORDS and self.chars <= MAX_CHARS


def normalise(text: str) -> str:
    """Line endings as the browser sends them (CRLF) count once, like in the counter."""
    return text.replace("\r\n", "\n").strip()


def measure(text: str) -> Length:
    text = normalise(text)
    return Length(words=len(text.split()), chars=len(text))


def check_length(text: str) -> None:
    length = measure(text)
    problems = []
    if length.words > MAX_WORDS:
        # Translators: %(count)s is a counted noun (“250 words”), %(max)s a bare number.
        problems.append(
            _("%(count)s (at most %(max)s)")
            % {"count": plurals.words(length.words), "max": MAX_WORDS}
        )
    if length.chars > MAX_CHARS:
        problems.append(
            _("%(count)s (at most %(max)s)")
            % {"count": plurals.characters(length.chars), "max": MAX_CHARS}
        )
    if problems:
        raise DocumentsError(
            _(
                "A comment for the summary record may be at most half a page: %(problems)s. "
                "Shorten it; your text is kept as a draft."
            )
            % {"problems": "; ".join(problems)}
        )


def _check_document(document: Document) -> None:
    if document.group != DocumentGroup.APPROVE:
        raise DocumentsError(_("Comments for the summary record are for group 2 documents."))
    if not document.on_agenda:
        raise DocumentsError(_("This document is not on the virtual agenda."))


@transaction.atomic
def save_draft(user, document: Document, text: str) -> CommentDraft:
    """Keep what the user typed (any time, also after the deadline: nothing is lost)."""
    acting_state(user, document.event, Perm.DOCUMENTS_SUBMIT)
    text = text.replace("\r\n", "\n")
    if len(text) > DRAFT_MAX_CHARS:
        raise DocumentsError(
            ngettext(
                "A draft may have at most %(max)s character.",
                "A draft may have at most %(max)s characters.",
                DRAFT_MAX_CHARS,
            )
            % {"max": DRAFT_MAX_CHARS}
        )
    draft, _created = CommentDraft.objects.update_or_create(
        document=document, user=user, defaults={"text": text}
    )
    return draft


def file_comment(user, document: Document, text: str, *, request=None) -> SummaryComment:
    """File the State's comment. On refusal the text is saved as the user's draft first.

    The draft is written in its own transaction so that it survives the refusal.
    """
    try:
        return _file(user, document, text, request=request)
    except DocumentsError:
        if text.strip():
            with contextlib.suppress(DocumentsError):
                save_draft(user, document, text)
        raise


@transaction.atomic
def _file(user, document: Document, text: str, *, request=None) -> SummaryComment:
    event = document.event
    state = acting_state(user, event, Perm.DOCUMENTS_SUBMIT)
    _check_document(document)
    text = normalise(text)
    if not text:
        raise DocumentsError(_("Write your comment."))
    check_length(text)
    try:
        deadlines.check_open(event, Deadline.Kind.SUBMISSIONS, state)
    except DeadlinePassed as error:
        raise DeadlinePassed(
            str(error) + " " + _("Your text is kept as a draft."),
            deadline=error.deadline,
            due_at=error.due_at,
        ) from error
    existing = SummaryComment.objects.filter(document=document, entity=state).first()
    comment, _created = SummaryComment.objects.update_or_create(
        document=document,
        entity=state,
        defaults={"text": text, "filed_by": user, "filed_at": timezone.now()},
    )
    CommentDraft.objects.filter(document=document, user=user).delete()
    log_action(
        "vev.documents.comment." + ("replaced" if existing else "filed"),
        actor=user,
        event=event,
        target=comment,
        data={"symbol": document.symbol, "entity": state.name, "text": text},
        request=request,
    )
    return comment


@transaction.atomic
def withdraw_comment(user, comment: SummaryComment, *, request=None) -> None:
    event = comment.document.event
    state = acting_state(user, event, Perm.DOCUMENTS_SUBMIT)
    if comment.entity_id != state.pk:
        raise DocumentsError(_("You may only withdraw your own delegation's comment."))
    deadlines.check_open(event, Deadline.Kind.SUBMISSIONS, state)
    CommentDraft.objects.update_or_create(
        document=comment.document, user=user, defaults={"text": comment.text}
    )
    log_action(
        "vev.documents.comment.withdrawn",
        actor=user,
        event=event,
        target=comment,
        data={"symbol": comment.document.symbol, "entity": state.name, "text": comment.text},
        request=request,
    )
    comment.delete()


def summary_record(event):
    """Group 2 documents with the comments filed for the summary record."""
    documents = (
        Document.objects.filter(event=event, group=DocumentGroup.APPROVE)
        .exclude(status__in=[Document.Status.DRAFT, Document.Status.WITHDRAWN])
        .select_related("agenda_item")
        .prefetch_related("comments__entity", "comments__filed_by")
    )
    return [(d, list(d.comments.all())) for d in documents]
