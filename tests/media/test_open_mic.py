"""Microphones the chair opens (``floor.open_mic`` / ``floor.close_mic``) over the room socket:
who may, what everyone sees, the floor policy, and what closes them again.

Media is switched off here (the room's state and events, not Janus: test_room_acts_on_janus.py
hears the effect on a real Janus).
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.live.conftest import connect, hubs  # noqa: F401  (fixture)
from vev.core.models import AuditEntry
from vev.live.commands import media as media_commands
from vev.live.services import floor
from vev.media import conf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


@pytest.fixture(autouse=True)
def media_off(tmp_path):
    previous = conf._current
    conf.use(conf.janus_settings(DIR=str(tmp_path), MODE="off"))
    media_commands.forget_status()
    yield
    conf.use(previous)
    media_commands.forget_status()


@database_sync_to_async
def _policy(meeting):
    return floor.floor_policy(meeting.pk)


def _me(client) -> dict:
    return client.frames[0]["me"]


async def _act(client, command: str, payload: dict, event: str, where=lambda frame: True):
    """Send ``command`` and return the room event it caused (which may come before the
    reply)."""
    mark = len(client.frames)
    reply = await client.command(command, payload)
    assert reply["ok"], reply

    def wanted(frame) -> bool:
        return frame.get("type") == event and where(frame)

    for frame in client.frames[mark:]:
        if wanted(frame):
            return frame
    return await client.receive_until(wanted)


async def test_the_chair_opens_a_microphone_and_everyone_sees_it(live):
    _, meeting, users = live
    chair = await connect(users["chair"], meeting)
    delegate = await connect(users["councillor"], meeting)
    observer = await connect(users["observer"], meeting)
    assert delegate.frames[0]["media"]["open_mics"] == []
    target = _me(delegate)["id"]

    # A delegate may not open microphones (the socket checks meeting.moderate).
    reply = await observer.command("floor.open_mic", {"participant_id": target})
    assert reply["error"]["code"] == "denied"
    assert not (await _policy(meeting)).may_be_heard(users["councillor"].pk)

    await _act(chair, "floor.open_mic", {"participant_id": target}, "floor.mic_opened")
    opened = await observer.receive_type("floor.mic_opened")
    holder = {
        "participant_id": target,
        "user_id": users["councillor"].pk,
        "name": opened["open"][0]["name"],
    }
    assert opened["participant"] == holder and opened["open"] == [holder]
    assert opened["stream"] == "room" and opened["by"].startswith(_me(chair)["name"])
    assert (await delegate.receive_type("floor.mic_opened"))["participant"] == holder
    policy = await _policy(meeting)
    assert policy.may_be_heard(users["councillor"].pk)
    assert not policy.may_be_heard(users["observer"].pk)  # only theirs
    # Opening it twice changes nothing; a later snapshot lists it.
    assert (await chair.command("floor.open_mic", {"participant_id": target}))["ok"]
    late = await connect(users["head_of_delegation"], meeting)
    assert late.frames[0]["media"]["open_mics"] == [holder]
    actions = await database_sync_to_async(
        lambda: list(
            AuditEntry.objects.filter(action__startswith="vev.live.floor.").values_list(
                "action", flat=True
            )
        )
    )()
    assert actions == ["vev.live.floor.mic_opened"]

    await _act(chair, "floor.close_mic", {"participant_id": target}, "floor.mic_closed")
    closed = await observer.receive_type("floor.mic_closed")
    assert closed["participant"] == holder and closed["open"] == []
    assert not (await _policy(meeting)).may_be_heard(users["councillor"].pk)
    reply = await chair.command("floor.close_mic", {"participant_id": target})
    assert reply["error"]["message"].endswith("microphone is not open.")
    for client in (chair, delegate, observer, late):
        await client.close()


async def test_opening_a_microphone_is_refused_where_it_would_mean_nothing(live):
    _, meeting, users = live
    chair = await connect(users["chair"], meeting)
    delegates = [await connect(user, meeting) for user in users["fr"]]
    passive = delegates[3]
    assert _me(passive)["mode"] == "passive"

    reply = await chair.command("floor.open_mic", {"participant_id": _me(chair)["id"]})
    assert reply["error"]["message"] == "The presiding officers are always heard."
    reply = await chair.command("floor.open_mic", {"participant_id": _me(passive)["id"]})
    assert "follows the webcast" in reply["error"]["message"]
    reply = await chair.command("floor.open_mic", {"participant_id": 999_999})
    assert reply["error"]["message"] == "This participant is not in the room."
    await chair.command("moderation.mute_all")
    reply = await chair.command("floor.open_mic", {"participant_id": _me(delegates[0])["id"]})
    assert "mute all" in reply["error"]["message"]
    for client in (chair, *delegates):
        await client.close()


async def test_mute_one_mute_all_removal_and_leaving_close_the_microphone(live):
    _, meeting, users = live
    chair = await connect(users["chair"], meeting)
    delegate = await connect(users["councillor"], meeting)
    others = [await connect(user, meeting) for user in users["fr"][:2]]
    target = _me(delegate)["id"]

    async def open_(participant_id):
        await _act(chair, "floor.open_mic", {"participant_id": participant_id}, "floor.mic_opened")

    async def closed_by(command, payload):
        event = await _act(chair, command, payload, "floor.mic_closed")
        assert event["open"] == []
        assert (await _policy(meeting)).speakers == frozenset()
        return event

    # Muting them closes it; opening it again lifts their mute (everyone sees both).
    await open_(target)
    event = await closed_by("moderation.mute", {"participant_id": target})
    assert event["participant"]["participant_id"] == target
    # (presence is batched: the update of the mute itself may still be on its way, so wait for
    # the one that shows them unmuted; none would come if opening left the mute in place)
    unmuted = await _act(
        chair,
        "floor.open_mic",
        {"participant_id": target},
        "presence.updated",
        lambda frame: any(p["id"] == target and not p["muted"] for p in frame["participants"]),
    )
    assert [p["muted"] for p in unmuted["participants"] if p["id"] == target] == [False]

    # "Mute all" closes every open microphone at once.
    await open_(_me(others[0])["id"])
    event = await closed_by("moderation.mute_all", {})
    assert event["participant"] is None
    await chair.command("moderation.unmute_all")

    # Removed from the meeting.
    await open_(_me(others[0])["id"])
    await closed_by("moderation.remove", {"participant_id": _me(others[0])["id"], "reason": "Test"})

    # Leaving on purpose.
    await open_(_me(others[1])["id"])
    assert (await others[1].command("room.leave"))["ok"]
    await others[1].close()
    event = await chair.receive_type("floor.mic_closed")
    assert event["participant"]["participant_id"] == _me(others[1])["id"] and event["open"] == []
    for client in (chair, delegate, others[0]):
        await client.close()


async def test_handing_or_losing_the_seat_closes_the_microphone(live):
    """On the webcast nobody could close it, and with a seat back it would be open unseen."""
    from datetime import timedelta

    from django.utils import timezone

    from vev.live.models import Participant

    _, meeting, users = live
    chair = await connect(users["chair"], meeting)
    holders = [await connect(user, meeting) for user in users["fr"][:3]]
    waiting = await connect(users["fr"][3], meeting)  # a fourth of France: the webcast
    assert _me(waiting)["mode"] == "passive"
    giver, receiver = _me(holders[0])["id"], _me(waiting)["id"]

    # Handing the seat on.
    await _act(chair, "floor.open_mic", {"participant_id": giver}, "floor.mic_opened")
    event = await _act(
        holders[0],
        "presence.hand_seat",
        {"giver": giver, "receiver": receiver},
        "floor.mic_closed",
    )
    assert event["participant"]["participant_id"] == giver and event["open"] == []
    assert (await _policy(meeting)).speakers == frozenset()

    # Losing it: away beyond the grace time while another took the seat, then back.
    lost = _me(holders[1])["id"]
    await _act(chair, "floor.open_mic", {"participant_id": lost}, "floor.mic_opened")
    await holders[1].close()
    await database_sync_to_async(
        lambda: Participant.objects.filter(pk=lost).update(
            last_left_at=timezone.now() - timedelta(minutes=10)
        )
    )()
    newcomer = await connect(users["councillor"], meeting)  # France: takes the free seat
    assert _me(newcomer)["mode"] == "active"
    back = await connect(users["fr"][1], meeting)
    assert _me(back)["mode"] == "passive"
    closed = await chair.receive_type("floor.mic_closed")
    assert closed["participant"]["participant_id"] == lost and closed["open"] == []
    assert (await _policy(meeting)).speakers == frozenset()
    for client in (chair, holders[0], holders[2], waiting, newcomer, back):
        await client.close()
