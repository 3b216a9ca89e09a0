"""The secretariat opens the summary record of a meeting, edits it and publishes it; a delegate
reads the published version."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.records.simulation import simulate_meeting


def test_secretariat_edits_and_publishes_a_delegate_reads_it(new_page, event, role_users):
    held = simulate_meeting(event, role_users)
    secretariat = new_page()
    log_in(secretariat, role_users["secretariat"])
    secretariat.goto(held.meeting.get_absolute_url())
    secretariat.get_by_role("link", name="Summary record").click()
    expect(secretariat.get_by_role("heading", name="Summary record of PL 1")).to_be_visible()
    expect(secretariat.locator("#record-assembled")).to_contain_text(
        "France supports the report. We thank the secretariat."
    )
    secretariat.get_by_role("link", name="Start the summary record from the room's record").click()
    text = secretariat.get_by_label("Text of the summary record")
    expect(text).to_have_value(
        re.compile("Deferred to the next physical meeting: objection of Kenya")
    )
    text.press("Control+End")
    text.press_sequentially("\nThe chair thanked the interpreters.")
    secretariat.get_by_label("Note on this version (optional)").fill("Thanks added")
    secretariat.get_by_role("button", name="Save a new version").click()
    expect(secretariat.get_by_text("Version 1 is a draft, not published.")).to_be_visible()
    expect(secretariat.locator("#record-current")).to_contain_text("thanked the interpreters")

    delegate = new_page()
    log_in(delegate, role_users["councillor"])
    delegate.goto(held.meeting.get_absolute_url())
    delegate.get_by_role("link", name="Summary record").click()
    expect(delegate.locator("#record-none")).to_be_visible()

    secretariat.get_by_role("button", name="Publish version 1 to the participants").click()
    expect(secretariat.get_by_text("Version 1 is published.")).to_be_visible()

    delegate.reload()
    expect(delegate.get_by_text("Published version 1")).to_be_visible()
    published = delegate.locator("#record-published")
    expect(published).to_contain_text("The chair thanked the interpreters.")
    expect(published).to_contain_text("Point of order: Ms Wanjiru (Kenya)")
    expect(delegate.get_by_role("link", name="Edit the summary record")).to_have_count(0)
