"""Two bookings of one slot at the same moment: the room's row lock lets only one through.

PostgreSQL only: SQLite serialises every write transaction anyway (``BEGIN IMMEDIATE``), so
there is no race to lose.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from tests import factories
from tests.venue.conftest import at, create_venue
from vev.venue.errors import BookingConflict
from vev.venue.models import SideMeeting
from vev.venue.services import side_meetings

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_concurrent_bookings_of_one_slot(transactional_db):
    event = factories.create_event()
    users = factories.create_role_users(event)
    room = create_venue(event).spaces.get().areas.get(name="Room A")
    start = at(event, 0, 10)
    barrier = threading.Barrier(4)
    results: list[str] = []

    def attempt(organiser, guest):
        try:
            barrier.wait()
            side_meetings.book(
                organiser=organiser,
                room=room,
                title="Race",
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                invitee_ids=[guest.pk],
            )
            results.append("booked")
        except BookingConflict as error:
            results.append(str(error))
        finally:
            connections.close_all()

    pairs = [
        ("councillor", "observer"),
        ("adviser", "chair"),
        ("secretariat", "moderator"),
        ("interpreter", "captioner"),
    ]
    threads = [threading.Thread(target=attempt, args=(users[a], users[b])) for a, b in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results.count("booked") == 1, results
    assert all("already booked" in r for r in results if r != "booked")
    assert SideMeeting.objects.count() == 1
