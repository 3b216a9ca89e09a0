"""The summary record's pages: who reads what, editing with the conflict check, publishing."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from tests.records.simulation import simulate_meeting
from vev.core.models import AuditEntry
from vev.records.models import SummaryRecord
from vev.records.services import summary

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held(event, role_users):
    return simulate_meeting(event, role_users)


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def url(held, name: str = "summary") -> str:
    return reverse(f"records:{name}", kwargs={"event": held.event.slug, "meeting": "pl-1"})


def test_the_secretariat_edits_and_publishes_and_a_delegate_reads_the_published_version(
    held, client
):
    users = held.users
    client.force_login(users["secretariat"])
    page = client.get(url(held)).content.decode()
    assert "No version saved yet" in page and "France supports the report." in page
    form = client.get(url(held, "summary_edit"))
    assert form.context["form"]["base_version"].value() == 0
    text = form.context["form"]["text"].value()
    assert "Ruling of the chair: The point is well taken." in text
    response = client.post(
        url(held, "summary_edit"),
        {
            "text": text + "\nThe chair thanked the interpreters.",
            "note": "First edit",
            "base_version": 0,
        },
    )
    assert response.status_code == 302
    page = client.get(url(held)).content.decode()
    assert "Version 1 is a draft, not published." in page

    client.force_login(users["councillor"])
    page = client.get(url(held)).content.decode()
    assert "has not published the summary record" in page
    assert "thanked the interpreters" not in page
    assert client.post(url(held, "summary_publish"), {"version": 1}).status_code == 403
    assert client.get(url(held, "summary_edit")).status_code == 403
    assert client.get(url(held, "summary_versions")).status_code == 403

    client.force_login(users["secretariat"])
    response = client.post(url(held, "summary_publish"), {"version": 1})
    assert response.status_code == 302
    assert SummaryRecord.objects.get().status == "published"
    # the audit log says from which session it was published (and edited)
    published = AuditEntry.objects.get(action="vev.records.summary.published")
    assert published.session_key_hash == hashed(client.session.session_key)
    edited = AuditEntry.objects.get(action="vev.records.summary.edited")
    assert edited.session_key_hash and edited.session_key_hash != published.session_key_hash

    client.force_login(users["councillor"])
    page = client.get(url(held)).content.decode()
    assert "Published version 1" in page and "thanked the interpreters" in page
    assert "As the room recorded it" not in page  # the drafts and the room's record: secretariat


def test_an_edit_conflict_keeps_the_editors_text_and_shows_the_differences(held, client):
    users = held.users
    text, _ = summary.starting_text(held.meeting, None)
    summary.save_version(held.meeting, users["secretariat"], text=text, base_version=0)
    colleague = summary.save_version(
        held.meeting, users["secretariat"], text=text + "Their addition.", base_version=1
    )
    client.force_login(users["secretariat"])
    response = client.post(
        url(held, "summary_edit"), {"text": text + "My addition.", "note": "", "base_version": 1}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Version 2 was saved by" in page
    assert "My addition." in page  # the editor's text is kept in the form
    assert "Their addition." in page  # shown in the differences
    form = response.context["form"]
    assert form["base_version"].value() == colleague.number
    # saving again (after reading the differences) goes through
    response = client.post(
        url(held, "summary_edit"), {"text": text + "My addition.", "note": "", "base_version": 2}
    )
    assert response.status_code == 302
    assert SummaryRecord.objects.get().current_version.number == 3


def test_the_form_validates(held, client):
    client.force_login(held.users["secretariat"])
    response = client.post(url(held, "summary_edit"), {"text": "  ", "base_version": 0})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    response = client.post(
        url(held, "summary_edit"), {"text": "x", "note": "n" * 301, "base_version": 0}
    )
    assert response.status_code == 422
    response = client.post(url(held, "summary_edit"), {"text": "x", "base_version": "-1"})
    assert response.status_code == 422
    assert not SummaryRecord.objects.exists()


def test_versions_show_their_differences(held, client):
    users = held.users
    summary.save_version(held.meeting, users["secretariat"], text="Line one\n", base_version=0)
    summary.save_version(
        held.meeting, users["secretariat"], text="Line one\nLine two\n", base_version=1, note="n2"
    )
    client.force_login(users["secretariat"])
    response = client.get(url(held, "summary_versions"))
    page = response.content.decode()
    assert "From version 1 to version 2" in page
    assert "+ Line two" in page
    assert client.get(url(held, "summary_versions") + "?a=1&b=9").status_code == 404


def test_the_pages_link_to_the_record(held, client):
    client.force_login(held.users["secretariat"])
    meeting_page = client.get(held.meeting.get_absolute_url()).content.decode()
    assert url(held) in meeting_page
    console = reverse("live:console", kwargs={"event": held.event.slug, "meeting": "pl-2"})
    assert (
        reverse("records:summary", kwargs={"event": held.event.slug, "meeting": "pl-2"})
        in client.get(console).content.decode()
    )


def test_outsiders_are_refused(held, client):
    assert client.get(url(held)).status_code == 302  # anonymous: sign in
    client.force_login(held.users["authenticated"])
    assert client.get(url(held)).status_code == 403
