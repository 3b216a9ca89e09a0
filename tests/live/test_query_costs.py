"""What the room's hot paths cost in queries (docs/performance.md, "Live room latency").

A meeting admits up to 2,300 sockets; each admission (``presence.admit``) and its snapshot
(``sync_frames``) run on the server's one database thread, so their cost decides how fast a
room fills: the same number of queries in a full room as in an empty one. Every act records its
events inside its transaction, between the event's time and its delivery.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests import factories
from vev.council.models import Registration
from vev.live.context import RoomContext
from vev.live.queries import council_member_ids, listed_participants, participant_info, seat_holders
from vev.live.services import presence
from vev.live.snapshot import sync_frames
from vev.live.streams import lock_room, record_room_event

pytestmark = pytest.mark.django_db


def _delegates(event, count: int, start: int = 0):
    people = []
    for index in range(start, start + count):
        entity = factories.member_entity(event, index % 3)
        user = factories.create_user(f"d{index}@example.org", full_name=f"Delegate {index}")
        factories.register(user, event, entity, Registration.Role.COUNCILLOR)
        people.append(user)
    return people


def _admission_queries(user, meeting) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as admitting:
        admission = presence.admit(user, meeting, channel_name=f"test.{user.pk}")
    ctx = RoomContext(
        user=user,
        meeting=meeting,
        event=meeting.event,
        access=admission.access,
        participant_id=admission.participant_id,
        connection_id=admission.connection_id,
    )
    with CaptureQueriesContext(connection) as snapshot:
        frames, _positions = sync_frames(ctx, None)
    assert frames[0]["type"] == "room.snapshot"
    return len(admitting), len(snapshot)


def test_an_admission_costs_as_many_queries_in_a_full_room_as_in_an_empty_one(live):
    event, meeting, users = live
    event.active_capacity = 10  # some get a seat, the others follow the webcast
    event.active_per_member_state = 2
    event.save()
    first, later = _delegates(event, 2), _delegates(event, 2, start=2)
    crowd = _delegates(event, 30, start=4)
    _admission_queries(users["chair"], meeting)  # the room's first (it creates the room)
    few = [_admission_queries(user, meeting) for user in first]
    for user in crowd:
        presence.admit(user, meeting, channel_name=f"test.{user.pk}")
    many = [_admission_queries(user, meeting) for user in later]
    assert few == many, (few, many)
    admit_queries = many[0][0]
    # Roles, representation, and one transaction: the room, the participant, one count of the
    # room's occupancy, the participant and its connection.
    assert admit_queries <= 17, admit_queries


def test_the_listing_of_a_snapshot_is_what_participant_info_gives(live):
    event, meeting, users = live
    for user in [users["chair"], users["secretariat"], *_delegates(event, 5)]:
        presence.admit(user, meeting, channel_name=f"test.{user.pk}")
    for language in ("en", "fr", "ar"):
        with translation.override(language):
            members = council_member_ids(meeting)
            rows = seat_holders(meeting.pk).select_related("entity")
            expected = [
                participant_info(p, members) for p in rows.order_by("kind", "entity__name", "name")
            ]
            assert listed_participants(meeting) == expected
            assert len(expected) == 7
            assert any(info.entity is not None for info in expected)


def test_recording_a_room_event_takes_its_number_and_stores_it_in_two_queries(live):
    from django.db import transaction

    from vev.live.events import PresenceCounts, PresenceUpdated
    from vev.live.models import RoomEvent

    event, meeting, users = live
    empty = PresenceUpdated(
        participants=[], counts=PresenceCounts(active=0, passive=0, passive_by_entity={})
    )
    with transaction.atomic():  # the room's first event creates its row
        first = record_room_event(meeting.pk, empty)
    seqs = [first]
    for _ in range(3):
        with transaction.atomic():
            lock_room(meeting.pk)  # as every act does first
            with CaptureQueriesContext(connection) as recording:
                seqs.append(record_room_event(meeting.pk, empty))
        assert len(recording) == 2, [q["sql"] for q in recording]
    assert seqs == list(range(first, first + 4))
    stored = RoomEvent.objects.filter(meeting=meeting, recipient__isnull=True)
    assert sorted(stored.values_list("seq", flat=True)) == seqs
