"""The entity a user represents is shown next to their name, on every page that names people.

Names are shown with the ``{% represented %}`` tag: ``<span class="person">name</span>
<span class="entity">(entity)</span>``. In the test event the councillor represents France, the
observer “Observer State 0” and staff the event's secretariat, “Test Secretariat”.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from vev.council.models import Registration
from vev.council.services import registrations


def shown(name: str, entity: str) -> str:
    return f'<span class="person">{name}</span> <span class="entity">({entity})</span>'


COUNCILLOR = shown("councillor", "France")
OBSERVER = shown("observer", "Observer State 0")
SECRETARIAT = shown("secretariat", "Test Secretariat")


def page(client, user, name, **kwargs) -> str:
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def side_meeting(event, role_users):
    from tests.venue.conftest import create_venue
    from vev.venue.models import SideMeeting

    venue = create_venue(event)
    start = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    meeting = SideMeeting.objects.create(
        event=event,
        room=venue.spaces.get().areas.first(),
        organiser=role_users["councillor"],
        title="Talk",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
    )
    meeting.invitations.create(user=role_users["councillor"], status="accepted")
    meeting.invitations.create(user=role_users["observer"], status="invited")
    return meeting


def test_side_meeting_organiser_and_invitees(client, event, role_users, side_meeting):
    html = page(
        client, role_users["observer"], "venue:side_meeting", event=event.slug, pk=side_meeting.pk
    )
    assert f"<dd>{COUNCILLOR}</dd>" in html  # the organiser
    assert f"<li>{OBSERVER} –" in html  # an invitee
    html = page(client, role_users["observer"], "venue:side_meetings", event=event.slug)
    assert f"<td>{COUNCILLOR}</td>" in html


def test_venue_reports_and_blocks(client, event, role_users):
    from tests.venue.conftest import create_venue
    from vev.venue.models import Block, Report

    create_venue(event)
    Report.objects.create(
        event=event,
        reporter=role_users["councillor"],
        reported=role_users["observer"],
        reason="spam",
        details="Unwanted messages.",
        status="handled",
        handled_by=role_users["secretariat"],
        outcome="Warned.",
    )
    html = page(client, role_users["secretariat"], "venue:reports", event=event.slug)
    assert f"{OBSERVER} – " in html
    assert f"reported by {COUNCILLOR}" in html
    assert f"Warned. ({SECRETARIAT})" in html
    Block.objects.create(blocker=role_users["councillor"], blocked=role_users["observer"])
    html = page(client, role_users["councillor"], "venue:privacy", event=event.slug)
    assert f"<li>{OBSERVER} <form" in html


def test_summary_record_versions_and_a_conflict(client, event, role_users):
    from vev.records.services import summary
    from vev.records.services.summary import RecordConflict

    meeting = event.meetings.get(slug="pl-1")
    summary.save_version(meeting, role_users["secretariat"], text="First draft.", base_version=0)
    html = page(
        client,
        role_users["secretariat"],
        "records:summary_versions",
        event=event.slug,
        meeting="pl-1",
    )
    assert f"<td>{SECRETARIAT}</td>" in html
    with pytest.raises(RecordConflict, match=r"saved by secretariat \(Test Secretariat\)"):
        summary.save_version(meeting, role_users["secretariat"], text="Other.", base_version=0)


def test_documents_pages_name_the_secretariat_with_its_entity(client, event, role_users):
    from vev.documents.services import clarifications, documents, requests
    from vev.documents.services.files import check_file
    from vev.documents.services.writers import simple_pdf

    secretariat = role_users["secretariat"]
    document = factories.create_document(event, symbol="C20/1", group=1)
    information = factories.create_document(event, symbol="C20/INF/1", group=4)
    question = clarifications.ask(role_users["councillor"], document, "Why?")
    clarifications.answer(question, "Because.", by=secretariat)
    record = requests.make_request(role_users["councillor"], information, "regroup", target_group=2)
    requests.decide(record, by=secretariat, accept=False, note="Not needed.")
    upload = check_file(SimpleUploadedFile("r.pdf", simple_pdf("C20/1", ["Rev."])))
    documents.add_revision(document, by=secretariat, files={"en": [upload]}, note="Annex")

    html = page(client, secretariat, "documents:clarifications", event=event.slug)
    assert f'<p class="hint">{SECRETARIAT},' in html
    html = page(client, secretariat, "documents:requests", event=event.slug)
    assert f'<span class="hint">{SECRETARIAT}: Not needed.' in html
    html = page(
        client,
        role_users["councillor"],
        "documents:detail",
        event=event.slug,
        document=information.pk,
    )
    assert f"decided by {SECRETARIAT}" in html
    html = page(client, secretariat, "documents:edit", event=event.slug, document=document.pk)
    assert f'<span class="hint">{SECRETARIAT},' in html  # who uploaded the revision


def test_written_procedure_and_registrations_name_people_with_their_entity(
    client, event, role_users
):
    procedure = factories.create_written_procedure(
        event, secretariat=role_users["secretariat"], chair=role_users["chair"]
    )
    html = page(
        client,
        role_users["councillor"],
        "decisions:detail",
        event=event.slug,
        number=procedure.number,
    )
    assert f"by {SECRETARIAT}" in html  # circulated by
    assert shown("chair", "Test Secretariat") in html  # instructed by
    from vev.decisions.services.exports import result_csv

    csv_text = result_csv(procedure).decode("utf-8-sig")
    assert "Instructed by,chair (Test Secretariat) – Chair," in csv_text

    registration = Registration.objects.get(user=role_users["pending"])
    registrations.decide(registration, by=role_users["focal_point"], approve=True)
    client.force_login(role_users["secretariat"])
    html = client.get(
        reverse("council:registration_review", kwargs={"event": event.slug}) + "?status=approved"
    ).content.decode()
    assert shown("focal", "Kenya") in html  # who decided


def test_a_page_of_names_costs_no_query_per_name(client, event, role_users, side_meeting):
    """The tag loads the event's participants once per page, whatever the number of names."""
    for index in range(8):
        user = factories.create_user(f"guest{index}@example.org")
        factories.register(user, event, factories.member_entity(event, 2))
        side_meeting.invitations.create(user=user, status="invited")
    client.force_login(role_users["councillor"])
    url = reverse("venue:side_meeting", kwargs={"event": event.slug, "pk": side_meeting.pk})
    client.get(url)  # warm up (session, sites)
    with CaptureQueriesContext(connection) as ten_names:
        html = client.get(url).content.decode()
    assert shown("guest7", "Japan") in html
    side_meeting.invitations.filter(user__email__startswith="guest").delete()
    with CaptureQueriesContext(connection) as two_names:
        client.get(url)
    assert len(ten_names) == len(two_names)
