"""Participation counts per meeting: each person once, attendance and peak from the room's
connection log, by region with small numbers masked; nothing that names anybody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from vev.live.models import Connection, Participant
from vev.venue.models import MeetingJoinMark, MeetingJoinTally
from vev.venue.services import analytics

pytestmark = pytest.mark.django_db


def _open_now(meeting):
    start = timezone.now() + timedelta(minutes=5)
    meeting.starts_at, meeting.ends_at = start, start + timedelta(hours=1)
    meeting.save()
    return meeting


def test_each_person_counts_once_per_meeting(client, event, role_users):
    meeting = _open_now(event.meetings.get(slug="pl-1"))
    url = reverse("venue:join", kwargs={"event": event.slug, "meeting": "pl-1"})
    for role in ("councillor", "councillor", "adviser", "councillor"):
        client.force_login(role_users[role])
        assert client.get(url).status_code == 302
    assert MeetingJoinTally.objects.get(meeting=meeting, region="B").joins == 2
    row = analytics.meeting_report(event)[0]
    assert row["joins"] == 2 and ("Region B (Western Europe)", "<3") in row["by_region"]
    # The marks that make “once” possible do not name anybody.
    marks = list(MeetingJoinMark.objects.filter(meeting=meeting))
    assert len(marks) == 2
    ids = {str(role_users[r].pk) for r in ("councillor", "adviser")}
    assert not [m for m in marks if m.key in ids or len(m.key) < 32]
    assert not [f for f in MeetingJoinMark._meta.fields if f.name in ("user", "user_id")]


def test_join_marks_are_forgotten_once_the_meeting_is_over(client, event, role_users):
    meeting = _open_now(event.meetings.get(slug="pl-1"))
    client.force_login(role_users["councillor"])
    client.get(reverse("venue:join", kwargs={"event": event.slug, "meeting": "pl-1"}))
    assert analytics.forget_join_marks() == 0  # still to come: kept
    meeting.status = "live"
    meeting.save()
    assert analytics.forget_join_marks(now=meeting.ends_at + timedelta(days=1)) == 0  # running
    meeting.status = "ended"
    meeting.save()
    assert analytics.forget_join_marks() == 1
    assert not MeetingJoinMark.objects.exists()
    assert MeetingJoinTally.objects.get(meeting=meeting).joins == 1  # the count stays


def _connection(participant, opened, closed=None, seen=None):
    row = Connection.objects.create(
        participant=participant,
        channel_name=f"c{Connection.objects.count()}",
        process="p",
        last_seen_at=seen or closed or opened,
        closed_at=closed,
    )
    Connection.objects.filter(pk=row.pk).update(opened_at=opened)


def test_attendance_and_peak_come_from_the_rooms_connections(
    client, event, role_users, django_assert_max_num_queries
):
    meeting = event.meetings.get(slug="pl-1")
    start = meeting.starts_at
    kenya = factories.member_entity(event, 1)
    kenya.itu_region = "D"
    kenya.save()

    def participant(role, entity):
        user = role_users[role]
        return Participant.objects.create(
            meeting=meeting, user=user, entity=entity, name=user.display_name, kind="member"
        )

    france = factories.member_entity(event, 0)
    councillor = participant("councillor", france)
    adviser = participant("adviser", france)
    head = participant("focal_point", kenya)
    participant("head_of_delegation", france)  # admitted, never connected: not counted
    minutes = lambda n: start + timedelta(minutes=n)  # noqa: E731
    # The councillor has two windows open at once: one person in the room.
    _connection(councillor, minutes(0), minutes(30))
    _connection(councillor, minutes(10), minutes(20))
    _connection(adviser, minutes(15), minutes(45))
    # Kenya's delegate comes later; a connection left open counts until last seen.
    _connection(head, minutes(60), None, seen=minutes(70))
    _connection(councillor, minutes(65), minutes(75))
    room = analytics.room_attendance(meeting, now=minutes(200))
    assert room == {"attended": 3, "peak": 2, "by_region": {"B": 2, "D": 1}}

    with django_assert_max_num_queries(3):  # the tallies, the meetings, every room's log
        row = analytics.meeting_report(event)[0]
    assert row["room"]["attended"] == 3 and row["room"]["peak"] == 2
    assert ("Region B (Western Europe)", "<3") in row["room"]["by_region"]
    assert ("Region D (Africa)", "<3") in row["room"]["by_region"]
    client.force_login(role_users["secretariat"])
    page = client.get(reverse("venue:analytics", kwargs={"event": event.slug})).content.decode()
    assert "Meetings in vev's room" in page and 'id="meeting-rooms"' in page
    assert role_users["councillor"].display_name not in page
    csv = client.get(reverse("venue:analytics_csv", kwargs={"event": event.slug})).content
    assert b"Meeting: in vev's room,PL 1,3,2" in csv
