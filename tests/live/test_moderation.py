"""Moderation acts: the state is in the room, refused to the wrong role, audited, announced."""

from __future__ import annotations

import pytest

from tests.live.services import enter, own_events, room_events
from vev.core.models import AuditEntry
from vev.live.errors import LiveError
from vev.live.models import Connection, Participant, RoomState
from vev.live.services import moderation, presence, speakers
from vev.live.services.floor import floor_policy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(live):
    event, meeting, users = live
    for key in ("chair", "moderator", "secretariat", "technician", "observer", "councillor"):
        enter(users[key], meeting)
    return event, meeting, users


def test_mute_all_then_unmute_all(room):
    _, meeting, users = room
    delegate = Participant.objects.get(meeting=meeting, user=users["councillor"])
    entry = speakers.raise_hand(meeting, users["councillor"])
    speakers.give_floor(meeting, users["chair"], entry)
    assert floor_policy(meeting.pk).may_be_heard(users["councillor"].pk)

    moderation.mute_all(meeting, users["moderator"])
    policy = floor_policy(meeting.pk)
    assert RoomState.objects.get(pk=meeting.pk).muted_all
    assert not policy.may_be_heard(users["councillor"].pk)
    assert policy.may_be_heard(users["chair"].pk)  # the presiding officers stay heard
    moderation.mute(meeting, users["chair"], delegate.pk)
    moderation.unmute_all(meeting, users["chair"])
    assert floor_policy(meeting.pk).may_be_heard(users["councillor"].pk)
    delegate.refresh_from_db()
    assert not delegate.muted  # unmute all lifts individual mutes too
    types = [e["type"] for e in room_events(meeting, "moderation.")]
    assert types == [
        "moderation.muted_all",
        "moderation.participant_muted",
        "moderation.unmuted_all",
    ]


def test_mute_one_is_told_to_them_and_enforced_in_the_policy(room):
    _, meeting, users = room
    delegate = Participant.objects.get(meeting=meeting, user=users["councillor"])
    entry = speakers.raise_hand(meeting, users["councillor"])
    speakers.give_floor(meeting, users["chair"], entry)
    moderation.mute(meeting, users["chair"], delegate.pk)
    assert not floor_policy(meeting.pk).may_be_heard(users["councillor"].pk)
    assert own_events(meeting, users["councillor"])[-1]["muted"] is True
    moderation.unmute(meeting, users["chair"], delegate.pk)
    assert floor_policy(meeting.pk).may_be_heard(users["councillor"].pk)


def test_wrong_roles_are_refused(room):
    _, meeting, users = room
    delegate = Participant.objects.get(meeting=meeting, user=users["councillor"])
    for role in ("councillor", "observer", "technician"):
        for act in (moderation.mute_all, moderation.lock):
            with pytest.raises(LiveError) as error:
                act(meeting, users[role])
            assert error.value.code == "denied"
        with pytest.raises(LiveError):
            moderation.remove(meeting, users[role], delegate.pk, reason="x")


def test_remove_closes_their_connection_and_keeps_them_out_until_readmitted(room):
    _, meeting, users = room
    delegate = Participant.objects.get(meeting=meeting, user=users["councillor"])
    speakers.raise_hand(meeting, users["councillor"])
    with pytest.raises(LiveError):
        moderation.remove(meeting, users["chair"], delegate.pk, reason="  ")
    moderation.remove(meeting, users["chair"], delegate.pk, reason="Disrupting the meeting")
    delegate.refresh_from_db()
    assert delegate.status == "removed"
    assert Connection.objects.get(participant=delegate).close_reason == "removed"
    assert speakers.speakers_state(meeting.pk).queue == []
    with pytest.raises(LiveError) as error:
        presence.admit(users["councillor"], meeting, channel_name="again")
    assert error.value.code == "removed" and "Disrupting" in str(error.value)
    entry = AuditEntry.objects.get(action="vev.live.moderation.participant_removed")
    assert entry.data["reason"] == "Disrupting the meeting"
    moderation.readmit(meeting, users["chair"], delegate.pk)
    presence.admit(users["councillor"], meeting, channel_name="again")


def test_a_locked_room_admits_only_those_already_in_and_staff(room):
    _, meeting, users = room
    moderation.lock(meeting, users["chair"])
    with pytest.raises(LiveError) as error:
        presence.admit(users["fr"][0], meeting, channel_name="new")
    assert error.value.code == "locked"
    presence.admit(users["councillor"], meeting, channel_name="second tab")  # already in
    presence.admit(users["interpreter"], meeting, channel_name="staff")
    assert floor_policy(meeting.pk).locked
    moderation.unlock(meeting, users["chair"])
    presence.admit(users["fr"][0], meeting, channel_name="new")


def test_the_presiding_officers_cannot_be_muted_or_removed(room):
    _, meeting, users = room
    chair = Participant.objects.get(meeting=meeting, user=users["chair"])
    with pytest.raises(LiveError):
        moderation.mute(meeting, users["moderator"], chair.pk)
    with pytest.raises(LiveError):
        moderation.remove(meeting, users["moderator"], chair.pk, reason="x")


def test_connections_of_a_dead_process_are_closed_by_the_sweeper(room):
    from datetime import timedelta

    from django.utils import timezone

    from vev.live.tasks import sweep_rooms

    _, meeting, users = room
    stale = timezone.now() - timedelta(seconds=presence.STALE_SECONDS + 5)
    Connection.objects.filter(participant__user=users["councillor"]).update(
        process="dead-host:1:x", last_seen_at=stale
    )
    sweep_rooms.call_local()
    delegate = Participant.objects.get(meeting=meeting, user=users["councillor"])
    assert delegate.status == "away"
    assert Connection.objects.get(participant=delegate).close_reason == "server_lost"
    assert room_events(meeting, "presence.updated")[-1]["participants"][0]["status"] == "away"


def test_removed_participants_are_listed_for_the_chair_until_readmitted(room):
    _, meeting, users = room
    delegate = Participant.objects.get(meeting=meeting, user=users["councillor"])
    assert moderation.removed_participants(meeting) == []
    moderation.remove(meeting, users["chair"], delegate.pk, reason="Disrupting the meeting")
    [listed] = moderation.removed_participants(meeting)
    assert listed["id"] == delegate.pk and listed["status"] == "removed"
    assert listed["reason"] == "Disrupting the meeting" and listed["removed_at"]
    assert listed["entity"]["name"] == "France"
    # Readmitting is the chair's (and those assisting): refused to others, who change nothing.
    for role in ("councillor", "observer", "technician"):
        with pytest.raises(LiveError) as error:
            moderation.readmit(meeting, users[role], delegate.pk)
        assert error.value.code == "denied"
    assert len(moderation.removed_participants(meeting)) == 1
    moderation.readmit(meeting, users["moderator"], delegate.pk)
    assert moderation.removed_participants(meeting) == []
    assert room_events(meeting, "moderation.")[-1]["type"] == "moderation.participant_readmitted"
    entry = AuditEntry.objects.filter(action="vev.live.moderation.participant_readmitted").get()
    assert entry.actor_id == users["moderator"].pk
    with pytest.raises(LiveError):  # not removed any more
        moderation.readmit(meeting, users["chair"], delegate.pk)
