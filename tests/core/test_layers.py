"""The in-process channel layer looks for expired messages every few seconds, not on every call."""

from __future__ import annotations

import asyncio

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

from vev.core.realtime import layers


async def test_a_room_event_does_not_walk_every_socket_s_channel(monkeypatch):
    walks = []
    original = ChannelsInMemoryChannelLayer._clean_expired

    def counted(self):
        walks.append(len(self.channels))
        original(self)

    monkeypatch.setattr(ChannelsInMemoryChannelLayer, "_clean_expired", counted)
    layer = layers.InMemoryChannelLayer()
    sockets = [await layer.new_channel() for _ in range(2000)]
    for channel in sockets:  # each socket has its channel and its own group
        await layer.group_add(f"user.{channel[-8:]}", channel)
        layer.channels.setdefault(channel, asyncio.Queue())
    hub = await layer.new_channel()
    await layer.group_add("room", hub)
    for n in range(50):
        await layer.group_send("room", {"type": "vev.event", "n": n})
        assert (await layer.receive(hub))["n"] == n
    assert len(walks) <= 2, walks


async def test_expired_messages_still_expire(monkeypatch):
    monkeypatch.setattr(layers, "CLEAN_INTERVAL", 0.05)
    layer = layers.InMemoryChannelLayer(expiry=0.1)
    await layer.send("stale.channel", {"type": "x"})
    await layer.send("fresh.channel", {"type": "y"})
    await asyncio.sleep(0.2)
    await layer.send("fresh.channel", {"type": "z"})
    assert (await layer.receive("fresh.channel"))["type"] == "z"
    assert "stale.channel" not in layer.channels
