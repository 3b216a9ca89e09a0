"""The unified schedule, the join target per role, the feeds (parsed back) and the counts."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.venue.conftest import at
from vev.council.models import Meeting
from vev.planning.services import calendar as planning_calendar
from vev.venue.models import MeetingJoinLink, MeetingJoinTally
from vev.venue.services import analytics, calendar, schedule, side_meetings

pytestmark = pytest.mark.django_db


def test_join_target_for_each_role(event, role_users):
    meeting = event.meetings.get(slug="pl-1")
    councillor = role_users["councillor"]
    # vev's own room: the room, the chair's console, the technical console, the booth console,
    # the captioner's page
    target = schedule.join_target(councillor, meeting)
    assert (target.kind, target.url) == ("room", f"/events/{event.slug}/meetings/pl-1/room/")
    assert schedule.join_target(role_users["chair"], meeting).kind == "console"
    assert schedule.join_target(role_users["technician"], meeting).url.endswith("/technical/")
    target = schedule.join_target(role_users["interpreter"], meeting)
    assert (target.kind, target.url) == ("booth", f"/events/{event.slug}/meetings/pl-1/booth/")
    target = schedule.join_target(role_users["captioner"], meeting)
    assert (target.kind, target.url) == (
        "captions",
        f"/events/{event.slug}/meetings/pl-1/captions/",
    )
    # Who may only follow a public meeting on vev's platform: its webcast.
    for follower in (role_users["pending"], AnonymousUser()):
        target = schedule.join_target(follower, meeting)
        assert (target.kind, target.url) == (
            "webcast",
            f"/events/{event.slug}/meetings/pl-1/webcast/",
        )
    meeting.platform, meeting.join_url = "interprefy", "https://interprefy.example/listen"
    meeting.save()
    MeetingJoinLink.objects.create(
        meeting=meeting, audience="interpreters", url="https://interprefy.example/booth"
    )
    MeetingJoinLink.objects.create(meeting=meeting, audience="staff", url="https://x.example/s")
    assert schedule.join_target(councillor, meeting).url == "https://interprefy.example/listen"
    assert schedule.join_target(role_users["interpreter"], meeting).url.endswith("/booth")
    assert schedule.join_target(role_users["chair"], meeting).url == "https://x.example/s"
    assert schedule.join_target(role_users["observer"], meeting).external
    # Who may not attend (a pending registration, the public) follows on the meeting's page.
    assert schedule.join_target(role_users["pending"], meeting).kind == "meeting_page"
    closed = event.meetings.get(slug="closed-1")
    assert schedule.join_target(role_users["observer"], closed).kind == "meeting_page"
    # A closed meeting (no webcast) admits Councillors and named staff, as the room does: an
    # adviser is not sent into a room that would refuse them.
    assert schedule.join_target(role_users["adviser"], closed).kind == "meeting_page"
    assert schedule.join_target(role_users["councillor"], closed).kind == "room"


def test_an_interpreter_whose_booth_does_not_serve_the_meeting_joins_the_room(event, role_users):
    event.languages = ["en", "es"]  # no French channel: the French booth has no work here
    event.save()
    meeting = event.meetings.get(slug="pl-1")
    assert schedule.join_target(role_users["interpreter"], meeting).kind == "room"


def test_join_button_opens_around_the_meeting(event):
    meeting = event.meetings.get(slug="pl-1")
    start, end = meeting.starts_at, meeting.ends_at
    assert schedule.join_state(start, end, now=start - timedelta(minutes=16)) == "early"
    assert schedule.join_state(start, end, now=start - timedelta(minutes=15)) == "open"
    assert schedule.join_state(start, end, now=end - timedelta(seconds=1)) == "open"
    assert schedule.join_state(start, end, now=end) == "ended"


def test_one_schedule_for_all_events_with_side_meetings(event, role_users, room):
    other = factories.create_event("working-group", title="Working group")
    councillor = role_users["councillor"]
    factories.register(councillor, other, factories.member_entity(other, 0))
    side_meetings.book(
        organiser=role_users["observer"],
        room=room,
        title="Bilateral",
        starts_at=at(event, 0, 10),
        ends_at=at(event, 0, 10, 30),
        invitee_ids=[councillor.pk],
    )
    entries = schedule.schedule_for(councillor)
    kinds = [(e.kind, e.event.slug) for e in entries]
    assert ("meeting", "working-group") in kinds and ("meeting", "test-session") in kinds
    side = [e for e in entries if e.kind == "side_meeting"]
    assert side[0].state == "invited"
    # The observer does not see the closed meeting; the councillor does.
    assert "Closed 1" in [e.title for e in entries]
    assert "Closed 1" not in [e.title for e in schedule.schedule_for(role_users["observer"])]


def _starting_in(meeting, minutes: int, *, hours: int = 1):
    start = timezone.now() + timedelta(minutes=minutes)
    meeting.starts_at, meeting.ends_at = start, start + timedelta(hours=hours)
    meeting.save()
    return meeting


def test_join_view_counts_by_region_only(client, event, role_users):
    _starting_in(event.meetings.get(slug="pl-1"), 5)
    client.force_login(role_users["councillor"])
    url = reverse("venue:join", kwargs={"event": event.slug, "meeting": "pl-1"})
    assert client.get(url).status_code == 302
    client.get(url)
    tally = MeetingJoinTally.objects.get()
    assert tally.region == "B"
    assert not [f for f in MeetingJoinTally._meta.fields if f.name in ("user", "user_id")]
    report = analytics.meeting_report(event)
    assert ("Region B (Western Europe)", "<3") in report[0]["by_region"]


def test_the_join_address_refuses_outside_the_window(client, event, role_users):
    meeting = event.meetings.get(slug="pl-1")
    client.force_login(role_users["councillor"])
    url = reverse("venue:join", kwargs={"event": event.slug, "meeting": "pl-1"})
    schedule_page = reverse("venue:schedule")

    def refused(expected: str) -> None:
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(schedule_page, 302)]
        assert expected in response.content.decode()

    # Weeks ahead (a bookmark, the calendar's link): not yet, and when.
    opens = (meeting.starts_at - schedule.JOIN_OPENS_BEFORE).astimezone(event.tz)
    refused(f"You can join PL 1 from {opens:%H:%M} (Europe/Zurich), 15 minutes before it starts.")
    _starting_in(meeting, 16)
    refused("You can join PL 1 from")
    _starting_in(meeting, 14)
    assert client.get(url)["Location"] == f"/events/{event.slug}/meetings/pl-1/room/"
    # Over at its planned end; but while the chair keeps it in session, still open.
    _starting_in(meeting, -70)
    refused("PL 1 has ended; its record is on the meeting&#x27;s page.")
    meeting.status = Meeting.Status.LIVE
    meeting.save()
    assert client.get(url)["Location"].endswith("/room/")
    meeting.status = Meeting.Status.ENDED
    meeting.save()
    refused("PL 1 has ended")
    _starting_in(meeting, 5)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    refused("PL 1 was cancelled.")
    # Only the joins let through were counted.
    assert MeetingJoinTally.objects.count() == 1


def test_the_schedule_renders_each_joins_window_for_the_page_script(client, event, role_users):
    meeting = _starting_in(event.meetings.get(slug="pl-1"), 20)
    client.force_login(role_users["councillor"])
    page = client.get(reverse("venue:schedule")).content.decode()
    opens = (meeting.starts_at - schedule.JOIN_OPENS_BEFORE).astimezone(
        timezone.get_current_timezone()
    )
    assert f'data-join-opens="{opens.isoformat()}"' in page
    assert 'data-join-url="/events/test-session/meetings/pl-1/join/"' in page
    assert 'id="join-status" class="visually-hidden" role="status"' in page
    assert "vev/js/schedule-join.js" in page


def test_personal_feed_joins_through_the_venue_per_role(client, event, role_users):
    """The feed's CONFERENCE is the venue's join address, which sends each role to its own
    link, never the meeting's general link in place of it."""
    meeting = _starting_in(event.meetings.get(slug="pl-1"), 5)
    meeting.platform, meeting.join_url = "zoom", "https://zoom.example/j/general"
    meeting.save()
    MeetingJoinLink.objects.create(
        meeting=meeting, audience="interpreters", url="https://zoom.example/j/interpreters"
    )
    interpreter = role_users["interpreter"]
    token = planning_calendar.feed_token(interpreter).token
    body = client.get(reverse("planning:user_calendar", kwargs={"token": token})).content
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    pl1 = next(e for e in events if str(e["summary"]).startswith("PL 1"))
    join = f"http://localhost:8000/events/{event.slug}/meetings/pl-1/join/"
    assert str(pl1["CONFERENCE"]) == join
    assert f"Join: {join}" in str(pl1["DESCRIPTION"])
    assert b"zoom.example/j/general" not in body
    client.force_login(interpreter)
    assert client.get(join)["Location"] == "https://zoom.example/j/interpreters"
    # Anonymous feeds of the public event keep planning's default (the meeting's own link).
    client.logout()
    public = client.get(reverse("planning:event_calendar", kwargs={"event": event.slug})).content
    assert b"/meetings/pl-1/join/" not in public


