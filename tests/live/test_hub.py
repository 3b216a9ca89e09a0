"""The per-process fan-out keeps each room stream in order, once, and fills gaps."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from tests.live.conftest import stop_hubs
from vev.live import hub as hub_module
from vev.live.events import PresenceCounts, PresenceUpdated
from vev.live.hub import RoomHub
from vev.live.streams import MESSAGE_TYPE, encode, record_room_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


@pytest.fixture(autouse=True)
def _in_process_layer(settings):
    """These tests drive hubs by hand (order, gaps, heartbeat, presence batching) and need only
    the in-process layer. On Redis, a hub stopped a moment after its first receive left the
    test loop's teardown waiting on a cancelled read; Redis itself is covered by the consumer
    tests and by two real servers in test_multiprocess.py."""
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "vev.core.realtime.layers.InMemoryChannelLayer"}
    }
    channel_layers.backends.pop("default", None)
    yield
    channel_layers.backends.pop("default", None)


@pytest.fixture
async def make_hub():
    """Hubs made by hand, stopped at the end (no receive may outlive the test's loop)."""
    made: list[RoomHub] = []

    def make(meeting_id: int) -> RoomHub:
        made.append(RoomHub(meeting_id))
        return made[-1]

    yield make
    await stop_hubs(made)


class Socket:
    def __init__(self, name):
        self.channel_name = name
        self.got: list[int | None] = []

    def room_event(self, seq, frame):
        self.got.append(seq)


def record(meeting_id: int, n: int) -> list[dict]:
    """Record n room events; return their channel-layer messages (as published)."""
    messages = []
    for _ in range(n):
        with transaction.atomic():
            event = PresenceUpdated(
                participants=[], counts=PresenceCounts(active=0, passive=0, passive_by_entity={})
            )
            seq = record_room_event(meeting_id, event)
        wire = {**event.to_wire(), "stream": "room", "seq": seq}
        messages.append({"type": MESSAGE_TYPE, "seq": seq, "stream": "room", "text": encode(wire)})
    return messages


async def test_out_of_order_and_lost_events_reach_everyone_in_order_once(
    live, monkeypatch, make_hub
):
    _, meeting, _ = live
    monkeypatch.setattr(hub_module, "GAP_WAIT", 0.05)
    hub = make_hub(meeting.pk)

    async def deaf():  # only what the test hands over reaches the hub
        await asyncio.Event().wait()

    monkeypatch.setattr(hub, "_receive_loop", deaf)
    sockets = [Socket("a"), Socket("b")]
    for socket in sockets:
        await hub.attach(socket)
    messages = await database_sync_to_async(record)(meeting.pk, 6)
    # 2 arrives before 1, 1 twice, 4 never arrives (lost), 6 before 5.
    for index in (1, 0, 0, 2, 5, 4):
        await hub.accept(messages[index])
    await asyncio.sleep(0.3)
    for socket in sockets:
        assert socket.got == [1, 2, 3, 4, 5, 6]


async def test_a_lost_last_event_is_delivered_by_the_heartbeat(live, monkeypatch, make_hub):
    _, meeting, _ = live
    hub = make_hub(meeting.pk)

    async def deaf():
        await asyncio.Event().wait()

    monkeypatch.setattr(hub, "_receive_loop", deaf)
    socket = Socket("a")
    await hub.attach(socket)
    await database_sync_to_async(record)(meeting.pk, 2)  # published to nobody we listen to
    await hub.housekeeping()
    assert socket.got == [1, 2]


async def test_ephemeral_signals_pass_without_number(live, make_hub):
    _, meeting, _ = live
    hub = make_hub(meeting.pk)
    socket = Socket("a")
    await hub.attach(socket)
    await hub.accept({"type": MESSAGE_TYPE, "event": {"type": "media.talking", "talking": True}})
    assert socket.got == [None]


async def test_presence_changes_during_an_announcement_are_announced_next(
    live, monkeypatch, make_hub
):
    _, meeting, _ = live
    hub = make_hub(meeting.pk)
    announced: list[set[int]] = []
    release = asyncio.Event()

    async def slow_flush():
        ids, hub._presence = hub._presence, set()
        announced.append(ids)
        if len(announced) == 1:
            await release.wait()  # the first announcement takes a while…

    monkeypatch.setattr(hub_module, "PRESENCE_BATCH", 0.01)
    monkeypatch.setattr(hub, "flush_presence", slow_flush)
    hub.touch_presence({1})
    await asyncio.sleep(0.05)
    hub.touch_presence({2})  # …and someone arrives meanwhile
    release.set()
    await asyncio.sleep(0.1)
    assert announced == [{1}, {2}]
