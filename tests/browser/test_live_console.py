"""The consoles in a browser: a technician resets a stuck connection (the page reconnects and
resumes), the chair readmits a removed participant, and the room and the chair's console are
used with the keyboard alone, focus visible and changes announced."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import log_in
from tests.factories import open_meeting
from vev.council.models import Registration, StaffAssignment
from vev.live.models import Connection

RECORD_FRAMES = """() => {
  // Every frame the server sends, before the socket's own filtering, and every state change.
  window.__frames = [];
  window.__states = [];
  const socket = window.vevRoom.socket;
  const receive = socket.receive.bind(socket);
  socket.receive = (frame) => { window.__frames.push(frame); receive(frame); };
  window.vevRoom.on("socket.state", (s) => window.__states.push(s));
}"""


@pytest.fixture
def people(transactional_db):
    event = factories.create_event("live-console")
    france = factories.member_entity(event, 0)
    users = {}
    for function in ("chair", "technician"):
        users[function] = factories.create_user(
            f"{function}@example.org", full_name=function.title()
        )
        factories.assign(
            users[function], event, getattr(StaffAssignment.Function, function.upper())
        )
    for index in range(2):
        user = factories.create_user(f"fr{index}@example.org", full_name=f"Delegate FR{index}")
        factories.register(user, event, france, Registration.Role.COUNCILLOR)
        users[f"fr{index}"] = user
    return event, open_meeting(event), users


def enter(new_page, user, meeting, view="room"):
    page = new_page()
    log_in(page, user)
    page.goto(f"/events/{meeting.event.slug}/meetings/{meeting.slug}/{view}/")
    expect(page.locator("[data-room]")).to_have_attribute("data-ready", "true")
    return page


def test_a_technician_resets_a_stuck_connection_and_the_page_resumes(new_page, people):
    event, meeting, users = people
    delegate = enter(new_page, users["fr0"], meeting)
    delegate.evaluate(RECORD_FRAMES)
    tech = enter(new_page, users["technician"], meeting, view="technical")
    log = tech.locator("[data-connections]")
    reset = log.get_by_role("button", name="Reset the connection of Delegate FR0 (France)")
    expect(reset).to_have_count(1)
    reset.click()
    expect(tech.locator("#room-announcer")).to_have_text(
        "The connection of Delegate FR0 (France) was reset: their page reconnects."
    )

    # The delegate's page was closed with 4000, reconnected at once and resumed.
    delegate.wait_for_function(
        "() => window.__frames.some((f) => f.type === 'room.resumed')", timeout=10_000
    )
    states = delegate.evaluate("window.__states")
    assert {"state": "reconnecting", "code": 4000} in states
    assert states[-1]["state"] == "open"
    expect(delegate.locator("[data-room]")).to_have_attribute("data-connection", "open")
    expect(delegate.locator("#room-alert")).to_have_text(
        "A technician reset your connection: reconnecting, you will miss nothing."
    )
    # The drop the technician caused is expected: the console does not announce it as lost.
    expect(tech.locator("#room-announcer")).to_have_text(
        "The connection of Delegate FR0 (France) was reset: their page reconnects."
    )
    # The technical console's log says how the connection ended.
    expect(log.locator("tr[data-reason='disconnected']")).to_contain_text(
        "disconnected by a technician"
    )
    assert list(
        Connection.objects.filter(participant__user=users["fr0"])
        .exclude(closed_at=None)
        .values_list("close_reason", "close_code")
    ) == [("disconnected", 4000)]


def test_the_chair_readmits_a_removed_participant(new_page, people):
    event, meeting, users = people
    console = enter(new_page, users["chair"], meeting, view="console")
    delegate = enter(new_page, users["fr1"], meeting)
    removed = console.locator("[data-removed-list]")
    expect(console.locator("[data-removed-none]")).to_be_visible()

    console.once("dialog", lambda dialog: dialog.accept("Repeated interruptions"))
    console.get_by_role("button", name="Remove Delegate FR1 from the meeting").click()
    expect(delegate.locator("[data-room-refused]")).to_be_visible()
    expect(removed).to_contain_text("Delegate FR1 (France) – removed: Repeated interruptions")
    expect(console.locator("[data-removed-none]")).to_be_hidden()

    # A console opened later lists them too (from the snapshot).
    console.reload()
    expect(console.locator("[data-room]")).to_have_attribute("data-ready", "true")
    readmit = removed.get_by_role("button", name="Readmit Delegate FR1 (France)")
    readmit.click()
    expect(removed.locator("li")).to_have_count(0)
    expect(console.locator("[data-removed-none]")).to_be_visible()
    expect(console.locator("#room-announcer")).to_have_text(
        "Delegate FR1 (France) may come back to the meeting."
    )
    delegate.reload()
    expect(delegate.locator("[data-room]")).to_have_attribute("data-ready", "true")
    expect(console.locator("[data-presence-list]")).to_contain_text("Delegate FR1")


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || "").trim(), id: el.id,
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
          inQueue: Boolean(el.closest("[data-queue]"))};
}"""


def tab_to(page, matches, limit=150):
    """Press Tab until the focused element matches; it must show a visible focus outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            assert focused["outline"] != "none" and focused["width"] >= 2, focused
            return focused
    raise AssertionError("Tab never reached the control")


def test_the_room_and_the_console_work_with_the_keyboard_alone(new_page, people):
    event, meeting, users = people
    console = enter(new_page, users["chair"], meeting, view="console")
    delegate = enter(new_page, users["fr0"], meeting)
    for page in (console, delegate):
        for region, politeness in (("#room-announcer", "polite"), ("#room-alert", "assertive")):
            expect(page.locator(region)).to_have_attribute("aria-live", politeness)

    # The delegate asks for the floor with Tab and Enter; focus stays on a visible control.
    tab_to(delegate, lambda f: f["text"] == "Ask for the floor")
    delegate.keyboard.press("Enter")
    expect(delegate.locator("[data-position]")).to_have_text("You are number 1 on the list.")
    expect(delegate.locator("#room-announcer")).to_have_text("You are on the list of speakers.")
    focused = delegate.evaluate(FOCUSED)
    assert focused["text"] == "Withdraw my request", focused  # not lost to the page

    # A chat message, typed and sent from the keyboard (Enter sends).
    tab_to(delegate, lambda f: f["id"] == "chat-text")
    delegate.keyboard.type("Good morning, Chair.")
    delegate.keyboard.press("Enter")
    expect(console.locator("[data-chat-list]")).to_contain_text("Good morning, Chair.")
    expect(delegate.locator("[data-chat-list]")).to_have_attribute("aria-live", "polite")
    assert delegate.evaluate(FOCUSED)["id"] == "chat-text"

    # The chair gives the floor from the list with the keyboard.
    tab_to(console, lambda f: f["inQueue"] and f["text"] == "Give the floor")
    console.keyboard.press("Enter")
    expect(delegate.locator("[data-floor]")).to_contain_text("Delegate FR0 (France)")
    expect(console.locator("#room-announcer")).to_have_text(
        re.compile("Delegate FR0 \\(France\\) has the floor.")
    )
    expect(delegate.locator("#room-alert")).to_have_text("You have the floor.")
    focused = console.evaluate(FOCUSED)
    assert focused["text"] == "End the floor", focused  # the next thing the chair does
    console.keyboard.press("Enter")
    expect(delegate.locator("[data-floor]")).to_have_text("Nobody has the floor.")
