"""The proposed conclusions page: drafting by the secretariat and the chair, history for all."""

import hashlib

import pytest
from django.urls import reverse

from tests import factories
from vev.core.models import AuditEntry
from vev.decisions.models import ProposedConclusion

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(event, role_users):
    return reverse("decisions:conclusions", kwargs={"event": event.slug})


def test_the_secretariat_drafts_and_a_refused_draft_keeps_its_text(client, event, role_users, page):
    client.force_login(role_users["secretariat"])
    item = event.agenda_items.first()
    response = client.post(
        page, {"action": "draft", "agenda_item": item.pk, "text": "", "call_seconds": 5}
    )
    assert response.status_code == 422
    response = client.post(
        page, {"action": "draft", "agenda_item": item.pk, "text": "Keep me", "call_seconds": 5}
    )
    assert response.status_code == 422 and "Keep me" in response.content.decode()
    response = client.post(
        page,
        {
            "action": "draft",
            "agenda_item": item.pk,
            "text": "The Council noted C20/1.",
            "call_seconds": 60,
        },
    )
    assert response.status_code == 302
    conclusion = ProposedConclusion.objects.get()
    assert conclusion.text == "The Council noted C20/1." and conclusion.state == "draft"
    client.post(page, {"action": "edit", "conclusion": conclusion.pk, "text": "Noted C20/1."})
    conclusion.refresh_from_db()
    assert conclusion.text == "Noted C20/1."
    client.post(page, {"action": "defer", "conclusion": conclusion.pk, "note": "Kenya asked"})
    conclusion.refresh_from_db()
    assert conclusion.state == "deferred" and conclusion.deferred_because == "request"


def test_drafts_are_hidden_from_delegates_and_the_history_shown(client, event, role_users, page):
    from vev.decisions.services import conclusions

    draft = conclusions.draft(event, role_users["chair"], text="A draft text")
    election = conclusions.draft_election(
        event, role_users["chair"], office="vice_chair", candidate="Mr B. Example"
    )
    conclusions.defer_by_request(election.pk, role_users["secretariat"], note="Not yet")
    client.force_login(role_users["councillor"])
    body = client.get(page).content.decode()
    assert "A draft text" not in body and "Mr B. Example" in body and "Not yet" in body
    assert client.post(page, {"action": "withdraw", "conclusion": draft.pk}).status_code == 403
    client.force_login(role_users["chair"])
    assert "A draft text" in client.get(page).content.decode()


def test_packages_need_documents(client, event, role_users, page):
    client.force_login(role_users["secretariat"])
    response = client.post(page, {"action": "package_2"})
    assert response.status_code == 422
    assert "no documents left" in response.content.decode()
    factories.create_document(event, symbol="C20/9", group=2)
    assert client.post(page, {"action": "package_2"}).status_code == 302
    assert "C20/9" in ProposedConclusion.objects.get(kind="package_approve").text


def test_acts_on_the_page_record_the_session(client, event, role_users, page):
    client.force_login(role_users["secretariat"])
    item = event.agenda_items.first()
    data = {"action": "draft", "agenda_item": item.pk, "text": "Noted.", "call_seconds": 60}
    assert client.post(page, data).status_code == 302
    entry = AuditEntry.objects.get(action="vev.decisions.conclusion.drafted")
    assert entry.session_key_hash == hashlib.sha256(client.session.session_key.encode()).hexdigest()


def test_a_closed_meetings_conclusions_only_for_those_who_may_see_that_meeting(
    client, event, role_users, page
):
    closed = event.meetings.get(access="closed")
    for number, (text, meeting) in enumerate(
        [("Agreed in the closed meeting.", closed), ("Agreed in public.", None)], start=1
    ):
        ProposedConclusion.objects.create(
            event=event, text=text, state="agreed", number=number, meeting=meeting
        )
    client.force_login(role_users["observer"])  # not admitted to closed meetings
    body = client.get(page).content.decode()
    assert "Agreed in public." in body and "Agreed in the closed meeting." not in body
    assert 'id="conclusions-report"' not in body  # the report: the secretariat's document
    for role in ("councillor", "chair"):
        client.force_login(role_users[role])
        body = client.get(page).content.decode()
        assert "Agreed in the closed meeting." in body and "Agreed in public." in body
    assert 'id="conclusions-report"' not in body
    client.force_login(role_users["secretariat"])
    assert 'id="conclusions-report"' in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("agreed", "message"),
    [
        (1, "1 agreed conclusion was forwarded to the next physical meeting."),
        (2, "2 agreed conclusions were forwarded to the next physical meeting."),
    ],
)
def test_forwarding_says_how_many_in_words_that_agree(
    client, event, role_users, page, agreed, message
):
    for number in range(1, agreed + 1):
        ProposedConclusion.objects.create(
            event=event, text=f"Conclusion {number}", state="agreed", number=number
        )
    client.force_login(role_users["secretariat"])
    response = client.post(page, {"action": "forward"}, follow=True)
    assert message in response.content.decode()
