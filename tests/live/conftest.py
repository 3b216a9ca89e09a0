"""A meeting in session and helpers to open room sockets as given users."""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing.websocket import WebsocketCommunicator

from tests.sockets import CONNECT_TIMEOUT


class Client:
    """A room socket as one user: frames received are kept by type for assertions."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator
        self.frames: list[dict] = []
        self.counter = 0

    async def receive(self, timeout: float = 3) -> dict:
        frame = await self.communicator.receive_json_from(timeout=timeout)
        self.frames.append(frame)
        return frame

    async def receive_until(self, predicate, timeout: float = 5) -> dict:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            # receive_nothing waits without cancelling the application (a timed-out receive
            # would cancel it and hide what was received)
            if remaining <= 0 or await self.communicator.receive_nothing(timeout=remaining):
                raise AssertionError(
                    f"no matching frame; got {[f.get('type') for f in self.frames]}"
                )
            frame = await self.receive()
            if predicate(frame):
                return frame

    async def receive_type(self, type_: str, timeout: float = 5) -> dict:
        return await self.receive_until(lambda f: f.get("type") == type_, timeout)

    async def command(self, name: str, payload: dict | None = None, timeout: float = 5) -> dict:
        self.counter += 1
        request_id = f"t{self.counter}"
        await self.communicator.send_json_to(
            {"command": name, "id": request_id, "payload": payload or {}}
        )
        return await self.receive_until(
            lambda f: f.get("type") == "reply" and f.get("id") == request_id, timeout
        )

    async def drain(self, quiet: float = 0.4) -> list[dict]:
        """Everything that arrives until the socket stays quiet for ``quiet`` seconds."""
        got = []
        # receive_nothing waits without cancelling the application (a timed-out receive would)
        while not await self.communicator.receive_nothing(timeout=quiet):
            got.append(await self.receive())
        return got

    def positions(self) -> dict:
        """The resume position after everything received so far."""
        epoch, room, user = None, 0, 0
        for frame in self.frames:
            if frame.get("type") == "room.snapshot":
                epoch, room, user = frame["epoch"], frame["seq"]["room"], frame["seq"]["user"]
            elif frame.get("type") == "room.resumed":
                epoch = frame["epoch"]
            elif frame.get("stream") == "room":
                room = max(room, frame["seq"])
            elif frame.get("stream") == "user":
                user = max(user, frame["seq"])
        return {"epoch": epoch, "room": room, "user": user}

    async def close(self) -> None:
        await self.communicator.disconnect()


async def connect(
    user,
    meeting,
    *,
    resume: dict | None = None,
    expect_ok: bool = True,
    language: str = "",
    session_key: str = "",
):
    from vev.live.consumers import RoomConsumer

    event_slug, meeting_slug = await database_sync_to_async(
        lambda: (meeting.event.slug, meeting.slug)
    )()
    path = f"/ws/events/{event_slug}/meetings/{meeting_slug}/room/"
    query = ""
    if resume:
        query = f"epoch={resume['epoch']}&room={resume['room']}&user={resume['user']}"
    communicator = WebsocketCommunicator(
        RoomConsumer.as_asgi(), f"{path}?{query}" if query else path
    )
    if session_key:  # the browser's session (SessionMiddlewareStack in production)
        from django.contrib.sessions.backends.base import SessionBase

        session = SessionBase()
        session._session_key = session_key
        communicator.scope["session"] = session
    if language:  # the language the user chose on the site (the language cookie)
        from django.conf import settings

        communicator.scope["cookies"] = {settings.LANGUAGE_COOKIE_NAME: language}
    communicator.scope["user"] = user
    communicator.scope["url_route"] = {"kwargs": {"event": event_slug, "meeting": meeting_slug}}
    connected, _ = await communicator.connect(timeout=CONNECT_TIMEOUT)
    assert connected
    OPEN_COMMUNICATORS.append(communicator)
    client = Client(communicator)
    if expect_ok:
        first = await client.receive()
        assert first["type"] in ("room.snapshot", "room.resumed"), first
    return client


#: Every socket a test opened: closed at the end, so that no consumer is left receiving from the
#: channel layer when the test's event loop closes (channels-redis keeps one receive lock per
#: layer, bound to the loop of whoever receives).
OPEN_COMMUNICATORS: list[WebsocketCommunicator] = []


def dumps(frame) -> str:
    return json.dumps(frame, sort_keys=True)


@pytest.fixture
async def hubs():
    """Stop this test's room hubs at the end (they linger a little in production)."""
    yield
    import contextlib

    from vev.live.hub import local_hubs

    while OPEN_COMMUNICATORS:
        communicator = OPEN_COMMUNICATORS.pop()
        with contextlib.suppress(BaseException):
            await communicator.disconnect(timeout=2)
    await stop_hubs(local_hubs())


async def stop_hubs(hubs) -> None:
    """Stop hubs at the end of a test, each step bounded: on Redis a cancelled receive can keep
    a step waiting on its connection, which must not hang the test session."""
    import asyncio
    import contextlib

    for hub in list(hubs):
        hub.members.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(hub.stop(), timeout=10)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(drain_database_thread(), timeout=10)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(fresh_channel_layer(), timeout=5)


async def drain_database_thread() -> None:
    """Let database work the test's tasks left behind finish while this test's loop still runs.

    ``database_sync_to_async`` runs on one shared thread; a cancelled task leaves its call
    running there, and a call that publishes (``async_to_sync`` back onto the loop) after the
    loop has closed would block that thread, and every later test's database call, for ever.
    """
    from channels.db import database_sync_to_async

    await database_sync_to_async(lambda: None)()


async def fresh_channel_layer() -> None:
    """Drop the channel layer instance at the end of a test.

    Each test runs on its own event loop; channels-redis keeps a receive lock per layer
    instance, bound to the loop that first receives. A fresh layer per test keeps a lock of a
    finished loop from reaching the next test, where a receive would wait on it for ever (one
    server process has one loop: no issue there).
    """
    import contextlib

    from channels.layers import channel_layers

    layer = channel_layers.backends.pop("default", None)
    if layer is not None and hasattr(layer, "close_pools"):
        with contextlib.suppress(Exception):
            await layer.close_pools()
