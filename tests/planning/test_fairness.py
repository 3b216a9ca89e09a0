"""Time-zone fairness: night hours per delegation for a daily window, DST day by day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests import factories
from vev.council.models import CouncilMembership
from vev.planning.services import fairness


def _row(report, zone):
    return next(row for row in report.rows if row.time_zone == zone)


def test_the_2020_choice_of_12_to_15_geneva(council_2020):
    report = fairness.assess(council_2020, time(12), time(15))
    assert len(report.days) == 9  # weekdays from 9 to 19 June 2020
    assert report.delegations == 57
    assert report.affected_delegations == 11
    assert report.total_night_hours == 144.0
    us = _row(report, "America/New_York")
    assert [(w.start, w.end, w.zone_name) for w in us.windows] == [("06:00", "09:00", "EDT")]
    assert us.night_hours == 9.0 and us.night_days == 9  # 06:00-07:00 every day
    nz = _row(report, "Pacific/Auckland")
    assert [(w.start, w.end) for w in nz.windows] == [("22:00", "01:00")]
    assert nz.night_hours == 27.0  # the whole meeting, every day
    japan = _row(report, "Asia/Tokyo")
    assert japan.night_minutes == 0  # 19:00-22:00


def test_suggestions_take_less_night_than_2020(council_2020):
    current = fairness.assess(council_2020, time(12), time(15))
    best = fairness.suggest(council_2020, 180, prefer=time(12))
    assert best[0].total_minutes < current.total_night_minutes
    assert (best[0].start, best[0].end) == (time(13), time(16))
    assert best[0].total_hours == 90.0
    assert [s.total_minutes for s in best] == sorted(s.total_minutes for s in best)


def test_daylight_saving_changes_during_the_event(db):
    """Geneva leaves summer time on 25 Oct 2026, New York on 1 Nov: 13:00 Geneva is 07:00,
    then 08:00 (one week), then 07:00 again in New York."""
    event = factories.create_event("dst", first_day=date(2026, 10, 21), members=1, observers=0)
    event.last_day = date(2026, 11, 4)
    event.save()
    us = factories.create_entity("United States", "US", tz="America/New_York")
    CouncilMembership.objects.create(event=event, entity=us, status="member")
    report = fairness.assess(event, time(13), time(16))
    windows = [
        (w.first_day, w.last_day, w.start, w.zone_name)
        for w in _row(report, "America/New_York").windows
    ]
    assert windows == [
        (date(2026, 10, 21), date(2026, 10, 23), "07:00", "EDT"),
        (date(2026, 10, 26), date(2026, 10, 30), "08:00", "EDT"),
        (date(2026, 11, 2), date(2026, 11, 4), "07:00", "EST"),
    ]
    assert _row(report, "America/New_York").night_minutes == 0


def test_night_minutes_cross_midnight_and_dst():
    tz = ZoneInfo("Pacific/Auckland")
    start = datetime(2020, 6, 9, 10, 0, tzinfo=UTC)  # 22:00 NZST
    end = datetime(2020, 6, 9, 13, 0, tzinfo=UTC)  # 01:00 NZST
    assert fairness.night_minutes(start, end, tz, time(22), time(7)) == 180
    assert fairness.night_minutes(start, end, ZoneInfo("Asia/Tokyo"), time(22), time(7)) == 0


def test_fairness_page_shows_the_event_window_and_validates(client, council_2020):
    from django.contrib.auth import get_user_model

    head = get_user_model().objects.get(email="head.fr@vev.test")
    client.force_login(head)
    url = reverse("planning:fairness", kwargs={"event": council_2020.slug})
    page = client.get(url).content.decode()
    assert "the event&#x27;s window" in page or "the event's window" in page
    assert "11 of 57 delegations meet during their night" in page
    assert "Pacific/Auckland" in page
    bad = client.get(url, {"start": "15:00", "end": "12:00"}).content.decode()
    assert "The window must end after it starts" in bad


def test_shifted_demo_also_shows_the_original_2020_dates(client, db):
    from django.contrib.auth import get_user_model

    from vev.council.services.demo import load_demo

    event = load_demo(today=date(2026, 11, 24)).event
    client.force_login(get_user_model().objects.get(email="head.fr@vev.test"))
    page = client.get(reverse("planning:fairness", kwargs={"event": event.slug})).content.decode()
    assert (
        "On the original dates (9 June 2020 – 19 June 2020): 11 delegations at night, "
        "144.0 delegation-hours of night." in page
    )
