"""The consultation on the virtual agenda (DM-20/1004 Annex 1 §4–5, Annex 2).

Until the consultation deadline, each Council Member State — through its head of delegation or
a councillor — says for each published document *keep* (on the virtual agenda) or *move* (to
the next physical session). A State may change its reply until the deadline. One "move" is
enough: the document moves at once and its agenda item follows (see ``documents.sync_agenda_item``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.models import CouncilMembership, Entity, Event
from vev.council.permissions import Perm

from ..errors import DocumentsError
from ..events import ConsultationReplied
from ..models import ConsultationReply, Deadline, Document, DocumentStatusChange
from . import deadlines
from .access import acting_state
from .documents import apply_placement


def consultation_documents(event: Event):
    """Documents in the consultation: every published document not withdrawn."""
    return (
        Document.objects.filter(event=event)
        .exclude(status__in=[Document.Status.DRAFT, Document.Status.WITHDRAWN])
        .select_related("agenda_item")
        .order_by("agenda_item__position", "position", "symbol")
    )


def council_members(event: Event) -> list[Entity]:
    return [
        m.entity
        for m in CouncilMembership.objects.filter(
            event=event, status=CouncilMembership.Status.MEMBER
        ).select_related("entity")
    ]


@transaction.atomic
def reply(user, document: Document, choice: str, *, request=None) -> ConsultationReply:
    """Record the reply of the user's State for one document (replacing an earlier one)."""
    return reply_many(user, document.event, {document.pk: choice}, request=request)[0]


@transaction.atomic
def reply_many(
    user, event: Event, choices: dict[int, str], *, request=None
) -> list[ConsultationReply]:
    """Record several replies of the user's State at once (the consultation form)."""
    state = acting_state(user, event, Perm.CONSULTATION_REPLY)
    deadlines.check_open(event, Deadline.Kind.CONSULTATION, state)
    if not choices:
        raise DocumentsError(_("Choose keep or move for at least one document."))
    if any(choice not in ConsultationReply.Choice.values for choice in choices.values()):
        raise DocumentsError(_("Choose keep or move."))
    documents = {
        d.pk: d
        for d in consultation_documents(event)
        .filter(pk__in=list(choices))
        .select_for_update(of=("self",))
    }
    if missing := set(choices) - set(documents):
        raise DocumentsError(
            ngettext(
                "%(n)s document is not in the consultation.",
                "%(n)s documents are not in the consultation.",
                len(missing),
            )
            % {"n": len(missing)}
        )
    now = timezone.now()
    saved = []
    for pk, choice in choices.items():
        document = documents[pk]
        existing = ConsultationReply.objects.filter(document=document, entity=state).first()
        if existing is not None and existing.choice == choice:
            saved.append(existing)
            continue
        record, _created = ConsultationReply.objects.update_or_create(
            document=document,
            entity=state,
            defaults={"choice": choice, "answered_by": user, "answered_at": now},
        )
        log_action(
            "vev.documents.consultation.replied",
            actor=user,
            event=event,
            target=document,
            data={
                "symbol": document.symbol,
                "entity": state.name,
                "choice": choice,
                "previous": existing.choice if existing else None,
            },
            request=request,
        )
        document = apply_placement(
            document, by=user, entity=state, cause=DocumentStatusChange.Cause.CONSULTATION
        )
        counts = ConsultationReply.objects.filter(document=document).aggregate(
            keep=Count("id", filter=Q(choice="keep")), move=Count("id", filter=Q(choice="move"))
        )
        publish_on_commit(
            groups.event(event.pk, "secretariat"),
            ConsultationReplied(
                document_id=document.pk,
                entity_id=state.pk,
                entity=state.display_name,
                choice=choice,
                answered_by=user.display_name,
                answered_at=now.isoformat(),
                document_status=document.status,
                keep=counts["keep"],
                move=counts["move"],
            ),
        )
        saved.append(record)
    return saved


@dataclass
class MatrixRow:
    document: Document
    cells: list[ConsultationReply | None]
    keep: int = 0
    move: int = 0


@dataclass
class Matrix:
    event: Event
    states: list[Entity]
    rows: list[MatrixRow] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def answered_states(self) -> int:
        return sum(1 for index in range(len(self.states)) if any(r.cells[index] for r in self.rows))

    @property
    def moved(self) -> int:
        return sum(1 for r in self.rows if r.document.status == Document.Status.MOVED)


def matrix(event: Event) -> Matrix:
    """Documents × Council Member States, in three queries whatever their number."""
    states = sorted(council_members(event), key=lambda e: e.name)
    index = {state.pk: i for i, state in enumerate(states)}
    documents = list(consultation_documents(event))
    for document in documents:
        document.event = event  # links name the event: no query per row
    replies: dict[int, list[ConsultationReply | None]] = {
        d.pk: [None] * len(states) for d in documents
    }
    for record in ConsultationReply.objects.filter(document__in=documents).select_related(
        "answered_by"
    ):
        if record.entity_id in index and record.document_id in replies:
            column = index[record.entity_id]
            record.entity = states[column]  # already loaded: no query per cell
            replies[record.document_id][column] = record
    result = Matrix(event=event, states=states)
    for document in documents:
        cells = replies[document.pk]
        result.rows.append(
            MatrixRow(
                document=document,
                cells=cells,
                keep=sum(1 for c in cells if c and c.choice == ConsultationReply.Choice.KEEP),
                move=sum(1 for c in cells if c and c.choice == ConsultationReply.Choice.MOVE),
            )
        )
    return result


def replies_of(event: Event, state: Entity) -> dict[int, ConsultationReply]:
    return {
        r.document_id: r
        for r in ConsultationReply.objects.filter(
            document__event=event, entity=state
        ).select_related("answered_by")
    }
