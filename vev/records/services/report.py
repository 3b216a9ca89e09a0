"""The report of the session's proposed conclusions, for the next physical meeting (DOCX, PDF).

DM-20/1004: the virtual session reaches only proposed conclusions, which go to the next
physical meeting of the Council for final decision; matters with an objection go there too.
The report lists:

1. the agreed (or already forwarded) proposed conclusions, **numbered** in the order they were
   agreed, grouped by agenda item in the order of the agenda, with where and when each was
   agreed and any absence the chair noted;
2. the **elections** by acclamation;
3. **separately**, the deferred matters: the proposed conclusions deferred, with the objecting
   Council Members and their reasons, or the request to defer and its note; the **agenda items**
   moved to the next physical session (``AgendaItem.Status.DEFERRED``), with why; the
   **documents** moved there by the consultation (a Council Member replied "move") or by an
   applied request to defer, with the States and their reasons;
4. the documents of the group 1 and group 2 packages **pulled out** at a Council Member's
   request to be discussed in the virtual session (not noted or approved en bloc).

Drafts, conclusions under call and withdrawn ones are not in the report. The report is the
secretariat's document (``records.edit``): it holds the conclusions of closed meetings too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.models import AuditEntry
from vev.council.models import AgendaItem, Event
from vev.decisions.models import (
    ConclusionTransition,
    Objection,
    ObjectionCall,
    ProposedConclusion,
)
from vev.decisions.services.notices import format_in_zone
from vev.documents.models import ConsultationReply, Document, DocumentGroup, DocumentRequest
from vev.documents.services.documents import DEFERRED_BY_DOCUMENTS
from vev.planning.services.pdf import render_pdf

State = ProposedConclusion.State


@dataclass
class Objector:
    entity: str
    reason: str


@dataclass
class Entry:
    conclusion: ProposedConclusion
    number: int | None
    text: str
    meeting: str
    decided: str
    absence_noted: list[str] = field(default_factory=list)
    objectors: list[Objector] = field(default_factory=list)
    reason: str = ""  # why deferred, in words

    @property
    def state_label(self) -> str:
        return self.conclusion.get_state_display()


@dataclass
class ItemGroup:
    item: AgendaItem | None
    entries: list[Entry]

    @property
    def heading(self) -> str:
        if self.item is None:
            return _("Other matters")
        return " ".join(p for p in (self.item.code, self.item.title) if p)


@dataclass
class DeferredItem:
    """An agenda item moved to the next physical session, and why."""

    item: AgendaItem
    reason: str

    @property
    def heading(self) -> str:
        return " ".join(p for p in (self.item.code, self.item.title) if p)


@dataclass
class MovedDocument:
    """A document moved to the next physical session, or pulled out of its package."""

    document: Document
    reason: str
    #: the requests' reasons: [(State, reason)]
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def heading(self) -> str:
        item = self.document.agenda_item
        where = f" ({item.code or item.title})" if item else ""
        return f"{self.document.symbol} {self.document.title}{where}"


@dataclass
class Report:
    event: Event
    generated_at: datetime
    groups: list[ItemGroup]
    elections: list[Entry]
    deferred: list[Entry]
    deferred_items: list[DeferredItem] = field(default_factory=list)
    moved_documents: list[MovedDocument] = field(default_factory=list)
    pulled_out: list[MovedDocument] = field(default_factory=list)

    @property
    def generated(self) -> str:
        return format_in_zone(self.generated_at, self.event.time_zone)

    @property
    def agreed_count(self) -> int:
        return sum(len(g.entries) for g in self.groups) + len(self.elections)


def _entry(conclusion: ProposedConclusion, tz: str) -> Entry:
    return Entry(
        conclusion=conclusion,
        number=conclusion.number,
        text=conclusion.text,
        meeting=conclusion.meeting.code if conclusion.meeting else "",
        decided=format_in_zone(conclusion.decided_at, tz) if conclusion.decided_at else "",
        absence_noted=list(conclusion.absence_noted),
    )


#: What a deferred conclusion's entry reads, fetched for all of them at once: the call that
#: deferred it with its standing objections, and its deferrals (newest first).
DEFERRAL_PREFETCH = (
    Prefetch(
        "calls",
        ObjectionCall.objects.filter(outcome="deferred")
        .order_by("-opened_at")
        .prefetch_related(
            Prefetch(
                "objections",
                Objection.objects.filter(withdrawn_at__isnull=True).select_related("entity"),
            )
        ),
        to_attr="deferring_calls",
    ),
    Prefetch(
        "transitions",
        ConclusionTransition.objects.filter(to_state=State.DEFERRED).order_by("-at", "-pk"),
        to_attr="deferrals",
    ),
)


def _deferred_entry(conclusion: ProposedConclusion, tz: str) -> Entry:
    """The entry of a deferred conclusion (``DEFERRAL_PREFETCH`` applied)."""
    entry = _entry(conclusion, tz)
    if conclusion.deferred_because == ProposedConclusion.DeferredBecause.OBJECTION:
        call = next(iter(conclusion.deferring_calls), None)
        if call is not None:
            entry.objectors = [
                Objector(o.entity.display_name, o.reason) for o in call.objections.all()
            ]
        entry.reason = _("Formal objection of %(s)s") % {
            "s": ", ".join(o.entity for o in entry.objectors) or _("a Council Member")
        }
    else:
        transition = next(iter(conclusion.deferrals), None)
        note = transition.note if transition else ""
        entry.reason = _("Deferred at the request of a Council Member") + (
            f": {note}" if note else ""
        )
    return entry


def build(event: Event) -> Report:
    tz = event.time_zone
    rows = list(
        ProposedConclusion.objects.filter(
            event=event, state__in=[State.AGREED, State.FORWARDED, State.DEFERRED]
        )
        .select_related("agenda_item", "meeting")
        .order_by("number", "decided_at", "created_at")
    )
    prefetch_related_objects([c for c in rows if c.state == State.DEFERRED], *DEFERRAL_PREFETCH)
    groups: dict[int | None, list[Entry]] = {}
    elections, deferred = [], []
    for conclusion in rows:
        if conclusion.state == State.DEFERRED:
            deferred.append(_deferred_entry(conclusion, tz))
        elif conclusion.kind == ProposedConclusion.Kind.ELECTION:
            elections.append(_entry(conclusion, tz))
        else:
            groups.setdefault(conclusion.agenda_item_id, []).append(_entry(conclusion, tz))
    items = {i.pk: i for i in AgendaItem.objects.filter(pk__in=[k for k in groups if k])}
    ordered = sorted(
        groups.items(),
        key=lambda kv: (kv[0] is None, items[kv[0]].position if kv[0] else 0, kv[0] or 0),
    )
    deferred.sort(
        key=lambda e: (
            e.conclusion.agenda_item.position if e.conclusion.agenda_item else 10**6,
            e.conclusion.created_at,
        )
    )
    return Report(
        event=event,
        generated_at=timezone.now(),
        groups=[ItemGroup(items.get(k) if k else None, v) for k, v in ordered],
        elections=elections,
        deferred=deferred,
        deferred_items=_deferred_items(event),
        moved_documents=_moved_documents(event),
        pulled_out=_pulled_out(event),
    )


def _deferred_items(event: Event) -> list[DeferredItem]:
    """Agenda items moved to the next physical session, with why: all their documents moved
    (the documents app), or the secretariat moved the item (the agenda), as the audit log says."""
    items = list(
        event.agenda_items.filter(status=AgendaItem.Status.DEFERRED)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.filter(status=Document.Status.MOVED).order_by("symbol"),
                to_attr="moved",
            )
        )
    )
    last: dict[str, AuditEntry] = {}  # the latest act that moved each item
    for entry in AuditEntry.objects.filter(
        target_type="council.agendaitem",
        target_id__in=[str(item.pk) for item in items],
        action__in=[DEFERRED_BY_DOCUMENTS, "vev.planning.item.deferred"],
    ).order_by("position"):
        last[entry.target_id] = entry
    result = []
    for item in items:
        act = last.get(str(item.pk))
        if act is not None and act.action == DEFERRED_BY_DOCUMENTS:
            reason = _("All its documents were moved to the next physical session: %(s)s") % {
                "s": ", ".join(document.symbol for document in item.moved)
            }
        elif act is not None:
            reason = _("Moved to the next physical session by the secretariat (%(who)s, %(at)s)")
            reason %= {
                "who": act.actor_label or _("the secretariat"),
                "at": format_in_zone(act.at, event.time_zone),
            }
        else:
            reason = _("Moved to the next physical session")
        result.append(DeferredItem(item, reason))
    return result


def _applied_requests(kind: str) -> Prefetch:
    """A document's applied requests of ``kind``, with their States, as ``document.applied``."""
    return Prefetch(
        "requests",
        queryset=DocumentRequest.objects.filter(
            kind=kind, status=DocumentRequest.Status.APPLIED
        ).select_related("entity"),
        to_attr="applied",
    )


