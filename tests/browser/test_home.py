"""The home page shows the event's meetings in the event's zone and in the visitor's local time."""

from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from vev.council.services.demo import load_demo


def test_home_shows_event_time_and_local_time(new_page, transactional_db):
    event = load_demo().event  # moved into the near future, as ./scripts/demo does
    opening = event.meetings.get(code="Opening").starts_at
    geneva = opening.astimezone(ZoneInfo("Europe/Zurich"))
    new_york = opening.astimezone(ZoneInfo("America/New_York"))
    page = new_page(timezone_id="America/New_York")
    page.goto("/")
    row = page.get_by_role("row", name="Opening")
    expect(row.locator("time").first).to_contain_text(f"12:00 {geneva.tzname()}")
    expect(row.locator(".vev-local-time").first).to_contain_text(f"{new_york:%H:%M}")
    expect(row.locator(".vev-local-time").first).to_contain_text("your time")

    same_zone = new_page(timezone_id="Europe/Zurich")
    same_zone.goto("/")
    expect(
        same_zone.get_by_role("row", name="Opening").locator(".vev-local-time").first
    ).to_be_empty()
