"""The interpreter's booth console in a browser, on a real Janus: two French partners enter the
booth, the first goes on air, both on air shows the warning, the cough key takes the first off
air while held, the partner takes over. The listeners' channel state follows.

The browsers' WebRTC connections carry no sound here (Janus runs in the test's network
namespace, see test_media_room.py); booth membership and who is on air are Janus's own state,
read back through vev, so the console shows what Janus does.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import log_in, sign_in
from tests.browser.room_socket import drop, resume
from tests.factories import open_meeting
from vev.live.commands import media as media_commands
from vev.media.services import interpretation, rooms


@pytest.fixture
def on_janus(janus):
    """The session's real Janus (tests/media/fixtures.py)."""
    return janus


@pytest.mark.janus
def test_partners_hand_over_in_the_booth_console(new_page, asgi_server, on_janus, event):
    media_commands.forget_status()
    meeting = open_meeting(event)
    ids = rooms.ensure_media(meeting)
    partners = []
    for name in ("A", "B"):
        user = factories.create_user(
            f"fr-{name.lower()}@example.org", full_name=f"Interpreter {name}"
        )
        factories.assign(user, event, "interpreter", ["fr"])
        partners.append(user)
    booth_url = f"/events/{event.slug}/meetings/{meeting.slug}/booth/"

    pages = []
    for user in partners:
        page = new_page()
        log_in(page, user)
        page.goto(booth_url)
        console = page.locator("[data-booth]")
        expect(console).to_have_attribute("data-state", "available")
        expect(console.locator("[data-booth-language]")).to_have_text("– French")
        console.get_by_role("button", name="Enter the booth").click()
        expect(console.locator("[data-booth-status]")).to_have_text(
            "You are in the French booth, microphone off.", timeout=15_000
        )
        pages.append((page, console))
    (page_a, a), (page_b, b) = pages
    expect(b.locator("[data-booth-silent]")).to_be_visible()

    # A goes on air; B sees it, and the French channel is live for listeners.
    a.get_by_role("button", name="Microphone on").click()
    expect(a.locator("[data-booth-on-air]")).to_have_text("ON AIR")
    expect(b.locator("[data-booth-partners]")).to_contain_text("Interpreter A is on air.")
    assert interpretation.booth_state(ids, "fr").live == [partners[0].pk]

    # Both on air: the warning on both consoles.
    b.get_by_role("button", name="Microphone on").click()
    expect(b.get_by_role("alert").filter(has_text="both partners")).to_be_visible()
    expect(a.locator("[data-booth-both-live]")).to_be_visible()
    b.get_by_role("button", name="Microphone off").click()
    expect(a.locator("[data-booth-both-live]")).to_be_hidden()

    # The cough key (held with Space) takes A off air, and back when released.
    cough = a.get_by_role("button", name="Cough (hold)")
    cough.focus()
    page_a.keyboard.down(" ")
    expect(a.locator("[data-booth-on-air]")).to_have_text("Off air")
    assert interpretation.booth_state(ids, "fr").live == []
    page_a.keyboard.up(" ")
    expect(a.locator("[data-booth-on-air]")).to_have_text("ON AIR")

    # B takes over: on air first, then A is muted, with no moment where nobody is live.
    b.get_by_role("button", name="Take over").click()
    expect(b.locator("[data-booth-on-air]")).to_have_text("ON AIR")
    expect(b.locator("[data-booth-status]")).to_have_text("You are on air.")
    expect(a.locator("[data-booth-on-air]")).to_have_text("Off air")
    assert interpretation.booth_state(ids, "fr").live == [partners[1].pk]

    # The booth chat reaches the partner only.
    b.get_by_label("Message to your booth partners").fill("Back to you after this paragraph")
    b.get_by_role("button", name="Send").click()
    expect(a.locator("[data-booth-chat]")).to_contain_text("Back to you after this paragraph")
    expect(b.locator("[data-booth-chat]")).to_contain_text("you (")

    # And hands back to A.
    b.get_by_role("button", name="Hand over to Interpreter A").click()
    expect(a.locator("[data-booth-on-air]")).to_have_text("ON AIR")
    expect(b.locator("[data-booth-status]")).to_have_text("You handed over to Interpreter A.")

    # A's connection drops while on air: the channel goes off air for everyone (B sees the booth
    # silent); when A's page is back, it re-enters the booth with the microphone off.
    drop(page_a)
    expect(b.locator("[data-booth-silent]")).to_be_visible(timeout=10_000)
    resume(page_a)
    expect(a.locator("[data-booth-status]")).to_have_text(
        "You are in the French booth, microphone off.", timeout=15_000
    )
    expect(a.locator("[data-booth-on-air]")).to_have_text("Off air")
    state = interpretation.booth_state(ids, "fr")
    assert state.members == sorted(u.pk for u in partners) and state.live == []
    media_commands.forget_status()


def test_the_booth_console_is_refused_to_delegates(new_page, asgi_server, event, role_users):
    meeting = open_meeting(event)
    page = new_page()
    sign_in(page, role_users["councillor"])
    response = page.goto(f"/events/{event.slug}/meetings/{meeting.slug}/booth/")
    assert response.status == 403
