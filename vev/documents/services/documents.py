"""Documents: created and published by the secretariat, placed on or off the virtual agenda.

Placement is derived: a published document is *moved* to the next physical session as soon as
one Council Member replied "move" in the consultation or has an applied request to defer
(DM-20/1004 Annex 1 §5: one request is enough), and is back on the agenda when no such reply or
request remains. An agenda item whose published documents have all moved is deferred.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vev.core.audit import log_action
from vev.core.models import AuditEntry
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.models import AgendaItem, Entity, Event, Registration, StaffAssignment
from vev.notifications.services import notify

from ..errors import DocumentsError
from ..events import DocumentStatusChanged
from ..models import (
    ConsultationReply,
    Deadline,
    Document,
    DocumentFile,
    DocumentGroup,
    DocumentRequest,
    DocumentRevision,
    DocumentStatusChange,
)
from . import deadlines
from .access import require_manage
from .files import CheckedFile, atomic_storage, save_to

DEFERRED_BY_DOCUMENTS = "vev.documents.agenda_item.deferred"
RESTORED_BY_DOCUMENTS = "vev.documents.agenda_item.restored"


@transaction.atomic
def create_document(
    event: Event,
    *,
    by,
    symbol: str,
    title: str,
    group: int,
    agenda_item: AgendaItem | None = None,
    source: Entity | None = None,
    files: dict[str, list[CheckedFile]] | None = None,
    request=None,
) -> Document:
    """A new document (not yet published), optionally with its first language files."""
    require_manage(by, event)
    symbol = symbol.strip()
    if not symbol or not title.strip():
        raise DocumentsError(_("A document needs a symbol and a title."))
    if Document.objects.filter(event=event, symbol__iexact=symbol).exists():
        raise DocumentsError(
            _("A document with the symbol %(symbol)s exists already.") % {"symbol": symbol}
        )
    if group not in DocumentGroup.values:
        raise DocumentsError(_("Choose group 1, 2, 3 or 4."))
    if agenda_item is not None and agenda_item.event_id != event.pk:
        raise DocumentsError(_("The agenda item belongs to another event."))
    position = (
        Document.objects.filter(event=event, agenda_item=agenda_item).aggregate(m=Max("position"))[
            "m"
        ]
        or 0
    ) + 1
    document = Document.objects.create(
        event=event,
        symbol=symbol,
        title=title.strip(),
        group=group,
        agenda_item=agenda_item,
        source=source,
        position=position,
    )
    log_action(
        "vev.documents.document.created",
        actor=by,
        event=event,
        target=document,
        data={
            "symbol": symbol,
            "group": group,
            "agenda_item": agenda_item.pk if agenda_item else None,
        },
        request=request,
    )
    if files:
        add_revision(document, by=by, files=files, note="", request=request)
    return document


@transaction.atomic
def update_document(
    document: Document,
    *,
    by,
    title: str,
    agenda_item: AgendaItem | None,
    source: Entity | None,
    request=None,
) -> Document:
    require_manage(by, document.event)
    if agenda_item is not None and agenda_item.event_id != document.event_id:
        raise DocumentsError(_("The agenda item belongs to another event."))
    old_item = document.agenda_item
    document.title = title.strip() or document.title
    document.agenda_item = agenda_item
    document.source = source
    document.save(update_fields=["title", "agenda_item", "source", "updated_at"])
    log_action(
        "vev.documents.document.updated",
        actor=by,
        event=document.event,
        target=document,
        data={"title": document.title, "agenda_item": agenda_item.pk if agenda_item else None},
        request=request,
    )
    for item in {old_item, agenda_item} - {None}:
        sync_agenda_item(item, by=by)
    return document


@transaction.atomic
def add_revision(
    document: Document,
    *,
    by,
    files: dict[str, list[CheckedFile]],
    note: str = "",
    request=None,
) -> DocumentRevision:
    """Store the language files of a new revision (number 0 is the original).

    ``files`` maps a language code to checked files (one PDF and/or one DOCX). Every file was
    checked before this call; all are stored or none (``atomic_storage``).
    """
    require_manage(by, document.event)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not any(files.values()):
        raise DocumentsError(_("Upload at least one file (PDF or DOCX)."))
    for language, checked in files.items():
        formats = [c.format for c in checked]
        if len(formats) != len(set(formats)):
            raise DocumentsError(
                _("Give at most one PDF and one DOCX per language (%(language)s).")
                % {"language": language}
            )
    last = document.revisions.aggregate(m=Max("number"))["m"]
    number = 0 if last is None else last + 1
    if number > 0 and not note.strip():
        raise DocumentsError(_("Say what changed in this revision."))
    with atomic_storage() as stored:
        revision = DocumentRevision.objects.create(
            document=document, number=number, note=note.strip(), created_by=by
        )
        for language, checked_files in files.items():
            for checked in checked_files:
                record = DocumentFile(
                    revision=revision,
                    language=language,
                    format=checked.format,
                    original_name=checked.original_name,
                    size=checked.size,
                    sha256=checked.sha256,
                    page_count=checked.page_count,
                    pages_estimated=checked.pages_estimated,
                )
                save_to(record.file, checked, stored)
                record.save()
        log_action(
            "vev.documents.revision.added",
            actor=by,
            event=document.event,
            target=document,
            data={
                "revision": number,
                "note": revision.note,
                "files": [
                    {"language": lang, "format": c.format, "sha256": c.sha256, "size": c.size}
                    for lang, checked in files.items()
                    for c in checked
                ],
            },
            request=request,
        )
        if number > 0 and document.is_published:
            _notify_participants(
                document,
                kind="documents.revised",
                title=gettext_lazy("%(symbol)s revised: %(title)s"),
                body=gettext_lazy("Revision %(number)s: %(note)s"),
                params={"number": number, "note": revision.note},
            )
    return revision


@transaction.atomic
def publish(document: Document, *, by, notify_participants: bool = True, request=None) -> Document:
    """Publish a document: it is then on the virtual agenda, in the consultation and public.

    Refused after the deadline for secretariat documents (unless extended for everybody or for
    the document's source).
    """
    event = document.event
    require_manage(by, event)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != Document.Status.DRAFT:
        raise DocumentsError(_("This document is already published."))
    if not document.revisions.filter(files__isnull=False).exists():
        raise DocumentsError(_("Upload the document's file before publishing it."))
    deadlines.check_open(event, Deadline.Kind.SECRETARIAT_DOCUMENTS, document.source)
    document.published_at = timezone.now()
    _change(
        document, Document.Status.ON_AGENDA, by=by, cause=DocumentStatusChange.Cause.SECRETARIAT
    )
    document.save(update_fields=["published_at", "updated_at"])
    log_action(
        "vev.documents.document.published",
        actor=by,
        event=event,
        target=document,
        data={"symbol": document.symbol, "group": document.group},
        request=request,
    )
    # Placement may already be decided (e.g. published after a reply), and the item follows.
    _apply_placement(document, by=by)
    if notify_participants:
        _notify_participants(
            document,
            kind="documents.published",
            title=gettext_lazy("New document %(symbol)s: %(title)s"),
            body=gettext_lazy("%(group)s. Agenda item: %(item)s."),
            params={
                "group": DocumentGroup(document.group).label,  # lazy: in each reader's language
                "item": document.agenda_item.label if document.agenda_item else "-",
            },
        )
    return document


@transaction.atomic
def set_group(document: Document, group: int, *, by, note: str = "", request=None) -> Document:
    require_manage(by, document.event)
    return _regroup(
        document,
        group,
        by=by,
        cause=DocumentStatusChange.Cause.SECRETARIAT,
        note=note,
        request=request,
    )


def _regroup(document, group, *, by, cause, note="", entity=None, request=None) -> Document:
    if group not in DocumentGroup.values:
        raise DocumentsError(_("Choose group 1, 2, 3 or 4."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.group == group:
        return document
    old = document.group
    document.group = group
    if group not in (DocumentGroup.NOTE, DocumentGroup.APPROVE):
        document.discuss_in_session = False
    document.save(update_fields=["group", "discuss_in_session", "updated_at"])
    DocumentStatusChange.objects.create(
        document=document,
        by=by,
        entity=entity,
        cause=cause,
        status_from=document.status,
        status_to=document.status,
        group_from=old,
        group_to=group,
        note=note[:500],
    )
    log_action(
        "vev.documents.document.regrouped",
        actor=by,
        event=document.event,
        target=document,
        data={"from": old, "to": group, "cause": cause, "note": note},
        request=request,
    )
    _publish_status(document)
    return document


@transaction.atomic
def withdraw(document: Document, *, by, note: str, request=None) -> Document:
    require_manage(by, document.event)
    if not note.strip():
        raise DocumentsError(_("Give the reason for withdrawing the document."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status == Document.Status.WITHDRAWN:
        return document
    _change(
        document,
        Document.Status.WITHDRAWN,
        by=by,
        cause=DocumentStatusChange.Cause.SECRETARIAT,
        note=note,
    )
    log_action(
        "vev.documents.document.withdrawn",
        actor=by,
        event=document.event,
        target=document,
        data={"note": note},
        request=request,
    )
    if document.agenda_item_id:
        sync_agenda_item(document.agenda_item, by=by)
    return document


# --- placement ------------------------------------------------------------------------------


def wants_move(document: Document) -> bool:
    """One "move" reply or one applied request to defer is enough (Annex 1 §5)."""
    return (
        ConsultationReply.objects.filter(
            document=document, choice=ConsultationReply.Choice.MOVE
        ).exists()
        or DocumentRequest.objects.filter(
            document=document,
            kind=DocumentRequest.Kind.DEFER,
            status=DocumentRequest.Status.APPLIED,
        ).exists()
    )


def wants_discussion(document: Document) -> bool:
    return DocumentRequest.objects.filter(
        document=document,
        kind=DocumentRequest.Kind.DISCUSS,
        status=DocumentRequest.Status.APPLIED,
    ).exists()


def apply_placement(
    document: Document, *, by=None, entity: Entity | None = None, cause: str = ""
) -> Document:
    """Recompute where a published document stands after a reply or a request changed."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("agenda_item")
            .get(pk=document.pk)
        )
        return _apply_placement(document, by=by, entity=entity, cause=cause)


