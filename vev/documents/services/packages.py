"""The group 1 package (to be noted) and group 2 package (to be approved).

DM-20/1004 Annex 2: group 1 documents are noted provisionally en bloc at the start of the first
plenary, group 2 documents approved provisionally en bloc, “unless a Council Member asks to
discuss one in the virtual session or to move it to the next physical session”. A package is
therefore computed, never stored: the documents of its group that are on the virtual agenda and
that nobody asked to discuss.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vev.council.models import AgendaItem, Event

from ..models import Document, DocumentGroup


@dataclass
class Package:
    group: int
    label: str
    agenda_item: AgendaItem | None
    documents: list[Document] = field(default_factory=list)
    to_discuss: list[Document] = field(default_factory=list)
    moved: list[Document] = field(default_factory=list)


def packages(event: Event) -> list[Package]:
    items = {
        item.kind: item
        for item in event.agenda_items.filter(
            kind__in=[AgendaItem.Kind.PACKAGE_NOTE, AgendaItem.Kind.PACKAGE_APPROVE]
        )
    }
    result = []
    for group, kind in (
        (DocumentGroup.NOTE, AgendaItem.Kind.PACKAGE_NOTE),
        (DocumentGroup.APPROVE, AgendaItem.Kind.PACKAGE_APPROVE),
    ):
        package = Package(group=group, label=str(group.label), agenda_item=items.get(kind))
        documents = (
            Document.objects.filter(event=event, group=group)
            .exclude(status__in=[Document.Status.DRAFT, Document.Status.WITHDRAWN])
            .select_related("agenda_item")
            .order_by("symbol")
        )
        for document in documents:
            if document.status == Document.Status.MOVED:
                package.moved.append(document)
            elif document.discuss_in_session:
                package.to_discuss.append(document)
            else:
                package.documents.append(document)
        result.append(package)
    return result
