"""Written contributions on group 3 documents (DM-20/1004 Annex 2).

“Contributions should be short (suggested at most 2 pages) … The secretariat will provide a
template.” vev offers the template as DOCX, accepts PDF or DOCX (checked by content and size),
counts the pages and warns above two; the limit is a suggestion, so a longer one is accepted.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vev.core import plurals
from vev.core.audit import log_action
from vev.council.models import Entity
from vev.council.permissions import Perm

from ..errors import DocumentsError
from ..models import Contribution, Deadline, Document, DocumentGroup
from ..models.contributions import SUGGESTED_MAX_PAGES
from . import deadlines
from .access import acting_state
from .files import CheckedFile, atomic_storage, save_to
from .writers import Paragraph, docx_bytes


@transaction.atomic
def submit(
    user, document: Document, *, title: str, checked: CheckedFile, request=None
) -> Contribution:
    event = document.event
    state = acting_state(user, event, Perm.DOCUMENTS_SUBMIT)
    if document.group != DocumentGroup.DISCUSS:
        raise DocumentsError(_("Written contributions are for group 3 documents."))
    if not document.on_agenda:
        raise DocumentsError(_("This document is not on the virtual agenda."))
    title = title.strip() or _("Contribution of %(state)s") % {"state": state.display_name}
    deadlines.check_open(event, Deadline.Kind.SUBMISSIONS, state)
    contribution = Contribution(
        document=document,
        entity=state,
        submitted_by=user,
        title=title[:300],
        format=checked.format,
        original_name=checked.original_name,
        size=checked.size,
        sha256=checked.sha256,
        page_count=checked.page_count,
        pages_estimated=checked.pages_estimated,
        submitted_at=timezone.now(),
    )
    with atomic_storage() as stored:
        save_to(contribution.file, checked, stored)
        contribution.save()
        log_action(
            "vev.documents.contribution.submitted",
            actor=user,
            event=event,
            target=contribution,
            data={
                "symbol": document.symbol,
                "entity": state.name,
                "title": contribution.title,
                "format": checked.format,
                "sha256": checked.sha256,
                "pages": checked.page_count,
                "pages_estimated": checked.pages_estimated,
            },
            request=request,
        )
    return contribution


def length_warning(contribution: Contribution | CheckedFile) -> str:
    """The warning shown for a contribution longer than suggested, or ''."""
    pages = contribution.page_count or 0
    if pages <= SUGGESTED_MAX_PAGES:
        return ""
    if contribution.pages_estimated:
        return _(
            "This contribution seems to have about %(pages)s (estimated from its words); "
            "contributions should have at most %(max)s."
        ) % {"pages": plurals.pages(pages), "max": plurals.pages(SUGGESTED_MAX_PAGES)}
    return _("This contribution has %(pages)s; contributions should have at most %(max)s.") % {
        "pages": plurals.pages(pages),
        "max": plurals.pages(SUGGESTED_MAX_PAGES),
    }


@transaction.atomic
def withdraw(user, contribution: Contribution, *, request=None) -> None:
    event = contribution.document.event
    state = acting_state(user, event, Perm.DOCUMENTS_SUBMIT)
    if contribution.entity_id != state.pk:
        raise DocumentsError(_("You may only withdraw your own delegation's contributions."))
    deadlines.check_open(event, Deadline.Kind.SUBMISSIONS, state)
    log_action(
        "vev.documents.contribution.withdrawn",
        actor=user,
        event=event,
        target=contribution,
        data={"symbol": contribution.document.symbol, "sha256": contribution.sha256},
        request=request,
    )
    name = contribution.file.name
    contribution.delete()
    transaction.on_commit(lambda: contribution.file.storage.delete(name))


def template_docx(document: Document | None = None, state: Entity | None = None) -> bytes:
    """The contribution template: who, on which document, and the suggested length."""
    event_title = document.event.title if document else ""
    heading = _("Written contribution")
    paragraphs = [
        Paragraph(event_title, "label") if event_title else Paragraph(""),
        Paragraph(heading, "title"),
        Paragraph(_("Document:"), "label"),
        Paragraph(f"{document.symbol} – {document.title}" if document else "C20/…"),
        Paragraph(_("Agenda item:"), "label"),
        Paragraph(document.agenda_item.label if document and document.agenda_item else ""),
        Paragraph(_("Submitted by (Member State):"), "label"),
        Paragraph(state.display_name if state else ""),
        Paragraph(_("Contact (name, e-mail):"), "label"),
        Paragraph(""),
        Paragraph(_("Summary"), "heading"),
        Paragraph(_("One or two sentences: what you propose and why."), "box"),
        Paragraph(_("Contribution"), "heading"),
        Paragraph(
            ngettext(
                "Keep the contribution short: at most %(max)s page is suggested (DM-20/1004, "
                "Annex 2, group 3). It is presented during the virtual session to help the "
                "discussion.",
                "Keep the contribution short: at most %(max)s pages are suggested (DM-20/1004, "
                "Annex 2, group 3). It is presented during the virtual session to help the "
                "discussion.",
                SUGGESTED_MAX_PAGES,
            )
            % {"max": SUGGESTED_MAX_PAGES}
        ),
        Paragraph(""),
        Paragraph(_("Proposed conclusion"), "heading"),
        Paragraph(_("The text you propose Council to conclude, if any."), "box"),
    ]
    return docx_bytes(paragraphs, title=str(heading), pages=1)