def _states(names) -> str:
    return ", ".join(sorted(set(names)))


def _moved_documents(event: Event) -> list[MovedDocument]:
    """Documents moved to the next physical session: by the States that replied "move" in the
    consultation and those whose request to defer was applied (one is enough)."""
    result = []
    documents = (
        Document.objects.filter(event=event, status=Document.Status.MOVED)
        .select_related("agenda_item")
        .prefetch_related(
            Prefetch(
                "consultation_replies",
                queryset=ConsultationReply.objects.filter(
                    choice=ConsultationReply.Choice.MOVE
                ).select_related("entity"),
                to_attr="moves",
            ),
            _applied_requests(DocumentRequest.Kind.DEFER),
        )
        .order_by("agenda_item__position", "position", "symbol")
    )
    for document in documents:
        replied = [reply.entity.display_name for reply in document.moves]
        requests = document.applied
        parts = []
        if replied:
            parts.append(
                _("In the consultation %(s)s replied “move to the next physical session”.")
                % {"s": _states(replied)}
            )
        if requests:
            parts.append(
                _("Request to defer applied: %(s)s.")
                % {"s": _states(r.entity.display_name for r in requests)}
            )
        reason = " ".join(parts) or _("Moved by the secretariat.")
        reasons = [(r.entity.display_name, r.reason) for r in requests if r.reason]
        result.append(MovedDocument(document, reason, reasons))
    return result


