"""Issue 5 in a browser: the room's chat and "report a problem", each person on their own page.

A private message from one delegate reaches its addressee only; a message to everyone reaches
everyone; the chair deletes a message with a reason and it disappears for all. A delegate
reports a problem and the technician's console shows the ticket at once; the delegate sees it
being handled.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_live_room import enter
from tests.factories import open_meeting
from vev.chat.models import ChatMessage
from vev.core.models import AuditEntry
from vev.council.models import Registration, StaffAssignment


@pytest.fixture
def session(transactional_db):
    event = factories.create_event("live-chat")
    france = factories.member_entity(event, 0)
    kenya = factories.member_entity(event, 1)
    chair = factories.create_user("chair@example.org", full_name="Chair Amina")
    factories.assign(chair, event, StaffAssignment.Function.CHAIR)
    technician = factories.create_user("tech@example.org", full_name="Tech Tomás")
    factories.assign(technician, event, StaffAssignment.Function.TECHNICIAN)
    a = factories.create_user("fr0@example.org", full_name="Delegate FR0")
    factories.register(a, event, france, Registration.Role.COUNCILLOR)
    b = factories.create_user("fr1@example.org", full_name="Delegate FR1")
    factories.register(b, event, france, Registration.Role.COUNCILLOR)
    c = factories.create_user("ke@example.org", full_name="Delegate KE")
    factories.register(c, event, kenya, Registration.Role.HEAD_OF_DELEGATION)
    meeting = open_meeting(event)
    return meeting, chair, technician, a, b, c


def send(page, to: str, text: str) -> None:
    chat = page.locator("[data-chat]")
    chat.get_by_label("To").select_option(label=to)
    chat.get_by_label("Message").fill(text)
    chat.get_by_label("Message").press("Enter")  # the keyboard sends
    expect(chat.get_by_label("Message")).to_have_value("")


def test_chat_and_report_a_problem(new_page, session):
    meeting, chair, technician, a, b, c = session
    console = enter(new_page, chair, meeting, view="console")
    tech = enter(new_page, technician, meeting, view="technical")
    page_a = enter(new_page, a, meeting)
    page_b = enter(new_page, b, meeting)
    page_c = enter(new_page, c, meeting)
    for page in (page_a, page_b, page_c):
        expect(page.locator("[data-presence-list]")).to_contain_text("Delegate KE")
    lists = {p: p.locator("[data-chat-list]") for p in (console, tech, page_a, page_b, page_c)}

    # A private message from A reaches B only.
    send(page_a, "Delegate FR1 (France) (private)", "Shall we speak after the break?")
    expect(lists[page_b]).to_contain_text("Shall we speak after the break?")
    expect(lists[page_b]).to_contain_text("privately to you")
    expect(lists[page_a]).to_contain_text("privately to Delegate FR1")

    # A message to everyone reaches everyone, with the sender's name and State.
    send(page_a, "Everyone", "Good morning, colleagues")
    for page, listing in lists.items():
        expect(listing).to_contain_text("Good morning, colleagues")
        if page is not page_a:
            expect(listing.locator("[data-message]").last).to_contain_text("Delegate FR0")
            expect(listing.locator("[data-message]").last).to_contain_text("France")
    # By now C has everything sent before: the private message never reached it.
    for page in (page_c, console, tech):
        expect(lists[page]).not_to_contain_text("Shall we speak after the break?")
    expect(page_a.locator("#room-announcer")).to_be_attached()

    # The chair deletes the message with a reason: it disappears for all.
    console.once("dialog", lambda dialog: dialog.accept("Not on the agenda item"))
    lists[console].get_by_role("button", name="Delete the message of Delegate FR0").click()
    for listing in lists.values():
        expect(listing).not_to_contain_text("Good morning, colleagues")
    expect(lists[page_b]).to_contain_text("Shall we speak after the break?")
    message = ChatMessage.objects.get(text="Good morning, colleagues")
    assert message.deleted_reason == "Not on the agenda item"
    assert AuditEntry.objects.filter(action="vev.chat.message.deleted").exists()
    # Delegates have no delete button.
    expect(
        lists[page_b].get_by_role("button", name="Delete the message of Delegate FR0")
    ).to_have_count(0)

    # C reports a problem; the technician's console shows the ticket live.
    support = page_c.locator("[data-support]")
    support.get_by_role("button", name="Report a problem").click()
    support.get_by_label("What does it concern?").select_option(label="Interpretation")
    support.get_by_label("What happens?").fill("No English channel since the item started")
    support.get_by_role("button", name="Send the report").click()
    expect(support.locator("[data-my-tickets]")).to_contain_text("Open")
    tickets = tech.locator("[data-tickets]")
    expect(tickets).to_contain_text("No English channel since the item started")
    expect(tickets).to_contain_text("Delegate KE (Kenya)")
    expect(tickets).to_contain_text("Mozilla")  # the browser, added automatically
    expect(console.locator("[data-tickets]")).to_have_count(0)  # not on the chair's console
    tickets.get_by_role("button", name="Take ticket").click()
    expect(support.locator("[data-my-tickets]")).to_contain_text("Being handled")
    expect(support.locator("[data-my-tickets]")).to_contain_text("Tech Tomás")
    tech.once("dialog", lambda dialog: dialog.accept("Channel restored"))
    tickets.get_by_role("button", name="Mark ticket").click()
    expect(tech.locator("[data-tickets-empty]")).to_be_visible()
    expect(support.locator("[data-my-tickets]")).to_contain_text("Channel restored")

    # The technical console's connection log lists everyone's connection with its time.
    log = tech.locator("[data-connections]")
    expect(log).to_contain_text("Delegate KE")
    expect(log).to_contain_text("connected")


def test_a_closed_meeting_shows_every_non_councillor_by_name_and_role(new_page, session):
    meeting, chair, technician, a, b, c = session
    from vev.council.models import ClosedMeetingStaff

    closed = open_meeting(meeting.event, "closed-1")
    ClosedMeetingStaff.objects.create(meeting=closed, user=technician, function="Sound engineer")
    page_a = enter(new_page, a, closed)
    roster = page_a.locator("[data-roster-list]")
    expect(page_a.locator("[data-roster-empty]")).to_be_visible()
    enter(new_page, technician, closed, view="technical")
    expect(roster).to_contain_text("Tech Tomás – Sound engineer")
    expect(page_a.locator("[data-roster-empty]")).to_be_hidden()
    expect(roster).not_to_contain_text("Delegate FR0")
