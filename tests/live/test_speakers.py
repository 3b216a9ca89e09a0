"""The list of speakers and the digital nameplate (services, without sockets)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.live.services import enter, room_events
from vev.core.models import AuditEntry
from vev.council.models import Registration
from vev.live.errors import LiveError
from vev.live.models import RoomState, SpeakerRequest
from vev.live.services import speakers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(live):
    event, meeting, users = live
    kenya = factories.member_entity(event, 1)
    users["ke"] = factories.create_user("ke@example.org", full_name="Councillor KE")
    factories.register(users["ke"], event, kenya, Registration.Role.COUNCILLOR)
    for key in ("chair", "moderator", "observer", "ke", "councillor"):
        enter(users[key], meeting)
    for user in users["fr"][:2]:
        enter(user, meeting)
    return event, meeting, users


def queue_names(meeting):
    state = speakers.speakers_state(meeting.pk)
    return [e.name for e in state.nameplates], [e.name for e in state.queue]


def test_members_before_observers_then_in_the_order_asked(room):
    _, meeting, users = room
    speakers.raise_hand(meeting, users["observer"])
    speakers.raise_hand(meeting, users["ke"])
    speakers.raise_hand(meeting, users["fr"][0])
    assert queue_names(meeting)[1] == ["Councillor KE", "Councillor FR0", "observer"]
    speakers.set_rules(meeting, users["chair"], members_first=False)
    assert queue_names(meeting)[1] == ["observer", "Councillor KE", "Councillor FR0"]


def test_a_point_of_order_jumps_the_queue_and_motions_follow_their_precedence(room):
    _, meeting, users = room
    speakers.raise_hand(meeting, users["ke"])
    speakers.raise_nameplate(
        meeting, users["fr"][0], kind="motion", motion="closure", note="close the debate"
    )
    speakers.raise_nameplate(meeting, users["fr"][1], kind="motion", motion="suspension")
    speakers.raise_nameplate(meeting, users["councillor"], kind="point_of_order", note="quorum")
    nameplates, queue = queue_names(meeting)
    assert nameplates == ["councillor", "Councillor FR1", "Councillor FR0"]
    assert queue == ["Councillor KE"]
    [event] = room_events(meeting, "speakers.nameplate_raised")[-1:]
    assert event["speakers"]["nameplates"][0]["kind"] == "point_of_order"


def test_observers_and_passive_participants_cannot_raise_the_nameplate(room):
    _, meeting, users = room
    with pytest.raises(LiveError) as error:
        speakers.raise_nameplate(meeting, users["observer"], kind="point_of_order")
    assert error.value.code == "denied"
    fourth = enter(users["fr"][2], meeting)  # France's seats: councillor, FR0, FR1
    assert fourth.mode == "passive"
    with pytest.raises(LiveError) as error:
        speakers.raise_hand(meeting, users["fr"][2])
    assert error.value.code == "passive"


def test_the_chair_gives_and_ends_the_floor_with_the_speaking_time(room):
    _, meeting, users = room
    first = speakers.raise_hand(meeting, users["ke"])
    second = speakers.raise_hand(meeting, users["fr"][0])
    speakers.give_floor(meeting, users["chair"], first, time_limit=120)
    state = speakers.speakers_state(meeting.pk)
    assert state.floor.name == "Councillor KE" and state.floor.time_limit_seconds == 120
    assert [e.id for e in state.queue] == [second]
    speakers.give_floor(meeting, users["moderator"], second)  # ends KE's turn
    assert SpeakerRequest.objects.get(pk=first).status == "done"
    assert speakers.speakers_state(meeting.pk).floor.time_limit_seconds == 180
    speakers.end_floor(meeting, users["chair"])
    assert speakers.speakers_state(meeting.pk).floor is None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"vev.live.speakers.floor_given", "vev.live.speakers.floor_ended"} <= actions


def test_only_those_assisting_the_chair_give_the_floor(room):
    _, meeting, users = room
    entry = speakers.raise_hand(meeting, users["ke"])
    for role in ("councillor", "observer"):
        with pytest.raises(LiveError) as error:
            speakers.give_floor(meeting, users[role], entry)
        assert error.value.code == "denied"


def test_a_point_of_order_is_ruled_on(room):
    _, meeting, users = room
    entry = speakers.raise_nameplate(meeting, users["ke"], kind="point_of_order")
    speakers.give_floor(meeting, users["chair"], entry)
    assert speakers.speakers_state(meeting.pk).floor.time_limit_seconds == 0
    speakers.end_floor(meeting, users["chair"], ruling="The point is well taken.")
    assert SpeakerRequest.objects.get(pk=entry).ruling == "The point is well taken."


def test_reorder_respects_members_first_unless_lifted(room):
    _, meeting, users = room
    member = speakers.raise_hand(meeting, users["ke"])
    observer = speakers.raise_hand(meeting, users["observer"])
    with pytest.raises(LiveError):
        speakers.reorder(meeting, users["chair"], [observer, member])
    speakers.set_rules(meeting, users["chair"], members_first=False)
    speakers.reorder(meeting, users["chair"], [observer, member])
    assert queue_names(meeting)[1] == ["observer", "Councillor KE"]
    with pytest.raises(LiveError):
        speakers.reorder(meeting, users["chair"], [observer])  # the list changed meanwhile


def test_one_hand_at_a_time_and_withdrawing_ones_own_only(room):
    _, meeting, users = room
    entry = speakers.raise_hand(meeting, users["ke"])
    with pytest.raises(LiveError):
        speakers.raise_hand(meeting, users["ke"])
    with pytest.raises(LiveError) as error:
        speakers.withdraw(meeting, users["fr"][0], entry)
    assert error.value.code == "denied"
    speakers.withdraw(meeting, users["ke"], entry)
    assert queue_names(meeting)[1] == []


def test_events_are_numbered_in_order_and_carry_the_whole_list(room):
    _, meeting, users = room
    speakers.raise_hand(meeting, users["ke"])
    speakers.raise_hand(meeting, users["fr"][0])
    events = room_events(meeting)
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(1, len(seqs) + 1))
    assert RoomState.objects.get(pk=meeting.pk).seq == seqs[-1]
    assert [e["name"] for e in events[-1]["speakers"]["queue"]] == [
        "Councillor KE",
        "Councillor FR0",
    ]


def test_nothing_before_the_meeting_is_opened(room):
    _, meeting, users = room
    meeting.status = "scheduled"
    meeting.save()
    with pytest.raises(LiveError) as error:
        speakers.raise_hand(meeting, users["ke"])
    assert error.value.code == "not_open"
