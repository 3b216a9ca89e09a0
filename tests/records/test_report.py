"""The report of proposed conclusions: the DOCX and the PDF open and hold the conclusions."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import factories
from tests.records.simulation import simulate_meeting
from vev.council.models import AgendaItem
from vev.decisions.services import conclusions
from vev.documents.services import consultation, requests
from vev.planning.services import agenda
from vev.records.services import report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held(event, role_users):
    held = simulate_meeting(event, role_users)
    # a matter deferred at a Council Member's request, and a draft (not in the report)
    item = held.conclusion_agreed.agenda_item
    requested = conclusions.draft(
        event, role_users["secretariat"], text="The Council endorsed the plan.", agenda_item=item
    )
    conclusions.defer_by_request(
        requested.pk, role_users["secretariat"], note="Brazil asked for more time."
    )
    conclusions.draft(event, role_users["secretariat"], text="A draft still being written.")
    _move_items_and_documents(held)
    return held


def _move_items_and_documents(held) -> None:
    """PL-3: its only document moved by the consultation (France), so the item is deferred;
    PL-4: moved by the secretariat on the agenda; on PL-2, C20/91 moved at Kenya's request to
    defer, and C20/92 taken out of the group 1 package at Japan's request to discuss it."""
    event, users = held.event, held.users
    committee = event.committees.first()
    later = AgendaItem.objects.create(
        event=event, code="PL-3", title="Budget", committee=committee, position=3
    )
    kept_for_later = AgendaItem.objects.create(
        event=event, code="PL-4", title="Staff matters", committee=committee, position=4
    )
    budget = factories.create_document(event, symbol="C20/90", group=3, item=later)
    consultation.reply(users["councillor"], budget, "move")
    agenda.save_item(
        event,
        kept_for_later,
        by=users["secretariat"],
        data={"status": AgendaItem.Status.DEFERRED},
    )
    item_2 = event.agenda_items.get(code="PL-2")
    deferred = factories.create_document(event, symbol="C20/91", group=2, item=item_2)
    requests.make_request(users["ke"], deferred, "defer", reason="Needs the budget figures.")
    pulled = factories.create_document(event, symbol="C20/92", group=1, item=item_2)
    requests.make_request(users["jp"], pulled, "discuss", reason="Japan has a question.")


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _sections(text: str) -> tuple[str, str, str, str]:
    agreed, rest = text.split("Elections by acclamation", 1)
    elections, deferred = rest.split("Matters deferred to the next physical meeting", 1)
    deferred, pulled_out = deferred.split(
        "Documents taken out of the group 1 and group 2 packages", 1
    )
    return agreed, elections, deferred, pulled_out


