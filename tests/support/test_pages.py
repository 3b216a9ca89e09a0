"""The secretariat's page for the support contact; every room shows the contact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import open_meeting
from vev.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_secretariat_changes_the_contact_and_the_room_shows_it(client, event, role_users):
    url = reverse("support:contact", kwargs={"event": event.slug})
    client.force_login(role_users["technician"])
    assert client.post(url, {"support_contact": "x"}).status_code == 403
    client.force_login(role_users["secretariat"])
    response = client.post(url, {"support_contact": "desk@example.org · +41 22 555 0000"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.support_contact == "desk@example.org · +41 22 555 0000"
    assert AuditEntry.objects.filter(action="vev.support.contact.changed").count() == 1
    meeting = open_meeting(event)
    client.force_login(role_users["councillor"])
    room = client.get(reverse("live:room", kwargs={"event": event.slug, "meeting": meeting.slug}))
    assert "desk@example.org · +41 22 555 0000" in room.content.decode()
    assert "Report a problem" in room.content.decode()


def test_a_closed_meeting_room_has_the_roster_panel_and_an_open_one_not(client, event, role_users):
    closed = open_meeting(event, "closed-1")
    meeting = open_meeting(event)
    client.force_login(role_users["councillor"])
    page = client.get(reverse("live:room", kwargs={"event": event.slug, "meeting": closed.slug}))
    assert page.status_code == 200
    assert "Present who are not Councillors" in page.content.decode()
    page = client.get(reverse("live:room", kwargs={"event": event.slug, "meeting": meeting.slug}))
    assert "Present who are not Councillors" not in page.content.decode()


def test_the_technical_console_has_the_tickets_and_the_connection_log(client, event, role_users):
    meeting = open_meeting(event)
    kwargs = {"event": event.slug, "meeting": meeting.slug}
    client.force_login(role_users["technician"])
    page = client.get(reverse("live:tech", kwargs=kwargs)).content.decode()
    assert "Open support tickets" in page and "data-connections" in page
    client.force_login(role_users["chair"])
    page = client.get(reverse("live:console", kwargs=kwargs)).content.decode()
    assert "Open support tickets" not in page and "Report a problem" in page
    assert "data-chat" in page
