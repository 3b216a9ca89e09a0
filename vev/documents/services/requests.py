"""Requests of Council Members about a document (DM-20/1004 Annex 2).

* **discuss** (group 1 or 2): applied at once — the document leaves its package and is
  discussed in the virtual session;
* **defer** (any group): applied at once — one request is enough to move the document to the
  next physical session (Annex 1 §5);
* **regroup** (group 4 to group 1, 2 or 3): decided by the secretariat (several States may ask
  for different groups); accepting changes the group.

Each request records who made it, for which State and when; all until the submissions deadline.
A State may withdraw its request before the deadline.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.permissions import Perm

from ..errors import DocumentsError
from ..events import RequestMade
from ..models import Deadline, Document, DocumentGroup, DocumentRequest, DocumentStatusChange
from . import deadlines
from .access import acting_state, require_manage
from .documents import _regroup, apply_placement

OPEN = (DocumentRequest.Status.PENDING, DocumentRequest.Status.APPLIED)


@transaction.atomic
def make_request(
    user,
    document: Document,
    kind: str,
    *,
    target_group: int | None = None,
    reason: str = "",
    request=None,
) -> DocumentRequest:
    event = document.event
    state = acting_state(user, event, Perm.DOCUMENTS_REQUEST)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if kind not in DocumentRequest.Kind.values:
        raise DocumentsError(_("Unknown request."))
    if not document.on_agenda:
        raise DocumentsError(_("This document is not on the virtual agenda."))
    if kind == DocumentRequest.Kind.DISCUSS and document.group not in (
        DocumentGroup.NOTE,
        DocumentGroup.APPROVE,
    ):
        raise DocumentsError(
            _("Only group 1 and 2 documents go en bloc; group 3 documents are discussed anyway.")
        )
    if kind == DocumentRequest.Kind.REGROUP:
        if document.group != DocumentGroup.INFORMATION:
            raise DocumentsError(_("Only group 4 documents can be moved to another group."))
        if target_group not in (DocumentGroup.NOTE, DocumentGroup.APPROVE, DocumentGroup.DISCUSS):
            raise DocumentsError(_("Choose group 1, 2 or 3."))
    else:
        target_group = None
    deadlines.check_open(event, Deadline.Kind.SUBMISSIONS, state)
    if DocumentRequest.objects.filter(
        document=document, entity=state, kind=kind, status__in=OPEN
    ).exists():
        raise DocumentsError(_("Your delegation has already made this request."))
    automatic = kind in (DocumentRequest.Kind.DISCUSS, DocumentRequest.Kind.DEFER)
    now = timezone.now()
    record = DocumentRequest.objects.create(
        document=document,
        entity=state,
        kind=kind,
        target_group=target_group,
        reason=reason.strip()[:1000],
        requested_by=user,
        requested_at=now,
        status=DocumentRequest.Status.APPLIED if automatic else DocumentRequest.Status.PENDING,
        decided_at=now if automatic else None,
    )
    log_action(
        "vev.documents.request.made",
        actor=user,
        event=event,
        target=record,
        data={
            "symbol": document.symbol,
            "entity": state.name,
            "kind": kind,
            "target_group": target_group,
            "status": record.status,
            "reason": record.reason,
        },
        request=request,
    )
    if automatic:
        apply_placement(document, by=user, entity=state, cause=DocumentStatusChange.Cause.REQUEST)
    publish_on_commit(
        groups.event(event.pk, "secretariat"),
        RequestMade(
            request_id=record.pk,
            document_id=document.pk,
            symbol=document.symbol,
            entity=state.display_name,
            kind=kind,
            status=record.status,
        ),
    )
    return record


@transaction.atomic
def decide(
    record: DocumentRequest, *, by, accept: bool, note: str = "", request=None
) -> DocumentRequest:
    record = (
        DocumentRequest.objects.select_for_update(of=("self",))
        .select_related("document__event", "entity")
        .get(pk=record.pk)
    )
    document = record.document
    require_manage(by, document.event)
    if record.status != DocumentRequest.Status.PENDING:
        raise DocumentsError(_("This request was already decided."))
    if not accept and not note.strip():
        raise DocumentsError(_("Give a reason when you decline a request."))
    if accept and document.group != DocumentGroup.INFORMATION:
        raise DocumentsError(_("The document is no longer in group 4."))
    record.status = DocumentRequest.Status.APPLIED if accept else DocumentRequest.Status.DECLINED
    record.decided_by = by
    record.decided_at = timezone.now()
    record.decision_note = note.strip()[:500]
    record.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    log_action(
        "vev.documents.request." + ("accepted" if accept else "declined"),
        actor=by,
        event=document.event,
        target=record,
        data={
            "symbol": document.symbol,
            "entity": record.entity.name,
            "note": record.decision_note,
        },
        request=request,
    )
    if accept:
        _regroup(
            document,
            record.target_group,
            by=by,
            cause=DocumentStatusChange.Cause.REQUEST,
            entity=record.entity,
            note=_("Request of %(state)s") % {"state": record.entity.name},
            request=request,
        )
        # Other pending requests to regroup the same document are now moot.
        for other in DocumentRequest.objects.filter(
            document=document, kind=DocumentRequest.Kind.REGROUP, status="pending"
        ).exclude(pk=record.pk):
            other.status = DocumentRequest.Status.DECLINED
            other.decided_by = by
            other.decided_at = record.decided_at
            other.decision_note = _("The document was moved to %(group)s.") % {
                "group": DocumentGroup(record.target_group).label
            }
            other.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return record


@transaction.atomic
def withdraw(user, record: DocumentRequest, *, request=None) -> DocumentRequest:
    record = (
        DocumentRequest.objects.select_for_update(of=("self",))
        .select_related("document__event")
        .get(pk=record.pk)
    )
    event = record.document.event
    state = acting_state(user, event, Perm.DOCUMENTS_REQUEST)
    if record.entity_id != state.pk:
        raise DocumentsError(_("You may only withdraw your own delegation's requests."))
    if record.status not in OPEN:
        raise DocumentsError(_("This request can no longer be withdrawn."))
    deadlines.check_open(event, Deadline.Kind.SUBMISSIONS, state)
    was_applied = record.status == DocumentRequest.Status.APPLIED
    if was_applied and record.kind == DocumentRequest.Kind.REGROUP:
        raise DocumentsError(_("The secretariat has already moved the document."))
    record.status = DocumentRequest.Status.WITHDRAWN
    record.save(update_fields=["status"])
    log_action(
        "vev.documents.request.withdrawn",
        actor=user,
        event=event,
        target=record,
        data={"symbol": record.document.symbol, "entity": state.name, "kind": record.kind},
        request=request,
    )
    if was_applied:
        apply_placement(
            record.document, by=user, entity=state, cause=DocumentStatusChange.Cause.REQUEST
        )
    return record