def test_personal_feed_carries_side_meetings_and_parses(client, event, role_users, room, robot):
    councillor = role_users["councillor"]
    meeting = side_meetings.book(
        organiser=councillor,
        room=room,
        title="Budget",
        starts_at=at(event, 0, 10),
        ends_at=at(event, 0, 11),
        invitee_ids=[role_users["observer"].pk],
    )
    token = planning_calendar.feed_token(councillor).token
    body = client.get(reverse("planning:user_calendar", kwargs={"token": token})).content
    parsed = icalendar.Calendar.from_ical(body)
    events = {str(c["uid"]): c for c in parsed.walk("VEVENT")}
    side = next(c for uid, c in events.items() if uid.startswith(f"side-meeting-{meeting.pk}@"))
    assert str(side["summary"]) == "Budget"
    assert side.decoded("dtstart") == at(event, 0, 10)
    assert str(side["class"]) == "PRIVATE"
    assert any(uid.startswith("meeting-") for uid in events)
    assert parsed.walk("VTIMEZONE")
    # Another delegate's feed does not carry it.
    token = planning_calendar.feed_token(role_users["adviser"]).token
    other = client.get(reverse("planning:user_calendar", kwargs={"token": token})).content
    assert b"Budget" not in other


def test_side_meeting_invitation_parses_with_attendees(event, role_users, room):
    meeting = side_meetings.book(
        organiser=role_users["councillor"],
        room=room,
        title="Budget",
        starts_at=at(event, 0, 10),
        ends_at=at(event, 0, 10, 30),
        invitee_ids=[role_users["observer"].pk],
    )
    parsed = icalendar.Calendar.from_ical(calendar.invitation_ics(meeting))
    assert str(parsed["method"]) == "REQUEST"
    vevent = parsed.walk("VEVENT")[0]
    attendees = {str(a): a.params["PARTSTAT"] for a in vevent.get("attendee")}
    assert attendees == {
        "mailto:councillor@example.org": "ACCEPTED",
        "mailto:observer@example.org": "NEEDS-ACTION",
    }
    assert str(vevent["organizer"]) == "mailto:councillor@example.org"
    side_meetings.cancel(meeting, by=role_users["councillor"])
    meeting.refresh_from_db()
    parsed = icalendar.Calendar.from_ical(calendar.invitation_ics(meeting))
    assert str(parsed["method"]) == "CANCEL"
    assert parsed.walk("VEVENT")[0]["sequence"] == 1


def test_space_counts_keep_the_peak_and_suppress_small_numbers(event, lounge):
    now = timezone.now()
    for present, region in ((1, "B"), (2, "B"), (3, "D"), (2, "B")):
        analytics.record_arrival(lounge.pk, region, present, at=now)
    row = analytics.space_report(event)[0]
    assert row["arrivals"] == 4 and row["peak"] == 3
    assert ("Region B (Western Europe)", "3") in row["by_region"]
    assert ("Region D (Africa)", "<3") in row["by_region"]
