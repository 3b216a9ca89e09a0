"""Issue 6 in a browser: the chair puts a proposed conclusion to the meeting, a Council Member
objects from the room, everyone sees the objection, and the matter is deferred."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import log_in
from tests.factories import open_meeting
from vev.council.models import Registration, StaffAssignment
from vev.decisions.models import ObjectionCall, ProposedConclusion


@pytest.fixture
def session(transactional_db):
    event = factories.create_event("objection-session")
    chair = factories.create_user("chair@example.org", full_name="Chair Amina")
    factories.assign(chair, event, StaffAssignment.Function.CHAIR)
    france = factories.create_user("fr@example.org", full_name="Delegate FR")
    factories.register(france, event, factories.member_entity(event, 0), "councillor")
    kenya = factories.create_user("ke@example.org", full_name="Delegate KE")
    factories.register(
        kenya, event, factories.member_entity(event, 1), Registration.Role.HEAD_OF_DELEGATION
    )
    return event, open_meeting(event), chair, france, kenya


def enter(new_page, user, meeting, view="room"):
    page = new_page()
    log_in(page, user)
    page.goto(f"/events/{meeting.event.slug}/meetings/{meeting.slug}/{view}/")
    expect(page.locator("[data-room]")).to_have_attribute("data-ready", "true")
    return page


def test_a_conclusion_call_with_an_objection(new_page, session):
    event, meeting, chair, france, kenya = session
    console = enter(new_page, chair, meeting, "console")
    paris = enter(new_page, france, meeting)
    nairobi = enter(new_page, kenya, meeting)

    console.locator("[data-agenda-list]").get_by_role("button", name="Take up").click()
    expect(paris.locator("[data-current]")).to_contain_text("Item 1")
    console.get_by_label("Draft a proposed conclusion on the item under discussion").fill(
        "The Council approved the report in Document C20/5."
    )
    console.get_by_role("button", name="Add the draft").click()
    # the draft is the chair's until put to the meeting: delegates do not see it
    expect(console.locator("[data-conclusion-list]")).to_contain_text("approved the report")
    expect(paris.locator("[data-conclusions-empty]")).to_be_visible()
    expect(paris.locator("[data-conclusion-list]")).not_to_contain_text("approved the report")
    console.get_by_label("Length of the call (seconds)").fill("120")
    console.locator("[data-conclusion-list]").get_by_role(
        "button", name="Put to the meeting"
    ).click()
    expect(paris.locator("[data-conclusion-list]")).to_contain_text("approved the report")

    for page in (paris, nairobi, console):
        expect(page.locator("[data-call]")).to_be_visible()
        expect(page.locator("[data-call-title]")).to_have_text("Is there any objection?")
        expect(page.locator("[data-call-countdown]")).to_contain_text("seconds left to object")
    expect(console.get_by_role("button", name="Raise a formal objection")).to_be_hidden()

    nairobi.get_by_label("Reason (optional)").fill("The financial annex is missing")
    nairobi.get_by_role("button", name="Raise a formal objection").click()
    for page in (paris, console):
        expect(page.locator("[data-call-objections]")).to_contain_text(
            "Kenya objects: The financial annex is missing"
        )
    expect(nairobi.get_by_role("button", name="Withdraw our objection")).to_be_visible()

    console.get_by_role("button", name="Close the call").click()
    for page in (paris, nairobi, console):
        expect(page.locator("[data-call]")).to_be_hidden()
        expect(page.locator("[data-conclusion-list]")).to_contain_text("Deferred")
    conclusion = ProposedConclusion.objects.get(event=event)
    assert conclusion.state == "deferred" and conclusion.deferred_because == "objection"


def test_the_chair_waits_on_a_hold_and_a_state_that_came_back_no_longer_holds_it(new_page, session):
    event, meeting, chair, france, kenya = session
    console = enter(new_page, chair, meeting, "console")
    paris = enter(new_page, france, meeting)
    nairobi = enter(new_page, kenya, meeting)
    console.locator("[data-agenda-list]").get_by_role("button", name="Take up").click()
    console.get_by_label("Draft a proposed conclusion on the item under discussion").fill(
        "The Council noted the report in Document C20/6."
    )
    console.get_by_role("button", name="Add the draft").click()
    console.get_by_label("Length of the call (seconds)").fill("10")
    console.locator("[data-conclusion-list]").get_by_role(
        "button", name="Put to the meeting"
    ).click()
    expect(paris.locator("[data-call]")).to_be_visible()
    nairobi.close()  # Kenya's only delegate drops during the call

    hold = console.locator("[data-hold]")
    expect(hold).to_be_visible(timeout=20_000)
    expect(hold.locator("[data-hold-text]")).to_contain_text(
        "Lost the connection during the call: Kenya."
    )
    expect(hold.locator("[data-hold-choices]")).to_contain_text(
        "a State whose connection was lost and that is back no longer holds it"
    )
    console.get_by_role("button", name="Wait one more minute").click()
    expect(hold).to_be_hidden()
    expect(console.locator("[data-call-countdown]")).to_contain_text("seconds left to object")

    nairobi = enter(new_page, kenya, meeting)  # back in the room
    expect(nairobi.locator("[data-call]")).to_be_visible()
    # the minute is over (the test does not wait for it)
    call = ObjectionCall.objects.get(conclusion__event=event)
    ObjectionCall.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    console.get_by_role("button", name="Close the call").click()
    for page in (console, paris, nairobi):
        expect(page.locator("[data-call]")).to_be_hidden()
        expect(page.locator("[data-conclusion-list]")).to_contain_text("Agreed · 1")
    conclusion = ProposedConclusion.objects.get(event=event)
    assert conclusion.state == "agreed" and conclusion.absence_noted == []
    assert "The chair waited for Kenya" in conclusion.transitions.get(to_state="agreed").note
