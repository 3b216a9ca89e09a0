from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from vev.venue.models import Area, Robot, Space, Venue


def create_venue(event):
    venue = Venue.objects.create(event=event, name="Test venue")
    lounge = Space.objects.create(venue=venue, slug="lounge", name="Lounge", kind="lounge")
    Area.objects.create(
        space=lounge,
        kind=Area.Kind.MEETING_ROOM,
        name="Room A",
        x=0,
        y=0,
        w=200,
        h=150,
        capacity=4,
        slot_minutes=30,
        opens_at=time(8),
        closes_at=time(20),
    )
    Area.objects.create(
        space=lounge, kind=Area.Kind.MEETING_ROOM, name="Room B", x=300, y=0, w=200, h=150
    )
    Robot.objects.create(
        event=event,
        name="Robot 1",
        control_url="https://robots.example/drive/1",
        opens_at=time(0),
        closes_at=time(23, 30),
    )
    return venue


@pytest.fixture
def venue(event):
    return create_venue(event)


@pytest.fixture
def lounge(venue):
    return venue.spaces.get(slug="lounge")


@pytest.fixture
def room(lounge):
    return lounge.areas.get(name="Room A")


@pytest.fixture
def robot(venue):
    return venue.event.robots.get()


def at(event, day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A time on the ``day_offset``-th day of the event, wall clock in the event's zone."""
    day = event.first_day + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), tzinfo=event.tz)


def happening_now(event) -> None:
    """Put the event on today, in a time zone where it is about noon: the meeting rooms (open
    08:00-20:00) are open now, whatever the hour the tests run at."""
    utc = datetime.now(UTC)
    offset = (12 - utc.hour + 12) % 24 - 12  # -12 … +11 hours
    event.time_zone = f"Etc/GMT{'-' if offset >= 0 else '+'}{abs(offset)}"  # POSIX sign
    today = utc.astimezone(event.tz).date()
    event.first_day, event.last_day = today, today + timedelta(days=1)
    event.save()