def _pulled_out(event: Event) -> list[MovedDocument]:
    """Group 1 and 2 documents taken out of their package to be discussed in session."""
    result = []
    documents = (
        Document.objects.filter(
            event=event,
            status=Document.Status.ON_AGENDA,
            group__in=[DocumentGroup.NOTE, DocumentGroup.APPROVE],
            discuss_in_session=True,
        )
        .select_related("agenda_item")
        .prefetch_related(_applied_requests(DocumentRequest.Kind.DISCUSS))
        .order_by("group", "symbol")
    )
    for document in documents:
        requests = document.applied
        states = _states(r.entity.display_name for r in requests) or _("a Council Member")
        if document.group == DocumentGroup.NOTE:
            reason = _(
                "Taken out of the group 1 package (to be noted) to be discussed in the virtual "
                "session, at the request of %(s)s."
            ) % {"s": states}
        else:
            reason = _(
                "Taken out of the group 2 package (to be approved) to be discussed in the "
                "virtual session, at the request of %(s)s."
            ) % {"s": states}
        reasons = [(r.entity.display_name, r.reason) for r in requests if r.reason]
        result.append(MovedDocument(document, reason, reasons))
    return result


def _item_label(conclusion: ProposedConclusion) -> str:
    item = conclusion.agenda_item
    return " ".join(p for p in (item.code, item.title) if p) if item else ""


