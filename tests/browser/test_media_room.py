"""Audio and interpretation in a browser: the channel picker with live channels, listening,
joining the floor audio and a refused unmute, on a real Janus.

Chromium runs with fake media devices in the host's network; Janus runs in the test session's
network namespace (tests/media/harness.py), where its only ICE candidate is 127.0.0.2 on a veth
end, which the host cannot route to (Janus gathers no candidates on loopback interfaces). So the
browser's WebRTC connections never carry sound here; everything else is real: the page signals
through vev's room socket, vev checks each command and speaks to Janus, Janus answers with its
SDP, the browser answers back, and the page shows what the server said. Sound through Janus is
measured by tests/media/test_janus_media.py with aiortc clients inside the namespace.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import sign_in
from tests.browser.media_netns import in_thread
from tests.browser.room_socket import drop, resume
from tests.factories import open_meeting
from vev.live.commands import media as media_commands
from vev.media import conf
from vev.media.services import interpretation, rooms
from vev.media.services.types import FloorPolicy


@pytest.fixture
def on_janus(janus):
    """The session's real Janus (tests/media/fixtures.py)."""
    return janus


@pytest.fixture
def fresh_media_status():
    media_commands.forget_status()
    yield
    media_commands.forget_status()


@pytest.mark.janus
def test_the_listener_sees_live_channels_listens_and_may_not_unmute_without_the_floor(
    new_page,
    asgi_server,
    on_janus,
    event,
    role_users,
    fresh_media_status,
):
    meeting = open_meeting(event)
    ids = rooms.ensure_media(meeting)
    interpreter = factories.create_user("fr-booth@example.org", full_name="Interpreter FR")
    factories.assign(interpreter, event, "interpreter", ["fr"])
    # The French interpreter (an aiortc client in the namespace) is in the booth, on air.
    booth = on_janus.clients.connect(interpreter, meeting)
    on_janus.run(booth.join_booth(FloorPolicy(), tone=660))
    in_thread(interpretation.set_booth_mic, ids, "fr", interpreter.pk, True)

    page = new_page()
    sign_in(page, role_users["councillor"])
    page.goto(f"/events/{event.slug}/meetings/{meeting.slug}/room/")
    panel = page.locator("[data-media]")
    expect(panel).to_have_attribute("data-state", "available")
    picker = panel.get_by_role("group", name="Channel")
    expect(picker.get_by_role("radio", name="Floor (original)")).to_be_visible()
    french = panel.locator('[data-channel-row="fr"]')
    expect(french).to_have_attribute("data-live", "true")
    expect(french.locator("[data-channel-live]")).to_have_text("on air")
    spanish = panel.locator('[data-channel-row="es"]')
    expect(spanish).to_have_attribute("data-live", "false")
    expect(spanish.locator("[data-channel-live]")).to_have_text("no interpreter on air")

    # French, with the floor underneath: the server negotiates the webcast with the browser.
    picker.get_by_role("radio", name="French").check()
    volume = panel.get_by_label("Floor underneath the interpretation")
    expect(volume).to_be_visible()
    volume.fill("40")
    panel.get_by_role("button", name="Listen").click()
    status = panel.locator("[data-media-listen-status]")
    expect(status).to_have_text(
        "You are listening to French, the floor underneath at 40%.", timeout=15_000
    )
    expect(panel).to_have_attribute("data-listening", "true")

    # The booth goes off air: the picker follows without a reload.
    in_thread(interpretation.set_booth_mic, ids, "fr", interpreter.pk, False)
    expect(french).to_have_attribute("data-live", "false")

    # The floor audio: joined muted, and an unmute without the floor is refused with the reason.
    panel.get_by_role("button", name="Join the audio").click()
    mic_status = panel.locator("[data-media-mic-status]")
    expect(mic_status).to_have_text("You are in the meeting's audio, muted.", timeout=15_000)
    panel.get_by_role("button", name="Turn my microphone on").click()
    expect(mic_status).to_have_text("You may speak once the chair gives you the floor.")
    expect(panel).to_have_attribute("data-mic", "muted")

    # The choice is remembered on the next visit.
    page.reload()
    expect(panel).to_have_attribute("data-state", "available")
    expect(panel.get_by_role("radio", name="French")).to_be_checked()
    expect(panel.get_by_label("Floor underneath the interpretation")).to_have_value("40")


def test_without_a_media_server_the_room_says_why_audio_is_unavailable(
    new_page, asgi_server, event, role_users, tmp_path, fresh_media_status
):
    previous = conf._current
    conf.use(conf.janus_settings(DIR=str(tmp_path), MODE="off"))
    try:
        meeting = open_meeting(event)
        page = new_page()
        sign_in(page, role_users["councillor"])
        page.goto(f"/events/{event.slug}/meetings/{meeting.slug}/room/")
        panel = page.locator("[data-media]")
        expect(panel).to_have_attribute("data-state", "unavailable")
        expect(panel.get_by_role("alert")).to_have_text(
            "Audio and video are switched off on this server: follow the meeting here."
        )
        expect(panel.get_by_role("button", name="Listen")).to_be_hidden()
    finally:
        conf.use(previous)