def test_the_report_numbers_the_conclusions_by_item_and_lists_the_deferred_separately(held):
    data = report.build(held.event)
    assert [(g.heading, [e.number for e in g.entries]) for g in data.groups] == [
        ("PL-1 Item 1", [1])
    ]
    assert [e.number for e in data.elections] == [2]
    assert [e.text for e in data.deferred] == [
        "The Council approved Document C20/37.",
        "The Council endorsed the plan.",
    ]
    assert data.deferred[0].reason == "Formal objection of Kenya"
    assert data.deferred[0].objectors[0].reason == "The annex is missing."
    assert data.deferred[1].reason.endswith("Brazil asked for more time.")
    assert [(d.item.code, d.reason) for d in data.deferred_items] == [
        ("PL-3", "All its documents were moved to the next physical session: C20/90"),
        ("PL-4", data.deferred_items[1].reason),
    ]
    who = held.users["secretariat"].display_name
    assert data.deferred_items[1].reason.startswith(
        f"Moved to the next physical session by the secretariat ({who}, "
    )
    assert [(m.document.symbol, m.reason, m.reasons) for m in data.moved_documents] == [
        (
            "C20/91",
            "Request to defer applied: Kenya.",
            [("Kenya", "Needs the budget figures.")],
        ),
        (
            "C20/90",
            "In the consultation France replied “move to the next physical session”.",
            [],
        ),
    ]
    assert [m.document.symbol for m in data.pulled_out] == ["C20/92"]
    assert "at the request of Japan" in data.pulled_out[0].reason


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_exports_open_and_contain_the_conclusions_and_the_deferred_list(held, fmt):
    data = report.report_docx(held.event) if fmt == "docx" else report.report_pdf(held.event)
    text = _docx_text(data) if fmt == "docx" else _pdf_text(data)
    text = " ".join(text.split())  # PDF text comes with line breaks of its own
    agreed, elections, deferred, pulled_out = _sections(text)
    assert "No. 1 The Council noted the report." in agreed
    assert "absence noted of: Japan" in agreed
    assert "The Council approved Document C20/37." not in agreed
    assert "No. 2 The Council elects Ms Kamau (Kenya)" in elections
    assert "The Council approved Document C20/37." in deferred
    assert "Formal objection of Kenya" in deferred
    assert "Reason given by Kenya: The annex is missing." in deferred
    assert "The Council endorsed the plan." in deferred
    assert "Brazil asked for more time." in deferred
    assert "A draft still being written." not in text
    # the agenda items and documents moved to the next physical session
    assert "Agenda items moved to the next physical session" in deferred
    assert "PL-3 Budget: All its documents were moved to the next physical session: C20/90" in (
        deferred
    )
    assert "PL-4 Staff matters: Moved to the next physical session by the secretariat" in deferred
    assert "Documents moved to the next physical session" in deferred
    assert "C20/90 Report C20/90 (PL-3): In the consultation France replied" in deferred
    assert "C20/91 Report C20/91 (PL-2): Request to defer applied: Kenya." in deferred
    assert "Reason given by Kenya: Needs the budget figures." in deferred
    # …and the documents pulled out of the packages, listed on their own
    assert "C20/92" not in deferred
    assert "C20/92 Report C20/92 (PL-2): Taken out of the group 1 package (to be noted)" in (
        pulled_out
    )
    assert "at the request of Japan." in pulled_out and "Japan has a question." in pulled_out


def test_the_secretariat_downloads_the_report_others_are_refused(held, client):
    """The report is the secretariat's document for the next physical meeting: it holds the
    conclusions of closed meetings too, which not every participant may see."""
    event = held.event
    for fmt, kind in [("docx", "wordprocessingml"), ("pdf", "application/pdf")]:
        link = reverse("records:report", kwargs={"event": event.slug, "format": fmt})
        client.force_login(held.users["secretariat"])
        page = client.get(reverse("decisions:conclusions", kwargs={"event": event.slug}))
        assert link in page.content.decode()
        response = client.get(link)
        assert response.status_code == 200 and kind in response["Content-Type"]
        assert "proposed-conclusions" in response["Content-Disposition"]
        for role in ("observer", "councillor", "chair", "authenticated"):
            client.force_login(held.users[role])
            assert client.get(link).status_code == 403
        client.logout()
        assert client.get(link).status_code == 302
    client.force_login(held.users["secretariat"])
    url = reverse("records:report", kwargs={"event": event.slug, "format": "odt"})
    assert client.get(url).status_code == 404


def test_the_report_costs_no_query_per_item_or_document(held):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        report.build(held.event)
    event, users = held.event, held.users
    committee = event.committees.first()
    pl_2 = event.agenda_items.get(code="PL-2")
    for n in range(3):
        item = AgendaItem.objects.create(
            event=event, code=f"PL-{10 + n}", title="More", committee=committee, position=10 + n
        )
        moved = factories.create_document(event, symbol=f"C20/{100 + n}", group=3, item=item)
        consultation.reply(users["councillor"], moved, "move")
        pulled = factories.create_document(event, symbol=f"C20/{110 + n}", group=1, item=pl_2)
        requests.make_request(users["jp"], pulled, "discuss", reason="A question.")
        deferred = conclusions.draft(
            event, users["secretariat"], text=f"Matter {n}.", agenda_item=item
        )
        conclusions.defer_by_request(deferred.pk, users["secretariat"], note=f"Request {n}.")
    with CaptureQueriesContext(connection) as after:
        data = report.build(event)
    assert len(data.deferred_items) == 5 and len(data.moved_documents) == 5
    assert len(data.pulled_out) == 4
    assert len(after) == len(before)