def report_pdf(event: Event) -> bytes:
    report = build(event)
    with timezone.override(event.tz):
        html = render_to_string("records/report_pdf.html", {"report": report, "event": event})
    return render_pdf(html)


def report_docx(event: Event) -> bytes:
    from docx import Document
    from docx.shared import Pt

    report = build(event)
    document = Document()
    document.core_properties.title = _("Proposed conclusions of %(e)s") % {"e": event.title}
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(_("Proposed conclusions of %(e)s") % {"e": event.title}, level=0)
    document.add_paragraph(
        _(
            "Report for the next physical meeting of the Council, which takes the final "
            "decision (DM-20/1004). Generated %(at)s."
        )
        % {"at": report.generated}
    )
    document.add_heading(_("Agreed proposed conclusions, by agenda item"), level=1)
    if not report.groups:
        document.add_paragraph(_("No proposed conclusion was agreed."))
    for group in report.groups:
        document.add_heading(group.heading, level=2)
        for entry in group.entries:
            _docx_entry(document, entry)
    document.add_heading(_("Elections by acclamation"), level=1)
    if not report.elections:
        document.add_paragraph(_("No election was recorded."))
    for entry in report.elections:
        _docx_entry(document, entry)
    document.add_heading(_("Matters deferred to the next physical meeting"), level=1)
    document.add_heading(_("Proposed conclusions deferred"), level=2)
    if not report.deferred:
        document.add_paragraph(_("No proposed conclusion was deferred."))
    for entry in report.deferred:
        paragraph = document.add_paragraph(style="List Bullet")
        item = _item_label(entry.conclusion)
        if item:
            paragraph.add_run(item + ": ").bold = True
        paragraph.add_run(entry.text)
        document.add_paragraph(entry.reason + (f" ({entry.meeting})" if entry.meeting else ""))
        for objector in entry.objectors:
            if objector.reason:
                document.add_paragraph(
                    _("Reason given by %(s)s: %(r)s") % {"s": objector.entity, "r": objector.reason}
                )
    document.add_heading(_("Agenda items moved to the next physical session"), level=2)
    if not report.deferred_items:
        document.add_paragraph(_("No agenda item was moved."))
    for deferred in report.deferred_items:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(deferred.heading + ": ").bold = True
        paragraph.add_run(deferred.reason)
    document.add_heading(_("Documents moved to the next physical session"), level=2)
    if not report.moved_documents:
        document.add_paragraph(_("No document was moved."))
    for moved in report.moved_documents:
        _docx_document(document, moved)
    document.add_heading(_("Documents taken out of the group 1 and group 2 packages"), level=1)
    if not report.pulled_out:
        document.add_paragraph(_("No document was taken out of the packages."))
    for moved in report.pulled_out:
        _docx_document(document, moved)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_document(document, moved: MovedDocument) -> None:
    paragraph = document.add_paragraph(style="List Bullet")
    paragraph.add_run(moved.heading + ": ").bold = True
    paragraph.add_run(moved.reason)
    for state, reason in moved.reasons:
        document.add_paragraph(_("Reason given by %(s)s: %(r)s") % {"s": state, "r": reason})


def _docx_entry(document, entry: Entry) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(_("No. %(n)s") % {"n": entry.number} + " ").bold = True
    paragraph.add_run(entry.text)
    facts = _("Agreed at %(m)s, %(at)s") % {"m": entry.meeting or "–", "at": entry.decided}
    if entry.conclusion.state == State.FORWARDED:
        facts += " · " + _("forwarded to the next physical meeting")
    if entry.absence_noted:
        facts += " · " + _("recorded with the absence noted of: %(s)s") % {
            "s": ", ".join(entry.absence_noted)
        }
    document.add_paragraph(facts).runs[0].italic = True