def _apply_placement(document: Document, *, by=None, entity=None, cause: str = "") -> Document:
    cause = cause or DocumentStatusChange.Cause.CONSULTATION
    discuss = wants_discussion(document) and document.group in (
        DocumentGroup.NOTE,
        DocumentGroup.APPROVE,
    )
    if discuss != document.discuss_in_session:
        document.discuss_in_session = discuss
        document.save(update_fields=["discuss_in_session", "updated_at"])
        _publish_status(document)
    if document.status not in (Document.Status.ON_AGENDA, Document.Status.MOVED):
        return document
    target = Document.Status.MOVED if wants_move(document) else Document.Status.ON_AGENDA
    if target != document.status:
        _change(document, target, by=by, cause=cause, entity=entity)
        log_action(
            "vev.documents.document."
            + ("moved" if target == Document.Status.MOVED else "restored"),
            actor=by,
            event=document.event_id,
            target=document,
            data={
                "symbol": document.symbol,
                "cause": cause,
                "entity": entity.name if entity else None,
            },
        )
    if document.agenda_item_id:
        sync_agenda_item(document.agenda_item, by=by)
    return document


def _change(document, status, *, by, cause, entity=None, note="") -> None:
    old = document.status
    document.status = status
    document.save(update_fields=["status", "updated_at"])
    DocumentStatusChange.objects.create(
        document=document,
        by=by if getattr(by, "is_authenticated", False) else None,
        entity=entity,
        cause=cause,
        status_from=old,
        status_to=status,
        note=note[:500],
    )
    _publish_status(document)


