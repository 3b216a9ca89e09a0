"""Live captions in a browser: a technician creates the caption address on the technical
console, the provider posts captions to it, a delegate follows them in the language chosen."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import open_meeting
from vev.live.models import CaptionFeed


def provider_post(url: str, text: str, seq: int, lang: str) -> int:
    """What captioning software does: POST text/plain to the address with seq and lang."""
    request = urllib.request.Request(  # noqa: S310 (the test server on loopback)
        f"{url}&seq={seq}&lang={lang}",
        data=text.encode(),
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status


def test_captions_posted_by_the_provider_appear_in_the_chosen_language(
    new_page, asgi_server, event, role_users, settings
):
    settings.SITE_URL = asgi_server.url
    meeting = open_meeting(event)
    room = f"/events/{event.slug}/meetings/{meeting.slug}"

    tech = new_page()
    sign_in(tech, role_users["technician"])
    tech.goto(f"{room}/technical/")
    feed_panel = tech.locator("[data-caption-feed]")
    expect(feed_panel.locator("[data-feed-status]")).to_have_text(
        "This meeting has no caption address yet."
    )
    tech.get_by_role("button", name="Create the caption address").click()
    address = tech.get_by_label("Caption address (POST)")
    expect(address).to_have_value(re.compile(r"/captions/ingest\?id="))
    expect(feed_panel).to_have_attribute("data-active", "true")
    url = address.input_value()
    assert url.startswith(f"{asgi_server.url}/captions/ingest?id={meeting.pk}&ns=")
    assert CaptionFeed.objects.get(meeting=meeting).revoked_at is None

    delegate = new_page()
    sign_in(delegate, role_users["councillor"])
    delegate.goto(f"{room}/room/")
    panel = delegate.locator("[data-captions]")
    expect(delegate.locator("[data-room]")).to_have_attribute("data-ready", "true")
    picker = panel.get_by_label("Language of the captions")
    picker.select_option("fr")
    expect(panel.locator("[data-captions-status]")).to_have_text("No captions yet in French.")

    assert provider_post(url, "Good afternoon.\nThe meeting is ", 1, "en-US") == 200
    # One numbering for the address, whatever the language (Zoom's convention).
    assert provider_post(url, "Bonjour.\nLa séance est ", 2, "fr-FR") == 200
    assert provider_post(url, "ouverte.\n", 3, "fr-FR") == 200
    final = panel.locator("[data-captions-final]")
    expect(final.locator("li")).to_have_text(["Bonjour.", "La séance est ouverte."])
    expect(final).to_have_attribute("aria-live", "polite")
    expect(panel.locator("[data-captions-status]")).to_have_text("Captions in French")
    expect(panel).not_to_contain_text("Good afternoon.")

    # A correction with backspaces reaches the delegate; English is there when chosen.
    assert provider_post(url, "\x08\x08\x08\x08\x08\x08\x08\x08\x08fermée.\n", 4, "fr-FR") == 200
    expect(final.locator("li")).to_have_text(["Bonjour.", "La séance est fermée."])
    picker.select_option("en")
    expect(final.locator("li")).to_have_text(["Good afternoon."])
    expect(panel.locator("[data-captions-open] li")).to_have_text(["The meeting is"])

    # Larger text, remembered with the language on the next visit.
    panel.get_by_role("button", name="Larger caption text").click()
    panel.get_by_role("button", name="Larger caption text").click()
    expect(panel).to_have_attribute("data-size", "130")
    delegate.reload()
    expect(delegate.locator("[data-room]")).to_have_attribute("data-ready", "true")
    expect(panel.get_by_label("Language of the captions")).to_have_value("en")
    expect(panel).to_have_attribute("data-size", "130")
    expect(panel.locator("[data-captions-final] li")).to_have_text(["Good afternoon."])

    # The technician sees what arrived, and withdraws the address: the provider is refused.
    expect(feed_panel.locator("[data-feed-streams]")).to_contain_text("French: last post no. 4")
    expect(feed_panel.locator("[data-feed-seq]")).to_contain_text("(all languages): 4.")
    tech.once("dialog", lambda dialog: dialog.accept())
    tech.get_by_role("button", name="Withdraw the address").click()
    expect(feed_panel).to_have_attribute("data-active", "false")
    try:
        provider_post(url, "x", 5, "fr-FR")
        raise AssertionError("a withdrawn address accepted a post")
    except urllib.error.HTTPError as error:
        assert error.code == 403


def test_the_captioner_restarts_numbering_and_the_secretariat_issues_a_new_address(
    new_page, asgi_server, event, role_users, settings
):
    from vev.live.services import captions

    settings.SITE_URL = asgi_server.url
    meeting = open_meeting(event)
    room = f"/events/{event.slug}/meetings/{meeting.slug}"
    feed = captions.create_feed(role_users["secretariat"], meeting)
    first = captions.feed_url(feed)
    assert provider_post(first, "Good afternoon.\n", 40, "en") == 200

    captioner = new_page()
    sign_in(captioner, role_users["captioner"])
    captioner.goto(f"{room}/captions/")
    box = captioner.locator("[data-caption-feed]")
    expect(captioner.get_by_label("Caption address (POST)")).to_have_value(first)
    expect(box.locator("[data-feed-streams]")).to_contain_text("English: last post no. 40")
    expect(box.get_by_role("button", name="Issue a new address")).to_have_count(0)
    box.get_by_role("button", name="Copy the address").click()
    expect(captioner.locator("#room-announcer")).to_have_text(
        re.compile("Address copied.|Select the address and copy it.")
    )
    box.get_by_role("button", name="Restart numbering").click()
    expect(box.locator("[data-feed-streams]")).to_contain_text("English: last post no. 0")
    assert provider_post(first, "The meeting is open.\n", 1, "en") == 200  # accepted again
    expect(captioner.locator("[data-captions-final] li")).to_have_text(
        ["Good afternoon.", "The meeting is open."]
    )

    secretariat = new_page()
    sign_in(secretariat, role_users["secretariat"])
    secretariat.goto(f"{room}/technical/")
    expect(secretariat.get_by_label("Caption address (POST)")).to_have_value(first)
    secretariat.once("dialog", lambda dialog: dialog.accept())
    secretariat.get_by_role("button", name="Issue a new address").click()
    address = secretariat.get_by_label("Caption address (POST)")
    expect(address).not_to_have_value(first)
    second = address.input_value()
    with pytest.raises(urllib.error.HTTPError):
        provider_post(first, "Old address.\n", 2, "en")
    assert provider_post(second, "New address.\n", 1, "en") == 200
    expect(captioner.get_by_label("Caption address (POST)")).to_have_value(second, timeout=15_000)

    # The transcript, searched, as a delegate reads it.
    delegate = new_page()
    sign_in(delegate, role_users["councillor"])
    delegate.goto(f"{room}/transcript/")
    expect(delegate.get_by_text("The meeting is open.")).to_be_visible()
    delegate.get_by_label("Search the transcript").fill("address")
    delegate.get_by_role("button", name="Show").click()
    expect(delegate.locator("[data-transcript-count]")).to_have_text("1 line contains “address”.")
    expect(delegate.locator("mark")).to_have_text(["address"])
    with delegate.expect_download() as download:
        delegate.get_by_role("link", name="Download as WebVTT subtitles").click()
    assert download.value.suggested_filename == "test-session-pl-1-captions-en.vtt"
