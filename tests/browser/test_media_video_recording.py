"""Video and recording in a browser, on a real Janus.

The publishers are aiortc clients inside the test's network namespace (their video reaches
Janus); the browsers subscribe through vev's socket (their WebRTC connections carry no media
here, see test_media_room.py), so the page shows a tile per stream Janus offers, labelled with
the publisher the server names for it.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import log_in
from tests.browser.room_socket import drop, resume
from tests.factories import open_meeting
from vev.live.commands import media as media_commands
from vev.media.services import rooms
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
def test_viewers_see_the_speakers_video_and_others_may_not_show_theirs(
    new_page, asgi_server, on_janus, event, role_users, fresh_media_status
):
    meeting = open_meeting(event)
    ids = rooms.ensure_media(meeting)
    # Two publishers: one shows a camera and a screen, the other a camera. Each tile is labelled
    # with the publisher the server names for its stream, whatever order the tracks arrive in.
    speaker = factories.create_user("speaker@example.org", full_name="Speaker Video")
    factories.register(speaker, event, factories.member_entity(event, 1))
    other = factories.create_user("other@example.org", full_name="Other Speaker")
    factories.register(other, event, factories.member_entity(event, 2))
    policy = FloorPolicy(speakers=frozenset({speaker.pk, other.pk}))
    publisher = on_janus.clients.connect(speaker, meeting)
    on_janus.run(publisher.publish_video(policy, kinds=("camera", "screen")))
    second = on_janus.clients.connect(other, meeting)
    on_janus.run(second.publish_video(policy))
    deadline = time.monotonic() + 10
    while len(rooms.video_publishers(ids)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sorted(p["user"] for p in rooms.video_publishers(ids)) == sorted([speaker.pk, other.pk])

    page = new_page()
    log_in(page, role_users["councillor"])
    page.goto(f"/events/{event.slug}/meetings/{meeting.slug}/room/")
    panel = page.locator("[data-media]")
    expect(panel).to_have_attribute("data-state", "available")
    tiles = panel.locator("[data-media-tiles] figure")
    expect(tiles).to_have_count(3, timeout=15_000)
    captions = {
        (tile.get_attribute("data-user"), tile.locator("figcaption").inner_text())
        for tile in tiles.all()
    }
    assert {(user, re.sub(r" \(.*\)$", "", text)) for user, text in captions} == {
        (str(speaker.pk), "Video of Speaker Video"),
        (str(speaker.pk), "Screen shared by Speaker Video"),
        (str(other.pk), "Video of Other Speaker"),
    }

    # Without the floor the delegate's camera is refused, with the reason.
    panel.get_by_role("button", name="Show my camera").click()
    expect(panel.locator("[data-media-video-status]")).to_have_text(
        "Only the speaker who holds the floor may show video."
    )


@pytest.mark.janus
def test_the_secretariat_records_and_every_participant_sees_the_indicator(
    new_page, asgi_server, on_janus, event, role_users, fresh_media_status
):
    meeting = open_meeting(event)
    rooms.ensure_media(meeting)
    delegate = new_page()
    log_in(delegate, role_users["councillor"])
    delegate.goto(f"/events/{event.slug}/meetings/{meeting.slug}/room/")
    indicator = delegate.locator("[data-media-recording]")
    expect(delegate.locator("[data-media]")).to_have_attribute("data-state", "available")
    expect(indicator).to_be_hidden()
    expect(delegate.get_by_role("button", name="Start recording")).to_be_hidden()

    secretariat = new_page()
    log_in(secretariat, role_users["secretariat"])
    secretariat.goto(f"/events/{event.slug}/meetings/{meeting.slug}/technical/")
    secretariat.get_by_role("button", name="Start recording").click()
    expect(secretariat.locator("[data-media-record-status]")).to_have_text(
        "This meeting is being recorded."
    )
    expect(indicator).to_be_visible()
    expect(indicator).to_have_text(re.compile("This meeting is being recorded."))
    secretariat.get_by_role("button", name="Stop recording").click()
    expect(indicator).to_be_hidden()

    # The delegate's connection drops; the recording starts meanwhile. When the page resumes
    # (a replay, not a new snapshot) the indicator is on: the state came with the resume.
    drop(delegate)
    secretariat.get_by_role("button", name="Start recording").click()
    expect(secretariat.locator("[data-media-record-status]")).to_have_text(
        "This meeting is being recorded."
    )
    expect(indicator).to_be_hidden()  # away: it cannot know yet
    resume(delegate)
    expect(indicator).to_be_visible()
    # And the other way round.
    drop(delegate)
    secretariat.get_by_role("button", name="Stop recording").click()
    expect(secretariat.locator("[data-media-record-status]")).to_have_text(
        "This meeting is not being recorded."
    )
    resume(delegate)
    expect(indicator).to_be_hidden()
