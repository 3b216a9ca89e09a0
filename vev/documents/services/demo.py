"""Documents, deadlines and a few replies for the demo session (called by ``demo_loaded``).

Deadlines come from the milestones of council-2020.json (a date only: 23:59 Geneva time), moved
by the same whole weeks as the meetings. Each agenda item gets its documents — group 3 for the
items debated in the meetings, group 1 and 2 documents under the two package items, and a few
group 4 information documents — with generated PDF files in English and French (and DOCX for
some), so that a visitor can read, reply to the consultation, ask, comment and contribute.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from vev.council.models import AgendaItem, Entity, Event
from vev.council.permissions import forget_roles

from ..models import Deadline
from . import clarifications, consultation, deadlines
from . import documents as document_service
from .files import check_file
from .writers import Paragraph, docx_bytes, simple_pdf

MILESTONE_KINDS = {
    "deadline for Secretariat documents": Deadline.Kind.SECRETARIAT_DOCUMENTS,
    "deadline for replies to the consultation": Deadline.Kind.CONSULTATION,
    "deadline for requests for clarification": Deadline.Kind.SUBMISSIONS,
}

GROUP1 = [
    "Report on the activities of the Council Working Group on Child Online Protection",
    "Progress report on the implementation of the ITU Strategic Plan 2020-2023",
    "ITU's role in implementing the 2030 Agenda for Sustainable Development",
    "Report on ITU activities related to the WSIS outcomes (Resolution 140)",
    "Gender equality and mainstreaming in ITU (Resolution 70)",
    "Report on the activities of the Expert Group on the International "
    "Telecommunication Regulations",
]
GROUP2 = [
    "Exemption from financial contributions for participation in the work of ITU",
    "Admission of academia and Sector Members: updated list",
    "Report on the implementation of the Council's decisions on cost recovery",
    "Financial regulations: technical amendments",
    "Participation of the State of Palestine in ITU (Resolution 99)",
]
INFORMATION = [
    ("ADM 20", "Progress of the ITU headquarters premises project"),
    ("PL-2.11", "Preparations for the World Radiocommunication Conference 2023"),
    ("ADM 29", "Statistics on staff and gender distribution"),
    ("PL-1.4", "Cybersecurity activities of the three Sectors"),
]

#: States that already answered "keep" to everything in the demo (France, the United States,
#: China… are left for the visitor).
DEMO_REPLIES = ["KE", "CA", "BR", "JP", "EG", "IN"]


def _deadline_at(day: str, tz: ZoneInfo, delta: timedelta) -> datetime:
    return datetime.combine(date.fromisoformat(day) + delta, time(23, 59), tzinfo=tz)


def _files(symbol: str, title: str, item: str, group: int, *, pages: int, docx: bool):
    body = [
        f"Council 2020 – virtual session. Agenda item: {item}.",
        f"Document {symbol}, group {group}.",
        "This document was generated for the vev demonstration. It stands for the report of the "
        "Secretary-General with the same title; its content is a placeholder.",
    ] + [
        f"Section {n}: summary of the matter, the action required of Council and the proposed "
        "conclusion, as in the reports of the 2020 session."
        for n in range(1, 4 * pages)
    ]
    english = simple_pdf(f"{symbol} - {title}", body, pages=pages)
    french = simple_pdf(
        f"{symbol} - {title} (version francaise)",
        ["Version francaise generee pour la demonstration.", *body[1:]],
        pages=pages,
    )
    files = {
        "en": [check_file(SimpleUploadedFile(f"{symbol}-E.pdf", english))],
        "fr": [check_file(SimpleUploadedFile(f"{symbol}-F.pdf", french))],
    }
    if docx:
        word = docx_bytes(
            [Paragraph(symbol, "label"), Paragraph(title, "title")]
            + [Paragraph(line) for line in body],
            title=title,
            pages=pages,
        )
        files["en"].append(check_file(SimpleUploadedFile(f"{symbol}-E.docx", word)))
    return files


def load_demo_documents(event: Event, *, people: dict, delta: timedelta, data: dict) -> list:
    secretariat = people["secretariat"]
    tz = ZoneInfo(event.time_zone)
    items = list(event.agenda_items.order_by("position"))
    by_code: dict[str, AgendaItem] = {}
    for item in items:
        by_code.setdefault(item.code, item)
    package_note = next(i for i in items if i.kind == AgendaItem.Kind.PACKAGE_NOTE)
    package_approve = next(i for i in items if i.kind == AgendaItem.Kind.PACKAGE_APPROVE)

    # C20/37 is the symbol the letter gives for PL-2.6 (dates of future sessions).
    numbers = (f"C20/{n}" for n in range(2, 200) if n != 37)
    plan = []  # (symbol, title, group, item, pages)
    for item in items:
        if item.kind != AgendaItem.Kind.ITEM and not item.title.startswith("State of the Union"):
            continue
        symbol = "C20/37" if item.code == "PL-2.6" else next(numbers)
        plan.append((symbol, item.title, 3, item, 2 + len(plan) % 3))
    for title in GROUP1:
        plan.append((next(numbers), title, 1, package_note, 1 + len(plan) % 2))
    for title in GROUP2:
        plan.append((next(numbers), title, 2, package_approve, 1 + len(plan) % 2))
    for index, (code, title) in enumerate(INFORMATION, start=1):
        plan.append((f"C20/INF/{index}", title, 4, by_code[code], 1))

    created = []
    for index, (symbol, title, group, item, pages) in enumerate(plan):
        document = document_service.create_document(
            event,
            by=secretariat,
            symbol=symbol,
            title=title,
            group=group,
            agenda_item=item,
            files=_files(symbol, title, item.label, group, pages=pages, docx=index % 4 == 0),
        )
        created.append(
            document_service.publish(document, by=secretariat, notify_participants=False)
        )

    # Deadlines after publication (the secretariat's own deadline may already have passed).
    for milestone in data["milestones"]:
        for prefix, kind in MILESTONE_KINDS.items():
            if milestone["what"].startswith(prefix):
                deadlines.set_deadline(
                    event,
                    kind,
                    _deadline_at(milestone["date"], tz, delta),
                    by=secretariat,
                    note=milestone["what"],
                )

    # A few States have answered already; one question was asked and answered.
    entities = {e.iso_code: e for e in Entity.objects.filter(iso_code__in=DEMO_REPLIES)}
    for iso in DEMO_REPLIES:
        head = people.get(f"head.{iso.lower()}")
        if head is None or iso not in entities:
            continue
        forget_roles(head)
        if deadlines.is_open(event, Deadline.Kind.CONSULTATION, entities[iso]):
            consultation.reply_many(head, event, {d.pk: "keep" for d in created})
    first_note = next(d for d in created if d.group == 1)
    head_br = people.get("head.br")
    if head_br is not None and deadlines.is_open(event, Deadline.Kind.SUBMISSIONS):
        question = clarifications.ask(
            head_br,
            first_note,
            "Could the secretariat say how the activities in this report are financed in 2020?",
        )
        clarifications.answer(
            question,
            "They are financed from the regular budget (Decision 5) and from voluntary "
            "contributions listed in Annex 2 of the report.",
            by=secretariat,
        )
    return created
