"""Real sound from Janus in Chromium: a listener chooses French and hears the French booth,
with the floor underneath at the volume they choose; given the floor, the delegate's own
microphone reaches Janus (it reports them talking).

Chromium runs inside the Janus test namespace (tests/browser/media_netns.py), so its WebRTC
connection to Janus is up; the French interpreter and the floor speaker are aiortc clients
sending 660 Hz and 440 Hz.
The page's mixer (WebAudio) finds the strongest frequency on each bus (an AnalyserNode's FFT):
the interpretation bus must carry 660 Hz and the floor bus 440 Hz, so hearing the wrong channel
fails, not only hearing nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import log_in
from tests.factories import open_meeting
from vev.live.commands import media as media_commands
from vev.live.services import speakers
from vev.media.services import interpretation, rooms
from vev.media.services.types import FloorPolicy, SetMuted

from .media_netns import NamespaceRelay, in_thread, launch_in_namespace

FRENCH, FLOOR = 660, 440


def hears(page, bus: str, frequency: int) -> None:
    """Wait until ``frequency`` is the strongest tone on the page's mixer ``bus`` (within the
    FFT's resolution), well above silence."""
    page.wait_for_function(
        """([bus, frequency]) => {
            const peak = window.vevMedia.mixer.peak(bus);
            return peak.level > -60 && Math.abs(peak.frequency - frequency) < 30;
        }""",
        arg=[bus, frequency],
        timeout=15_000,
    )


@pytest.fixture
def on_janus(janus):
    """The session's real Janus (tests/media/fixtures.py)."""
    return janus


@pytest.fixture
def netns_page(browser, asgi_server, on_janus, tmp_path):
    relay = NamespaceRelay(on_janus, asgi_server.port)
    instance = launch_in_namespace(browser, on_janus, tmp_path)
    context = instance.new_context(base_url=asgi_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
    instance.close()
    relay.close()


@pytest.mark.janus
def test_a_listener_hears_the_french_booth_in_chromium(netns_page, on_janus, event, role_users):
    media_commands.forget_status()
    meeting = open_meeting(event)
    ids = rooms.ensure_media(meeting)
    interpreter = factories.create_user("fr-sound@example.org", full_name="Interpreter FR")
    factories.assign(interpreter, event, "interpreter", ["fr"])
    booth = on_janus.clients.connect(interpreter, meeting)
    on_janus.run(booth.join_booth(FloorPolicy(), tone=FRENCH))
    in_thread(interpretation.set_booth_mic, ids, "fr", interpreter.pk, True)
    # A speaker holds the floor (aiortc, 440 Hz).
    speaker_user = factories.create_user("floor-sound@example.org", full_name="Speaker")
    factories.register(speaker_user, event, factories.member_entity(event, 1))
    policy = FloorPolicy(speakers=frozenset({speaker_user.pk}))
    speaker = on_janus.clients.connect(speaker_user, meeting)
    on_janus.run(speaker.join_floor(policy, tone=FLOOR))
    on_janus.run(speaker.request(SetMuted(muted=False), policy))

    page = netns_page
    delegate = role_users["councillor"]
    log_in(page, delegate)
    page.goto(f"/events/{event.slug}/meetings/{meeting.slug}/room/")
    panel = page.locator("[data-media]")
    expect(panel).to_have_attribute("data-state", "available")
    panel.get_by_role("radio", name="French").check()
    volume = panel.get_by_label("Floor underneath the interpretation")
    volume.fill("40")
    panel.get_by_role("button", name="Listen").click()
    expect(panel).to_have_attribute("data-listening", "true", timeout=15_000)
    page.wait_for_function(
        "() => { const pc = window.vevPeers && window.vevPeers.get('stream');"
        " return pc && pc.connectionState === 'connected'; }",
        timeout=15_000,
    )
    hears(page, "channel", FRENCH)
    # The floor underneath, mixed in the browser; at 0 % the server stops sending it.
    hears(page, "floor", FLOOR)
    volume.fill("0")
    page.wait_for_function("() => window.vevMedia.mixer.level('floor') < 0.001", timeout=15_000)
    expect(panel.locator("[data-media-listen-status]")).to_have_text("You are listening to French.")
    # The delegate joins the floor audio (Chromium's fake microphone): the connection comes up;
    # once the chair gives them the floor they may unmute, and Janus reports them talking.
    panel.get_by_role("button", name="Join the audio").click()
    expect(panel.locator("[data-media-mic-status]")).to_have_text(
        "You are in the meeting's audio, muted.", timeout=15_000
    )
    page.wait_for_function(
        "() => window.vevPeers.get('floor')?.connectionState === 'connected'", timeout=15_000
    )
    request_id = in_thread(speakers.raise_hand, meeting, delegate)
    in_thread(lambda: speakers.give_floor(meeting, role_users["chair"], request_id))
    expect(page.locator("[data-room]")).to_contain_text("You have the floor.")
    panel.get_by_role("button", name="Turn my microphone on").click()
    expect(panel.locator("[data-media-mic-status]")).to_have_text(
        "Your microphone is on: you are heard."
    )
    expect(panel.locator("[data-media-talking]")).to_contain_text(
        "Speaking now: you", timeout=15_000
    )
    # Off air: the channel falls silent in the browser (the booth's mix is empty).
    in_thread(interpretation.set_booth_mic, ids, "fr", interpreter.pk, False)
    page.wait_for_function("() => window.vevMedia.mixer.level('channel') < 0.002", timeout=15_000)
    expect(panel.locator('[data-channel-row="fr"]')).to_have_attribute("data-live", "false")
    # On air again: heard again, without renegotiation.
    in_thread(interpretation.set_booth_mic, ids, "fr", interpreter.pk, True)
    hears(page, "channel", FRENCH)
    media_commands.forget_status()
