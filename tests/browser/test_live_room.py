"""Issue 5 in a browser: a chair and delegates in one meeting room, each on their own page.

A delegate raises a hand, a point of order jumps the queue, the chair gives the floor, mute all
reaches everyone, a delegate whose connection drops sees everything it missed once back, and a
fourth delegate of the same State follows the webcast.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import DroppableProxy, log_in
from tests.factories import open_meeting
from vev.council.models import Registration, StaffAssignment
from vev.live.models import Connection


@pytest.fixture
def session(transactional_db):
    event = factories.create_event("live-session")
    france = factories.member_entity(event, 0)
    kenya = factories.member_entity(event, 1)
    chair = factories.create_user("chair@example.org", full_name="Chair Amina")
    factories.assign(chair, event, StaffAssignment.Function.CHAIR)
    delegates = []
    for index in range(4):
        user = factories.create_user(f"fr{index}@example.org", full_name=f"Delegate FR{index}")
        factories.register(user, event, france, Registration.Role.COUNCILLOR)
        delegates.append(user)
    kenyan = factories.create_user("ke@example.org", full_name="Delegate KE")
    factories.register(kenyan, event, kenya, Registration.Role.HEAD_OF_DELEGATION)
    meeting = open_meeting(event)
    return event, meeting, chair, delegates, kenyan


def room_url(meeting, view="room"):
    return f"/events/{meeting.event.slug}/meetings/{meeting.slug}/{view}/"


def enter(new_page, user, meeting, *, view="room", base_url=None):
    page = new_page()
    log_in(page, user)
    page.goto((base_url or "") + room_url(meeting, view))
    expect(page.locator("[data-room]")).to_have_attribute("data-ready", "true")
    return page


def test_chair_and_delegates_in_one_room(new_page, asgi_server, session):
    event, meeting, chair, (fr0, fr1, fr2, fr3), kenyan = session
    proxy = DroppableProxy(asgi_server.port)
    try:
        console = enter(new_page, chair, meeting, view="console")
        first = enter(new_page, fr0, meeting)
        second = enter(new_page, kenyan, meeting)
        dropping = enter(new_page, fr1, meeting, base_url=proxy.url)
        enter(new_page, fr2, meeting)
        fourth = enter(new_page, fr3, meeting)

        # The fourth French delegate follows the webcast, and is told why.
        expect(fourth.locator("[data-my-status] [data-mode]")).to_have_text(
            "You follow the meeting on the webcast."
        )
        expect(fourth.locator("[data-my-status] [data-reason]")).to_contain_text(
            "Your delegation already has its number of active participants"
        )
        expect(fourth.get_by_role("button", name="Ask for the floor")).to_be_disabled()
        presence = console.locator("[data-presence-list]")
        expect(presence).to_contain_text("Delegate FR0")
        expect(presence).not_to_contain_text("Delegate FR3")
        expect(console.locator("[data-presence-counts]")).to_contain_text(
            "following the webcast: 1"
        )
        # Who follows on the webcast, by delegation, for everyone to see.
        for page in (console, first):
            passive = page.locator("[data-passive-list]")
            expect(passive).to_have_accessible_name("Following the webcast, by delegation")
            expect(passive.locator("li")).to_have_text(["France: 1"])

        # A delegate raises a hand; then a point of order jumps the queue.
        first.get_by_role("button", name="Ask for the floor").click()
        expect(first.locator("[data-position]")).to_have_text("You are number 1 on the list.")
        queue = console.locator("[data-queue]")
        expect(queue).to_contain_text("Delegate FR0")
        second.get_by_label("Point of order or procedural motion").select_option("point_of_order")
        second.get_by_label("What it concerns (optional)").fill("Interpretation into Arabic")
        second.get_by_role("button", name="Raise the nameplate").click()
        nameplates = console.locator("[data-nameplates]")
        expect(nameplates).to_contain_text("Delegate KE")
        expect(nameplates).to_contain_text("Point of order")
        # Everyone sees the same order: the nameplate above the list.
        for page in (first, dropping, fourth):
            expect(page.locator("[data-nameplates]")).to_contain_text("Delegate KE")
            expect(page.locator("[data-queue]")).to_contain_text("Delegate FR0")

        # The chair gives the floor to the point of order.
        nameplates.get_by_role("button", name="Give the floor").click()
        for page in (console, first, second, dropping, fourth):
            expect(page.locator("[data-floor]")).to_contain_text("Delegate KE (Kenya)")
        console.get_by_label("Ruling on the point of order or motion").fill("Arabic is restored.")
        console.get_by_role("button", name="End the floor").click()
        expect(first.locator("[data-floor]")).to_have_text("Nobody has the floor.")

        # Mute all reaches everyone.
        console.get_by_role("button", name="Mute all").click()
        for page in (first, second, dropping, fourth):
            expect(page.locator("[data-moderation]")).to_have_text(
                "The chair has muted all participants."
            )

        # FR1's connection drops; meanwhile the chair lifts the mute and gives FR0 the floor.
        # Every frame the server sends FR1's page is recorded, before the socket filters any.
        before = dropping.evaluate(
            """() => {
              window.__frames = [];
              const socket = window.vevRoom.socket;
              const receive = socket.receive.bind(socket);
              socket.receive = (frame) => { window.__frames.push(frame); receive(frame); };
              return socket.position.room;
            }"""
        )
        proxy.drop()
        expect(dropping.locator("[data-room]")).to_have_attribute("data-connection", "reconnecting")
        console.get_by_role("button", name="Unmute all").click()
        queue.get_by_role("button", name="Give the floor").click()
        expect(first.locator("[data-floor]")).to_contain_text("Delegate FR0 (France)")
        expect(dropping.locator("[data-floor]")).to_have_text("Nobody has the floor.")
        proxy.restore()
        expect(dropping.locator("[data-room]")).to_have_attribute(
            "data-connection", "open", timeout=15_000
        )
        expect(dropping.locator("[data-floor]")).to_contain_text("Delegate FR0 (France)")
        expect(dropping.locator("[data-moderation]")).to_be_hidden()
        expect(dropping.locator("[data-queue-empty]")).to_be_visible()
        # It resumed where it stopped and is now exactly where the chair is.
        position = "window.vevRoom.socket.position.room"
        assert dropping.evaluate(position) == console.evaluate(position)
        # The server answered the reconnect with a resume (not a new snapshot) from the last
        # position, replayed what was missed, and sent no numbered event twice.
        frames = dropping.evaluate("window.__frames")
        kinds = [f["type"] for f in frames]
        assert "room.snapshot" not in kinds, kinds
        resumed = [f for f in frames if f["type"] == "room.resumed"]
        assert len(resumed) == 1 and resumed[0]["from"]["room"] == before, resumed
        assert resumed[0]["replayed"] >= 2  # at least: unmute all, the floor given
        after = frames[kinds.index("room.resumed") + 1 :]
        replayed = after[: resumed[0]["replayed"]]
        assert {f["type"] for f in replayed} >= {"moderation.unmuted_all", "speakers.floor_given"}
        numbered = [(f["stream"], f["seq"]) for f in frames if "seq" in f and "stream" in f]
        assert len(numbered) == len(set(numbered)), numbered
        room_seqs = [seq for stream, seq in numbered if stream == "room"]
        assert room_seqs == sorted(room_seqs) and room_seqs[0] == before + 1
        assert room_seqs == list(range(before + 1, room_seqs[-1] + 1))  # none missing
        reasons = set(
            Connection.objects.filter(participant__user=fr1).values_list("close_reason", flat=True)
        )
        assert "dropped" in reasons
    finally:
        proxy.close()
