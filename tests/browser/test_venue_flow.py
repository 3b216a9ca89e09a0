"""The venue in a browser: a one-to-one call in a conversation bubble (fake media), booking a
side meeting and answering it, privacy settings, the unified schedule, the 360° view."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import log_in, sign_in
from tests.venue.conftest import create_venue
from vev.venue.models import Invitation, SideMeeting, VenueProfile
from vev.venue.services import schedule


def _open_space(page, event):
    page.goto(f"/events/{event.slug}/venue/lounge/")
    expect(page.locator("#venue-status")).to_have_text("Connected: you appear on the map.")


def test_two_delegates_meet_in_a_bubble_and_call_each_other(new_page, event, role_users):
    create_venue(event)
    councillor, observer = role_users["councillor"], role_users["observer"]
    a = new_page()
    sign_in(a, councillor)
    _open_space(a, event)
    b = new_page(timezone_id="America/New_York")
    sign_in(b, observer)
    _open_space(b, event)

    # Each sees the other on the map and in the live list.
    expect(a.locator("#venue-people")).to_contain_text(observer.display_name)
    expect(b.locator("#venue-people")).to_contain_text(councillor.display_name)
    other = b.locator(f'#venue-avatars [data-user="{councillor.pk}"] .avatar-dot')
    other.scroll_into_view_if_needed()
    box = other.bounding_box()
    b.mouse.click(box["x"] + box["width"] / 2 + 4, box["y"] + box["height"] / 2)

    for page, peer in ((a, observer), (b, councillor)):
        expect(page.locator("#bubble-panel")).to_be_visible()
        expect(page.locator("#bubble-members")).to_contain_text(peer.display_name)
        tile = page.locator(f'#bubble-videos [data-peer="{peer.pk}"]')
        expect(tile).to_have_attribute("data-state", "connected", timeout=20_000)
        page.wait_for_function(
            """(id) => {
                const v = document.querySelector(`#bubble-videos [data-peer="${id}"] video`);
                const track = v && v.srcObject && v.srcObject.getVideoTracks()[0];
                return v && v.videoWidth > 0 && track.readyState === "live";
            }""",
            arg=peer.pk,
            timeout=20_000,
        )

    # Chat in the bubble reaches the other member.
    a.get_by_label("Message to the conversation").fill("Shall we talk about ADM 6?")
    a.get_by_role("button", name="Send").click()
    expect(b.locator("#bubble-chat")).to_contain_text("Shall we talk about ADM 6?")

    # Locking is shown to both; leaving ends the call on both sides.
    a.get_by_role("button", name="Lock the conversation").click()
    expect(b.locator("#bubble-lock-state")).to_have_text("Locked: nobody else can join.")
    b.get_by_role("button", name="Leave the conversation").click()
    expect(b.locator("#bubble-panel")).to_be_hidden()
    expect(a.locator("#bubble-panel")).to_be_hidden()
    expect(a.locator("#bubble-videos video")).to_have_count(0)


def test_keyboard_moves_and_the_list_view(new_page, event, role_users):
    create_venue(event)
    page = new_page()
    sign_in(page, role_users["councillor"])
    _open_space(page, event)
    page.locator("#venue-map").focus()
    before = page.locator("#venue-position").text_content()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Shift+ArrowLeft")
    expect(page.locator("#venue-position")).not_to_have_text(before)
    page.get_by_role("link", name="List view of this space (screen readers, keyboard)").click()
    expect(page.get_by_role("heading", name="Lounge: list view")).to_be_visible()
    expect(page.get_by_text("Room A")).to_be_visible()


def test_a_hidden_delegate_is_not_shown_to_others(new_page, event, role_users):
    create_venue(event)
    hidden = new_page()
    sign_in(hidden, role_users["adviser"])
    hidden.goto(f"/events/{event.slug}/venue/privacy/")
    hidden.get_by_label("Hidden").check()
    hidden.get_by_role("button", name="Save my settings").click()
    expect(hidden.get_by_text("Your venue settings were saved.")).to_be_visible()
    assert VenueProfile.objects.get(user=role_users["adviser"]).visibility == "hidden"
    hidden.goto(f"/events/{event.slug}/venue/lounge/")
    expect(hidden.locator("#venue-status")).to_have_text("You are hidden: others do not see you.")

    watcher = new_page()
    sign_in(watcher, role_users["councillor"])
    _open_space(watcher, event)
    expect(hidden.locator("#venue-people")).to_contain_text(role_users["councillor"].display_name)
    watcher.wait_for_timeout(500)
    expect(watcher.locator("#venue-people")).not_to_contain_text(role_users["adviser"].display_name)
    expect(watcher.locator(f'[data-user="{role_users["adviser"].pk}"]')).to_have_count(0)
    watcher.goto(f"/events/{event.slug}/venue/lounge/list/")
    expect(watcher.locator("#list-people")).not_to_contain_text(role_users["adviser"].display_name)


def test_book_a_side_meeting_accept_it_and_see_it_on_the_schedule(new_page, event, role_users):
    create_venue(event)
    organiser, guest = role_users["councillor"], role_users["observer"]
    page = new_page()
    sign_in(page, organiser)
    page.goto(f"/events/{event.slug}/venue/side-meetings/")
    page.get_by_role("link", name="Book a side meeting").click()
    page.get_by_label("Day").select_option(event.first_day.isoformat())
    page.get_by_role("button", name="Show the slots").click()
    page.get_by_label("Subject").fill("Bilateral on the budget")
    page.locator("input[name=slot]").nth(4).check()  # 10:00 in the event's zone
    page.get_by_label("Invite").select_option(str(guest.pk))
    page.get_by_role("button", name="Book and invite").click()
    expect(
        page.get_by_text("Booked. The people invited were sent your invitation.")
    ).to_be_visible()
    meeting = SideMeeting.objects.get()
    assert meeting.starts_at.astimezone(event.tz).hour == 10

    # The same slot again, by someone else: refused with the reason, the subject kept.
    other = new_page()
    sign_in(other, role_users["adviser"])
    other.goto(f"/events/{event.slug}/venue/side-meetings/new/?day={event.first_day.isoformat()}")
    expect(other.locator("input[name=slot]").nth(4)).to_be_disabled()

    guest_page = new_page(timezone_id="Asia/Tokyo")
    sign_in(guest_page, guest)
    guest_page.goto(f"/events/{event.slug}/venue/side-meetings/{meeting.pk}/")
    guest_page.get_by_role("button", name="Accept").click()
    expect(guest_page.get_by_text("You accepted the invitation.")).to_be_visible()
    assert meeting.invitations.get(user=guest).status == Invitation.Status.ACCEPTED
    guest_page.goto("/schedule/")
    row = guest_page.locator("tr.entry-side_meeting")
    expect(row).to_contain_text("Bilateral on the budget")
    expect(row.get_by_role("button", name="Join")).to_be_disabled()
    expect(row.locator(".vev-local-time").first).to_contain_text("GMT+9")
    with guest_page.expect_download() as download:
        guest_page.goto(f"/events/{event.slug}/venue/side-meetings/{meeting.pk}/")
        guest_page.get_by_role("link", name="Add to my calendar (iCalendar invitation)").click()
    assert download.value.suggested_filename.endswith(".ics")


def test_the_schedule_join_button_opens_the_external_platform(new_page, event, role_users):
    meeting = event.meetings.get(slug="pl-1")
    now = timezone.now()
    meeting.starts_at, meeting.ends_at = now + timedelta(minutes=5), now + timedelta(hours=1)
    meeting.platform, meeting.join_url = "zoom", "https://zoom.example/j/123"
    meeting.save()
    from vev.venue.models import MeetingJoinLink

    MeetingJoinLink.objects.create(
        meeting=meeting, audience="interpreters", url="https://zoom.example/interp"
    )
    page = new_page()
    sign_in(page, role_users["councillor"])
    page.goto("/schedule/")
    row = page.locator("tr.entry-meeting", has_text="PL 1")
    expect(row).to_contain_text("Zoom")
    page.route("https://zoom.example/**", lambda route: route.fulfill(body="Zoom"))
    row.get_by_role("link", name="Join").click()
    page.wait_for_url("https://zoom.example/j/123")
    interpreter = new_page()
    sign_in(interpreter, role_users["interpreter"])
    interpreter.route("https://zoom.example/**", lambda route: route.fulfill(body="Zoom"))
    interpreter.goto("/schedule/")
    interpreter.locator("tr.entry-meeting", has_text="PL 1").get_by_role(
        "link", name="Join"
    ).click()
    interpreter.wait_for_url("https://zoom.example/interp")
    interpreter.goto("/schedule/")
    later = interpreter.locator("tr.entry-meeting", has_text="PL 2")
    expect(later.get_by_role("button", name="Join")).to_be_disabled()


def test_the_join_button_turns_on_and_off_as_the_clock_runs(new_page, event, role_users):
    """No reload: the page's clock (Playwright's) runs forward; the button follows, says so in
    the status region, and the server lets the click through once the window is open."""
    import time as wall

    soon, over = event.meetings.get(slug="pl-1"), event.meetings.get(slug="pl-2")
    page = new_page()
    log_in(page, role_users["councillor"])
    now = timezone.now()
    # PL 1's join opens in 6 seconds; PL 2, open now, ends in 10 minutes.
    soon.starts_at = now + schedule.JOIN_OPENS_BEFORE + timedelta(seconds=6)
    soon.ends_at = soon.starts_at + timedelta(hours=1)
    soon.save()
    over.starts_at, over.ends_at = now - timedelta(minutes=50), now + timedelta(minutes=10)
    over.save()
    page.clock.install(time=now)
    page.goto("/schedule/")
    first = page.locator("tr.entry-meeting", has_text="PL 1")
    second = page.locator("tr.entry-meeting", has_text="PL 2")
    expect(first.get_by_role("button", name="Join")).to_be_disabled()
    expect(second.get_by_role("link", name="Join")).to_be_visible()
    status = page.locator("#join-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("")

    page.clock.fast_forward(8_000)
    expect(first.get_by_role("link", name="Join")).to_be_visible()
    expect(first.get_by_role("button", name="Join")).to_have_count(0)
    expect(status).to_have_text("You can join PL 1 now.")
    expect(second.get_by_role("link", name="Join")).to_be_visible()

    page.clock.fast_forward("10:00")
    expect(second.get_by_role("link", name="Join")).to_have_count(0)
    expect(second).to_contain_text("Ended")
    expect(status).to_have_text("PL 2 has ended.")
    expect(first.get_by_role("link", name="Join")).to_be_visible()

    # The server's clock, not the page's, decides: once it too has reached the window, the
    # link takes the councillor into the room.
    wall.sleep(
        max(0.0, (soon.starts_at - schedule.JOIN_OPENS_BEFORE - timezone.now()).total_seconds())
        + 0.5
    )
    first.get_by_role("link", name="Join").click()
    page.wait_for_url(f"**/events/{event.slug}/meetings/pl-1/room/")


def test_the_360_view_pans_with_the_keyboard(new_page, event, role_users):
    from django.core.files.base import ContentFile

    from vev.venue.services.demo import MAPS

    venue = create_venue(event)
    lounge = venue.spaces.get()
    lounge.panorama_poster.save("p.svg", ContentFile((MAPS / "lounge-360.svg").read_bytes()))
    page = new_page()
    sign_in(page, role_users["observer"])
    page.goto(f"/events/{event.slug}/venue/lounge/")
    page.get_by_role("link", name="360° live view of the physical room").click()
    view = page.get_by_role("slider", name="Viewing direction in the room")
    expect(page.locator("#panorama-status")).to_have_text(
        "Still picture: the live stream is not available."
    )
    view.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(view).to_have_attribute("aria-valuenow", "20")
    page.keyboard.press("ArrowLeft")
    expect(view).to_have_attribute("aria-valuenow", "10")
    painted = page.evaluate(
        """() => { const c = document.getElementById('panorama');
        const d = document.createElement('canvas'); d.width = c.width; d.height = c.height;
        const x = d.getContext('2d'); x.drawImage(c, 0, 0);
        const p = x.getImageData(c.width / 2, c.height / 4, 1, 1).data;
        return p[0] + p[1] + p[2]; }"""
    )
    assert painted > 0


def test_the_360_view_wires_the_configured_stream(new_page, event, role_users):
    """With a stream configured, the page sets the player up for it: HLS (hls.js or the
    browser) asks for the playlist and attaches it to the video element; WebRTC posts an SDP
    offer to the WHEP endpoint. No real stream: each answer is refused, and the page says it
    shows a still picture."""
    venue = create_venue(event)
    lounge = venue.spaces.get()
    lounge.stream_kind, lounge.stream_url = "hls", "https://cam.example/lounge/360.m3u8"
    lounge.save()
    cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "content-type"}
    seen = []

    def camera(route):
        request = route.request
        seen.append(
            (request.method, request.url, request.headers.get("content-type"), request.post_data)
        )
        if request.method == "OPTIONS":
            route.fulfill(status=204, headers={**cors, "Access-Control-Allow-Methods": "POST"})
        elif request.url.endswith(".m3u8"):
            route.fulfill(
                status=200,
                headers={**cors, "Content-Type": "application/vnd.apple.mpegurl"},
                body="#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-ENDLIST\n",
            )
        else:
            route.fulfill(status=503, headers=cors, body="")

    page = new_page()
    log_in(page, role_users["observer"])
    page.route("https://cam.example/**", camera)
    page.goto(f"/events/{event.slug}/venue/lounge/360/")
    view = page.get_by_role("slider", name="Viewing direction in the room")
    expect(view).to_have_attribute("data-stream-kind", "hls")
    expect(view).to_have_attribute("data-stream-url", "https://cam.example/lounge/360.m3u8")
    page.wait_for_function(
        "() => { const v = document.getElementById('panorama-video');"
        " return Boolean(v.currentSrc || v.src || v.srcObject); }"
    )
    source = page.evaluate("() => document.getElementById('panorama-video').src")
    assert source.startswith("blob:") or source == "https://cam.example/lounge/360.m3u8"
    expect(page.locator("#panorama-status")).to_have_text(
        "Still picture: the live stream is not available.", timeout=15_000
    )
    assert ("GET", "https://cam.example/lounge/360.m3u8") in [(m, u) for m, u, *_ in seen]

    lounge.stream_kind, lounge.stream_url = "whep", "https://cam.example/whep/lounge"
    lounge.save()
    seen.clear()
    page.reload()
    expect(view).to_have_attribute("data-stream-kind", "whep")
    expect(page.locator("#panorama-status")).to_have_text(
        "Still picture: the live stream is not available.", timeout=15_000
    )
    offers = [s for s in seen if s[0] == "POST"]
    assert offers and offers[0][1] == "https://cam.example/whep/lounge"
    assert offers[0][2] == "application/sdp"
    assert offers[0][3].startswith("v=0") and "m=video" in offers[0][3]
