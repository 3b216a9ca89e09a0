"""The secretariat reads the audit log, filters it, exports it and sees tampering."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.records.conftest import tamper
from vev.core.audit import log_action


def test_secretariat_filters_exports_and_sees_a_broken_chain(new_page, event, role_users):
    log_action(
        "vev.documents.consultation.replied",
        actor=role_users["councillor"],
        event=event,
        data={"symbol": "C20/37", "entity": "France", "choice": "move"},
    )
    log_action(
        "vev.decisions.reply.given",
        actor=role_users["focal_point"],
        event=event,
        data={"entity": "Kenya", "choice": "object"},
    )
    page = new_page()
    sign_in(page, role_users["secretariat"])
    page.goto(f"/events/{event.slug}/")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="The chain verifies")).to_be_visible()
    table = page.locator("#audit-entries")
    expect(table).to_contain_text("Consultation reply")
    expect(table).to_contain_text("(Kenya)")

    page.get_by_label("Action").fill("vev.decisions.")
    page.get_by_role("button", name="Filter").click()
    expect(table).to_contain_text("Written procedure reply")
    expect(table).not_to_contain_text("Consultation reply")
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON Lines").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        lines = [json.loads(line) for line in exported]
    assert [line["action"] for line in lines] == ["vev.decisions.reply.given"]

    tamper("UPDATE core_auditentry SET actor_label = %s WHERE position = %s", ["Nobody", 1])
    page.get_by_role("link", name="Show every entry").click()
    alert = page.locator("#chain-status")
    expect(alert).to_contain_text("The audit log does NOT verify")
    expect(alert).to_contain_text("Entry #1: its content was changed")
    expect(page.locator("#entry-1")).to_have_class("broken")
