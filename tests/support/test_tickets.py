"""Support tickets and the connection log without sockets: context, who sees, who acts."""

from __future__ import annotations

import pytest

from tests.live.services import enter, own_events
from vev.core.models import AuditEntry
from vev.council.models import ClosedMeetingStaff
from vev.live.errors import LiveError
from vev.live.models import Connection
from vev.live.services import presence
from vev.support.models import Ticket
from vev.support.services import connections, contact, tickets

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(live):
    event, meeting, users = live
    for key in ("chair", "moderator", "secretariat", "technician", "observer", "councillor"):
        enter(users[key], meeting)
    return event, meeting, users


def report(meeting, user, **kwargs) -> Ticket:
    fields = {"category": "audio", "description": "No sound from the floor"}
    return tickets.report(meeting, user, **{**fields, **kwargs})


def ticket_events(meeting, user) -> list[dict]:
    return [e for e in own_events(meeting, user) if e["type"].startswith("support.")]


def test_a_report_records_its_context_and_reaches_support_staff_and_the_reporter(room):
    event, meeting, users = room
    ticket = report(
        meeting, users["observer"], user_agent="Mozilla/5.0 Test", connection_state="open"
    )
    assert ticket.event == event and ticket.status == Ticket.Status.OPEN
    assert ticket.user_agent == "Mozilla/5.0 Test" and ticket.connection_state == "open"
    assert ticket.context["meeting"] == meeting.code
    assert ticket.context["user_id"] == users["observer"].pk
    assert ticket.context["open_connections"] == 1
    for key in ("technician", "moderator", "secretariat", "observer"):
        [opened] = ticket_events(meeting, users[key])
        assert opened["type"] == "support.ticket_opened" and opened["ticket"]["id"] == ticket.pk
    for key in ("chair", "councillor"):
        assert ticket_events(meeting, users[key]) == []


def test_technicians_take_and_resolve_and_the_reporter_follows(room):
    event, meeting, users = room
    ticket = report(meeting, users["councillor"])
    assert [t["id"] for t in tickets.open_tickets(event, users["technician"])] == [ticket.pk]
    tickets.take(event, users["technician"], ticket.pk)
    tickets.resolve(event, users["technician"], ticket.pk, resolution="Reconnected the booth")
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.assignee == users["technician"]
    assert ticket.resolved_at is not None
    statuses = [e["ticket"]["status"] for e in ticket_events(meeting, users["councillor"])]
    assert statuses == ["open", "taken", "resolved"]
    assert tickets.open_tickets(event, users["technician"]) == []
    assert tickets.my_tickets(meeting, users["councillor"])[0]["resolution"] == (
        "Reconnected the booth"
    )
    with pytest.raises(LiveError, match="already resolved"):
        tickets.take(event, users["secretariat"], ticket.pk)


@pytest.mark.parametrize("role", ["councillor", "observer", "chair", "interpreter"])
def test_a_delegate_cannot_list_take_or_resolve_tickets(room, role):
    event, meeting, users = room
    ticket = report(meeting, users["observer"])
    for act in (
        lambda: tickets.open_tickets(event, users[role]),
        lambda: tickets.take(event, users[role], ticket.pk),
        lambda: tickets.resolve(event, users[role], ticket.pk),
        lambda: connections.connection_log(meeting, users[role]),
    ):
        with pytest.raises(LiveError) as error:
            act()
        assert error.value.code == "denied"
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_reports_are_checked(room):
    _, meeting, users = room
    with pytest.raises(LiveError, match="Describe"):
        report(meeting, users["observer"], description=" ")
    with pytest.raises(LiveError, match="at most 2000"):
        report(meeting, users["observer"], description="x" * 2001)
    with pytest.raises(LiveError, match="concerns"):
        report(meeting, users["observer"], category="weather")
    with pytest.raises(LiveError, match="Enter the meeting room"):
        report(meeting, users["head_of_delegation"])


def test_tickets_of_a_closed_meeting_only_for_support_staff_admitted_to_it(live):
    event, _, users = live
    from tests.factories import open_meeting

    closed = open_meeting(event, "closed-1")
    enter(users["councillor"], closed)
    ClosedMeetingStaff.objects.create(meeting=closed, user=users["technician"], function="Sound")
    enter(users["technician"], closed)
    ticket = report(closed, users["councillor"])
    assert [t["id"] for t in tickets.open_tickets(event, users["technician"])] == [ticket.pk]
    assert tickets.open_tickets(event, users["secretariat"]) == []
    with pytest.raises(LiveError, match="no such"):
        tickets.take(event, users["secretariat"], ticket.pk)


def test_the_connection_log_has_join_leave_and_drop_times(room):
    _, meeting, users = room
    first = Connection.objects.get(
        participant__user=users["observer"], participant__meeting=meeting
    )
    presence.disconnect(first.pk, reason=Connection.Reason.DROPPED, code=1006)
    enter(users["observer"], meeting)
    second = Connection.objects.filter(participant__user=users["observer"]).latest("opened_at")
    presence.disconnect(second.pk, reason=Connection.Reason.LEFT, code=1000)
    log = [
        c
        for c in connections.connection_log(meeting, users["technician"])
        if c["name"] == (first.participant.name)
    ]
    assert [c["close_reason"] for c in log] == ["left", "dropped"]
    assert all(c["opened_at"] and c["closed_at"] for c in log)
    assert report(meeting, users["observer"]).context["drops"] == 1


def test_the_secretariat_sets_the_support_contact(room):
    event, meeting, users = room
    contact.set_contact(event, users["secretariat"], "help@example.org · +41 22 000 0000")
    event.refresh_from_db()
    assert event.support == "help@example.org · +41 22 000 0000"
    assert AuditEntry.objects.filter(action="vev.support.contact.changed").exists()
    with pytest.raises(LiveError):
        contact.set_contact(event, users["technician"], "x")
