"""A closed meeting has no webcast and no recording (Council RoP 8; issue 5)."""

from __future__ import annotations

import pytest

from vev.council.models import ClosedMeetingStaff, Meeting
from vev.media.errors import MediaConflict, MediaDenied
from vev.media.services import recording
from vev.media.services.access import media_access
from vev.media.services.signalling import open_media_session


@pytest.fixture
def closed(event):
    return Meeting.objects.select_related("event").get(event=event, code="Closed 1")


@pytest.mark.parametrize(
    "role", ["anonymous", "authenticated", "adviser", "observer", "technician", "secretariat"]
)
def test_nobody_outside_the_closed_meeting_watches_or_hears_it(closed, role_users, role):
    access = media_access(role_users[role], closed)
    assert not access.may_watch and not access.may_attend


def test_those_admitted_hear_it(closed, role_users):
    for role in ("councillor", "head_of_delegation", "chair"):
        access = media_access(role_users[role], closed)
        assert access.may_watch and access.may_attend, role
    ClosedMeetingStaff.objects.create(
        meeting=closed, user=role_users["technician"], function="Sound engineer"
    )
    assert media_access(role_users["technician"], closed).may_attend


@pytest.mark.django_db(transaction=True)
def test_an_adviser_cannot_open_the_webcast_of_a_closed_meeting():
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from tests import factories

    event = factories.create_event()
    adviser = factories.create_user("adv@example.org")
    factories.register(adviser, event, factories.member_entity(event, 0), "adviser")
    closed = Meeting.objects.select_related("event").get(event=event, code="Closed 1")

    with ThreadPoolExecutor(1) as pool, pytest.raises(MediaDenied):
        pool.submit(asyncio.run, open_media_session(closed, adviser)).result(30)


def test_a_closed_meeting_is_never_recorded(closed, role_users):
    with pytest.raises(MediaConflict, match="never recorded"):
        recording.start_recording(closed, by=role_users["secretariat"])
    assert not closed.recordings.exists()