@pytest.mark.janus
def test_the_public_follows_the_webcast_with_channels_and_captions(
    new_page, asgi_server, on_janus, event, fresh_media_status
):
    meeting = open_meeting(event)  # public meeting of a public event
    rooms.ensure_media(meeting)
    page = new_page()  # not signed in
    page.goto(f"/events/{event.slug}/meetings/{meeting.slug}/")
    page.get_by_role("link", name="Follow the webcast (audio, interpretation, captions)").click()
    panel = page.locator("[data-media]")
    expect(panel).to_have_attribute("data-state", "available")
    expect(panel.get_by_role("button", name="Join the audio")).to_be_hidden()
    expect(panel.get_by_role("button", name="Start recording")).to_be_hidden()
    picker = panel.get_by_role("group", name="Channel")
    picker.get_by_role("radio", name="Spanish").check()
    panel.get_by_role("button", name="Listen").click()
    expect(panel.locator("[data-media-listen-status]")).to_have_text(
        "You are listening to Spanish, the floor underneath at 20%.", timeout=15_000
    )
    # Captions alongside, in the viewer's chosen language.
    captions = page.locator("[data-captions]")
    expect(captions.get_by_label("Language of the captions")).to_be_visible()
    expect(captions.locator("[data-captions-status]")).to_have_text(
        "Captions are not available in this meeting yet."
    )


@pytest.mark.janus
def test_the_chair_opens_and_closes_a_delegates_microphone(
    new_page, asgi_server, on_janus, event, role_users, fresh_media_status
):
    meeting = open_meeting(event)
    rooms.ensure_media(meeting)
    delegate = new_page()
    sign_in(delegate, role_users["councillor"])
    delegate.goto(f"/events/{event.slug}/meetings/{meeting.slug}/room/")
    panel = delegate.locator("[data-media]")
    expect(panel).to_have_attribute("data-state", "available")
    panel.get_by_role("button", name="Join the audio").click()
    mic_status = panel.locator("[data-media-mic-status]")
    expect(mic_status).to_have_text("You are in the meeting's audio, muted.", timeout=15_000)

    chair = new_page()
    sign_in(chair, role_users["chair"])
    chair.goto(f"/events/{event.slug}/meetings/{meeting.slug}/console/")
    expect(chair.locator("[data-room]")).to_have_attribute("data-ready", "true")
    name = role_users["councillor"].display_name
    row = chair.locator("[data-presence-list] [data-participant]", has_text=name)
    row.get_by_role("button", name=f"Open the microphone of {name}").click()

    # The delegate is heard: Janus unmuted them; everyone sees whose microphone is open.
    expect(mic_status).to_have_text("The chair opened your microphone: you are heard.")
    expect(panel).to_have_attribute("data-mic", "on", timeout=10_000)
    expect(panel.locator("[data-media-open-mics]")).to_have_text(
        "Microphones opened by the chair: you"
    )
    expect(row.locator("[data-mic-open-flag]")).to_have_text("microphone open")
    mine = delegate.locator("[data-presence-list] [data-participant]", has_text=name)
    expect(mine.locator("[data-mic-open-flag]")).to_be_visible()
    expect(delegate.get_by_role("button", name=f"Open the microphone of {name}")).to_have_count(0)
    ids = rooms.room_ids(meeting)
    listed = [
        p
        for p in rooms.floor_participants(ids)
        if rooms.user_of(p["id"]) == role_users["councillor"].pk
    ]
    assert [p["muted"] for p in listed] == [False]

    # Closed again: Janus mutes them and their own unmute is refused.
    row.get_by_role("button", name=f"Close the microphone of {name}").click()
    expect(panel).to_have_attribute("data-mic", "muted", timeout=10_000)
    expect(panel.locator("[data-media-open-mics]")).to_be_hidden()
    expect(mine.locator("[data-mic-open-flag]")).to_have_count(0)
    panel.get_by_role("button", name="Turn my microphone on").click()
    expect(mic_status).to_have_text("You may speak once the chair gives you the floor.")

    # The delegate's connection drops: the server closes their media connections with it. When
    # the page resumes, it joins the audio again (muted) and listens again.
    expect(panel).to_have_attribute("data-listening", "true")
    drop(delegate)
    expect(panel).to_have_attribute("data-mic", "out")
    expect(panel).to_have_attribute("data-listening", "false")
    resume(delegate)
    expect(mic_status).to_have_text("You are in the meeting's audio, muted.", timeout=15_000)
    expect(panel).to_have_attribute("data-mic", "muted")
    expect(panel).to_have_attribute("data-listening", "true", timeout=15_000)
    uid = role_users["councillor"].pk
    listed = [p for p in rooms.floor_participants(ids) if rooms.user_of(p["id"]) == uid]
    assert len(listed) == 1  # one connection in Janus's floor room: the new one