def _publish_status(document: Document) -> None:
    item = document.agenda_item
    publish_on_commit(
        groups.event(document.event_id, "participants"),
        DocumentStatusChanged(
            document_id=document.pk,
            symbol=document.symbol,
            status=document.status,
            status_label=str(Document.Status(document.status).label),
            group=document.group,
            discuss_in_session=document.discuss_in_session,
            agenda_item_id=item.pk if item else None,
            agenda_item_status=item.status if item else None,
        ),
    )


def sync_agenda_item(item: AgendaItem, *, by=None) -> AgendaItem:
    """Defer an item whose published documents have all moved; restore one we deferred.

    Items without published documents, withdrawn items and items deferred by someone else
    (e.g. the planner) are left alone. The change is in the audit log, which is also how this
    function knows whether it deferred the item itself.
    """
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    published = list(
        item.documents.exclude(
            status__in=[Document.Status.DRAFT, Document.Status.WITHDRAWN]
        ).values_list("status", flat=True)
    )
    all_moved = bool(published) and all(s == Document.Status.MOVED for s in published)
    actor = by if getattr(by, "is_authenticated", False) else None
    if all_moved and item.status == AgendaItem.Status.ON_AGENDA:
        item.status = AgendaItem.Status.DEFERRED
        item.save(update_fields=["status", "updated_at"])
        log_action(
            DEFERRED_BY_DOCUMENTS,
            actor=actor,
            event=item.event_id,
            target=item,
            data={"code": item.code, "title": item.title, "documents_moved": len(published)},
        )
    elif not all_moved and item.status == AgendaItem.Status.DEFERRED and _deferred_by_us(item):
        item.status = AgendaItem.Status.ON_AGENDA
        item.save(update_fields=["status", "updated_at"])
        log_action(
            RESTORED_BY_DOCUMENTS,
            actor=actor,
            event=item.event_id,
            target=item,
            data={"code": item.code, "title": item.title},
        )
    return item


def _deferred_by_us(item: AgendaItem) -> bool:
    last = (
        AuditEntry.objects.filter(target_type="council.agendaitem", target_id=str(item.pk))
        .order_by("-position")
        .values_list("action", flat=True)
        .first()
    )
    return last == DEFERRED_BY_DOCUMENTS


# --- who hears about documents ----------------------------------------------------------------


def participants(event: Event):
    """Approved participants and staff of an event (the people notified of new documents)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    registered = Registration.objects.filter(
        event=event, status=Registration.Status.APPROVED
    ).values("user_id")
    staff = StaffAssignment.objects.filter(event=event).values("user_id")
    return User.objects.filter(is_active=True).filter(Q(pk__in=registered) | Q(pk__in=staff))


def _notify_participants(document: Document, *, kind, title, body, params) -> None:
    url = reverse(
        "documents:detail", kwargs={"event": document.event.slug, "document": document.pk}
    )
    notify(
        participants(document.event),
        kind=kind,
        title=title,
        body=body,
        url=url,
        event=document.event,
        params={"symbol": document.symbol, "title": document.title, **params},
    )
