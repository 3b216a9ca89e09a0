"""Telepresence robots: slots, conflicts, check-in, the queue, the holder's link only."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from tests.venue.conftest import at
from vev.venue.errors import BookingConflict, VenueError
from vev.venue.models import RobotBooking, RobotQueueEntry
from vev.venue.services import robots

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def clock(event):
    """Now is 12:10 on the event's first day (event time zone); tests move it."""
    value = Clock(at(event, 0, 12, 10))
    with mock.patch("django.utils.timezone.now", value):
        yield value


def test_booking_conflicts_are_refused(event, role_users, robot, clock):
    start = at(event, 1, 14)
    robots.book(robot, role_users["councillor"], start)
    with pytest.raises(BookingConflict, match="already booked"):
        robots.book(robot, role_users["observer"], start)
    with pytest.raises(BookingConflict, match="Choose one of the slots"):
        robots.book(robot, role_users["observer"], start + timedelta(minutes=10))
    with pytest.raises(BookingConflict, match="in the past"):
        robots.book(robot, role_users["observer"], at(event, 0, 9))
    with pytest.raises(BookingConflict, match="can be booked from"):
        robots.book(robot, role_users["observer"], at(event, 8, 10))
    robots.book(robot, role_users["councillor"], start + timedelta(hours=1))
    with pytest.raises(BookingConflict, match="at most 2 slots a day"):
        robots.book(robot, role_users["councillor"], start + timedelta(hours=2))


def test_only_the_holder_sees_the_control_link_and_the_queue_is_served(
    event, role_users, robot, clock
):
    holder, waiting = role_users["councillor"], role_users["observer"]
    booking = robots.book(robot, holder, at(event, 0, 12))  # the slot running now
    with pytest.raises(VenueError, match="shown only to the delegate holding"):
        robots.control_link(robot, holder)  # booked, not checked in yet
    robots.check_in(booking, holder)
    assert robots.control_link(robot, holder) == "https://robots.example/drive/1"
    with pytest.raises(VenueError):
        robots.control_link(robot, waiting)
    robots.join_queue(robot, waiting)
    assert robots.queue_position(robot, waiting) == 1
    with pytest.raises(VenueError, match="You hold this robot"):
        robots.join_queue(robot, holder)
    clock.moment += timedelta(minutes=5)
    robots.hand_over(booking, holder)
    served = RobotBooking.objects.get(user=waiting)
    assert served.from_queue and served.status == RobotBooking.Status.BOOKED
    assert served.starts_at == clock.moment and served.ends_at == clock.moment + timedelta(
        minutes=30
    )
    assert RobotQueueEntry.objects.get(user=waiting).status == RobotQueueEntry.Status.SERVED
    assert waiting.notifications.filter(kind="venue.robot.your_turn").exists()
    with pytest.raises(VenueError):
        robots.control_link(robot, holder)
    robots.check_in(served, waiting)
    assert robots.control_link(robot, waiting)


def test_the_queue_turn_stops_at_the_next_booking(event, role_users, robot, clock):
    holder = robots.book(robot, role_users["councillor"], at(event, 0, 12))
    robots.check_in(holder, role_users["councillor"])
    robots.book(robot, role_users["chair"], at(event, 0, 12, 30))
    robots.join_queue(robot, role_users["observer"])
    robots.hand_over(holder, role_users["councillor"])
    turn = RobotBooking.objects.get(user=role_users["observer"])
    assert turn.ends_at == at(event, 0, 12, 30)


def test_a_missed_check_in_frees_the_robot_for_the_queue(event, role_users, robot, clock):
    booking = robots.book(robot, role_users["councillor"], at(event, 0, 13))
    with pytest.raises(VenueError, match="Check-in opens"):
        robots.check_in(booking, role_users["councillor"])
    clock.moment = at(event, 0, 13, 2)
    robots.join_queue(robot, role_users["observer"])
    clock.moment = at(event, 0, 13, 11)
    robots.sweep(robot)
    booking.refresh_from_db()
    assert booking.status == RobotBooking.Status.MISSED
    assert RobotBooking.objects.get(user=role_users["observer"]).from_queue
    with pytest.raises(VenueError, match="no longer active"):
        robots.check_in(booking, role_users["councillor"])


def test_booking_acts_answer_in_the_users_language(client, event, role_users, robot):
    """The messages of cancel, check-in and hand-over are translated when the request is
    served, not frozen in the language active when the module was imported."""
    from django.urls import reverse

    councillor = role_users["councillor"]
    booking = robots.book(robot, councillor, at(event, 1, 14))
    client.force_login(councillor)
    url = reverse(
        "venue:robot_booking_act",
        kwargs={"event": event.slug, "pk": robot.pk, "booking": booking.pk, "action": "cancel"},
    )
    page = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Réservation annulée." in page
    assert "Booking cancelled." not in page
