"""iCalendar feeds: parse with the icalendar library, right times across a DST change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from tests import factories
from vev.council.models import Meeting
from vev.planning.services import calendar, planner, publishing

GENEVA = ZoneInfo("Europe/Zurich")


@pytest.fixture
def autumn_event(db):
    """A session on Friday 23 and Monday 26 October 2026: Europe leaves summer time on the 25th."""
    event = factories.create_event("autumn-session", first_day=date(2026, 10, 23))
    assert event.first_day.weekday() == 4
    event.agenda_items.update(estimated_minutes=150)  # one item a day: two days
    secretariat = factories.create_user("sec@example.org")
    factories.assign(secretariat, event, "secretariat")
    version = planner.compute_plan(
        event, by=secretariat, keep_published=False, now=datetime(2026, 10, 1, tzinfo=UTC)
    )
    publishing.publish_version(version, by=secretariat, now=datetime(2026, 10, 1, tzinfo=UTC))
    return event


def _events(body: bytes):
    parsed = icalendar.Calendar.from_ical(body)
    return parsed, [c for c in parsed.walk("VEVENT") if c["STATUS"] == "CONFIRMED"]


def test_event_feed_has_the_right_times_across_the_dst_change(client, autumn_event):
    response = client.get(reverse("planning:event_calendar", kwargs={"event": autumn_event.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed, events = _events(response.content)
    assert parsed["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Zurich"]
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert [s.astimezone(GENEVA).strftime("%Y-%m-%d %H:%M %Z") for s in starts] == [
        "2026-10-23 12:00 CEST",
        "2026-10-26 12:00 CET",
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [10, 11]
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert first.decoded("DTEND").astimezone(GENEVA).strftime("%H:%M") == "15:00"
    meeting = Meeting.objects.get(pk=int(str(first["UID"]).split("@")[0].split("-")[1]))
    page = "http://localhost:8000" + meeting.get_absolute_url()
    assert str(first["URL"]) == page
    assert str(first["CONFERENCE"]) == page  # the vev room: joined from the meeting page
    assert first["CONFERENCE"].params["VALUE"] == "URI"
    assert "Agenda:" in str(first["DESCRIPTION"])


def test_external_platform_link_is_the_conference_property(client, autumn_event):
    meeting = autumn_event.meetings.exclude(status="cancelled").order_by("starts_at").first()
    meeting.platform = Meeting.Platform.ZOOM
    meeting.join_url = "https://zoom.example.org/j/123"
    meeting.save()
    response = client.get(reverse("planning:event_calendar", kwargs={"event": autumn_event.slug}))
    _parsed, events = _events(response.content)
    conferences = {str(e["CONFERENCE"]) for e in events}
    assert "https://zoom.example.org/j/123" in conferences


def test_cancelled_meetings_stay_in_the_feed_as_cancelled(client, autumn_event):
    secretariat = autumn_event.staff.get(function="secretariat").user
    autumn_event.agenda_items.filter(code="PL-2").update(status="deferred")
    now = datetime(2026, 10, 2, tzinfo=UTC)
    version = planner.compute_plan(autumn_event, by=secretariat, now=now)
    publishing.publish_version(version, by=secretariat, now=now)
    response = client.get(reverse("planning:event_calendar", kwargs={"event": autumn_event.slug}))
    parsed = icalendar.Calendar.from_ical(response.content)
    status = {str(e["SUMMARY"]).split(" – ")[0]: e for e in parsed.walk("VEVENT")}
    assert str(status["PL 1"]["STATUS"]) == "CONFIRMED"
    assert str(status["PL 2"]["STATUS"]) == "CANCELLED"
    assert int(status["PL 2"]["SEQUENCE"]) >= 1


def test_personal_feed_with_token_local_time_and_reset(client, autumn_event):
    user = factories.create_user("delegate@example.org", time_zone="America/New_York")
    factories.register(user, autumn_event, factories.member_entity(autumn_event))
    token = calendar.feed_token(user).token
    url = reverse("planning:user_calendar", kwargs={"token": token})
    response = client.get(url)  # no session: calendar applications cannot sign in
    assert response.status_code == 200
    _parsed, events = _events(response.content)
    assert len(events) == 2
    description = str(min(events, key=lambda e: e.decoded("DTSTART"))["DESCRIPTION"])
    assert "Your time (America/New_York): Fri 23 Oct 06:00–09:00 EDT" in description
    calendar.reset_feed_token(user)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("planning:user_calendar", kwargs={"token": "nope"})).status_code == 404
    )


def test_personal_feed_is_in_the_subscribers_language(client, autumn_event):
    """Calendar applications fetch without the user's cookie: the profile's language counts."""
    user = factories.create_user(
        "delegue@example.org", time_zone="America/New_York", preferred_language="fr"
    )
    factories.register(user, autumn_event, factories.member_entity(autumn_event))
    url = reverse("planning:user_calendar", kwargs={"token": calendar.feed_token(user).token})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    _parsed, events = _events(response.content)
    description = str(min(events, key=lambda e: e.decoded("DTSTART"))["DESCRIPTION"])
    assert "Ordre du jour\u00a0:" in description
    assert "Votre heure (America/New_York)\u00a0: ven 23 oct. 06:00–09:00 EDT" in description


def test_feeds_of_non_public_events_only_for_registrants(client, db):
    event = factories.create_event("closed-session", is_public=False)
    outsider = factories.create_user("outsider@example.org")
    member = factories.create_user("member@example.org")
    factories.register(member, event, factories.member_entity(event))
    for user, expected in [(outsider, 404), (member, 200)]:
        token = calendar.feed_token(user).token
        url = reverse("planning:user_event_calendar", kwargs={"token": token, "event": event.slug})
        assert client.get(url).status_code == expected
    # The outsider's "all events" feed does not contain it either.
    body = client.get(
        reverse("planning:user_calendar", kwargs={"token": calendar.feed_token(outsider).token})
    ).content
    assert b"closed-session" not in body and b"BEGIN:VEVENT" not in body
    # Session-based event feed: registrants only.
    client.force_login(outsider)
    assert client.get(
        reverse("planning:event_calendar", kwargs={"event": event.slug})
    ).status_code in (403, 404)
    client.force_login(member)
    response = client.get(reverse("planning:event_calendar", kwargs={"event": event.slug}))
    assert response.status_code == 200
    closed = [e for e in _events(response.content)[1] if "Closed 1" in str(e["SUMMARY"])]
    assert closed and str(closed[0]["CLASS"]) == "CONFIDENTIAL"
