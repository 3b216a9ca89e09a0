"""Issue 4: after the consultation defers items, the secretariat re-plans and publishes; a
delegate in New York sees the shorter plan with their local times."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import sign_in
from vev.council.models import AgendaItem, Meeting
from vev.council.services.demo import load_demo
from vev.planning.models import PlanVersion

NEW_YORK = ZoneInfo("America/New_York")


def _user(email: str):
    user = get_user_model().objects.get(email=email)
    user.set_password(factories.PASSWORD)
    user.save()
    return user


def test_secretariat_replans_after_deferral_and_delegate_sees_local_times(
    new_page, transactional_db
):
    event = load_demo().event  # dates moved into the near future
    secretariat = _user("secretariat@vev.test")
    delegate = _user("head.us@vev.test")
    days_before = len({m.starts_at.date() for m in event.meetings.all()})
    # The consultation moved five ADM reports to the next physical session.
    consultation = list(event.agenda_items.filter(committee__code="ADM").order_by("position")[2:7])
    AgendaItem.objects.filter(pk__in=[i.pk for i in consultation]).update(
        status=AgendaItem.Status.DEFERRED
    )
    deferred_by_hand = event.agenda_items.get(code="ADM 22")

    staff = new_page()
    sign_in(staff, secretariat)
    staff.goto(f"/events/{event.slug}/plan/manage/")
    staff.get_by_role("link", name=f"Edit {deferred_by_hand}").click()
    staff.get_by_label("Status").select_option(label="Moved to the next physical session")
    staff.get_by_role("button", name="Save").click()
    expect(staff.get_by_text("saved. Compute the plan again")).to_be_visible()

    staff.get_by_label("Reason for this version").fill("After the consultation")
    expect(staff.get_by_label("Keep the published meetings stable")).to_be_checked()
    staff.get_by_role("button", name="Compute a new plan").click()
    expect(staff.get_by_text("All planning rules are met.")).to_be_visible()
    expect(staff.locator(".changes")).to_contain_text("ADM 22 ITU accountability framework")
    version = event.plan_versions.get(status=PlanVersion.Status.DRAFT)
    assert version.day_count < days_before
    staff.get_by_role("button", name=f"Publish version {version.number}").click()
    expect(staff.get_by_text(f"Version {version.number} is published")).to_be_visible()
    expect(staff).to_have_url(re.compile(r"/plan/$"))

    active = event.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("starts_at")
    assert len({m.starts_at.date() for m in active}) < days_before
    first = active.first()
    local = first.starts_at.astimezone(NEW_YORK)

    viewer = new_page(timezone_id="America/New_York")
    sign_in(viewer, delegate)
    viewer.goto(f"/events/{event.slug}/plan/")
    expect(viewer.get_by_text(f"Version {version.number}, published")).to_be_visible()
    first_card = viewer.locator(f"#meeting-{first.pk}").locator("xpath=..")
    local_slot = first_card.locator(".meeting-time .vev-local-time").first
    expect(local_slot).to_contain_text(f"{local:%H:%M}")
    expect(local_slot).to_contain_text("your time")
    expect(viewer.locator(".plan-day", has_text="ADM 22 ITU accountability")).to_have_count(0)
    expect(viewer.locator(".changes")).to_contain_text("Moved to the next physical session")
    expect(viewer.get_by_role("heading", name=re.compile("Changes in version"))).to_be_visible()
