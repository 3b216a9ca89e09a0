"""Who may do what with a meeting's media; refusals that need no media server."""

from __future__ import annotations

import pytest

from tests import factories
from vev.council.models import Meeting
from vev.media.errors import MediaConflict, MediaDenied
from vev.media.services import moderation, recording
from vev.media.services.access import media_access
from vev.media.services.types import COMMANDS, FloorPolicy, Offer


def test_floor_policy():
    policy = FloorPolicy(speakers=frozenset({1, 2}), presiding=frozenset({9}), muted=frozenset({2}))
    assert policy.may_be_heard(1)
    assert not policy.may_be_heard(2)  # moderator-muted
    assert not policy.may_be_heard(3)  # no floor
    assert policy.may_be_heard(9)
    room_muted = FloorPolicy(speakers=frozenset({1}), presiding=frozenset({9}), room_muted=True)
    assert not room_muted.may_be_heard(1) and room_muted.may_be_heard(9)
    locked = FloorPolicy(locked=True, present=frozenset({1}), presiding=frozenset({9}))
    assert locked.may_join(1) and locked.may_join(9) and not locked.may_join(2)


def test_requests_are_typed_and_forbid_unknown_fields():
    assert COMMANDS["media.offer"] is Offer
    with pytest.raises(ValueError):
        Offer(handle="floor", sdp="v=0", secret="x")
    with pytest.raises(ValueError):
        Offer(handle="stream", sdp="v=0")  # Janus offers the stream; the browser answers


def test_access_by_role(event, role_users):
    meeting = Meeting.objects.get(event=event, code="PL 1")
    closed = Meeting.objects.get(event=event, code="Closed 1")
    councillor = media_access(role_users["councillor"], meeting)
    assert councillor.may_attend and councillor.may_watch and councillor.booth_language is None
    assert not councillor.may_moderate and not councillor.may_record
    interpreter = media_access(role_users["interpreter"], meeting)
    assert interpreter.booth_language == "fr"
    assert media_access(role_users["chair"], meeting).may_moderate
    assert media_access(role_users["secretariat"], meeting).may_record
    anonymous = media_access(None, meeting)
    assert anonymous.may_watch and not anonymous.may_attend  # public webcast
    assert not media_access(role_users["observer"], closed).may_attend
    assert not media_access(role_users["authenticated"], closed).may_watch


@pytest.mark.parametrize("role", ["councillor", "observer", "interpreter", "captioner"])
def test_moderation_is_refused_to_the_wrong_role(event, role_users, role):
    meeting = Meeting.objects.get(event=event, code="PL 1")
    with pytest.raises(MediaDenied):
        moderation.mute_all(meeting, by=role_users[role])
    with pytest.raises(MediaDenied):
        moderation.mute_participant(meeting, 1, by=role_users[role])


@pytest.mark.parametrize("role", ["chair", "moderator", "councillor", "interpreter"])
def test_only_the_secretariat_records(event, role_users, role):
    meeting = Meeting.objects.get(event=event, code="PL 1")
    with pytest.raises(MediaDenied):
        recording.start_recording(meeting, by=role_users[role])


def test_closed_meetings_are_never_recorded(event, role_users):
    closed = Meeting.objects.get(event=event, code="Closed 1")
    with pytest.raises(MediaConflict, match="never recorded"):
        recording.start_recording(closed, by=role_users["secretariat"])
    assert not closed.recordings.exists()


def test_factories_interpreter_has_a_booth(event):
    user = factories.create_user("booth@example.org")
    factories.assign(user, event, "interpreter", ["zh"])
    assert media_access(user, Meeting.objects.get(event=event, code="PL 1")).booth_language == "zh"


def _run(coroutine):
    """Run a coroutine on its own loop in a thread (Playwright may hold this thread's loop)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_media_session_is_refused_to_who_may_not_follow_the_meeting(tmp_path):
    from vev.media import conf
    from vev.media.errors import MediaUnavailable
    from vev.media.services.signalling import open_media_session

    event = factories.create_event()
    outsider = factories.create_user("outsider@example.org", mfa=False)
    councillor = factories.create_user("c@example.org")
    factories.register(councillor, event, factories.member_entity(event, 0))
    closed = Meeting.objects.select_related("event").get(event=event, code="Closed 1")
    public = Meeting.objects.select_related("event").get(event=event, code="PL 1")
    with pytest.raises(MediaDenied):
        _run(open_media_session(closed, outsider))
    # Allowed, but no Janus runs for this data directory: a clear "unavailable".
    conf.use(conf.janus_settings(DIR=str(tmp_path)))
    try:
        with pytest.raises(MediaUnavailable, match="does not answer"):
            _run(open_media_session(public, councillor))
    finally:
        conf.use(None)
