"""Room events skip Channels' session wrapper on their way to the server (the fan-out path)."""

from __future__ import annotations

from channels.sessions import InstanceSessionWrapper

from vev.live.outbox import server_send as _server_send


async def test_the_session_wrapper_is_skipped_and_other_sends_are_kept():
    sent = []

    async def server_send(message):
        sent.append(message)

    wrapper = InstanceSessionWrapper({"type": "websocket", "cookies": {}}, server_send)
    assert _server_send(wrapper.send) is server_send
    await _server_send(wrapper.send)({"type": "websocket.send", "text": "x"})
    assert sent == [{"type": "websocket.send", "text": "x"}]
    assert _server_send(server_send) is server_send  # e.g. a test communicator's queue
