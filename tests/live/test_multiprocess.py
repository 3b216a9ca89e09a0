"""Two real server processes behind Redis: order, resume, presence and a process dying.

Two ``uvicorn vev.asgi:application`` processes (``tests/live/serve_for_test.py``) on free ports
share the test database (PostgreSQL) and Redis (same ``VEV_CHANNEL_PREFIX``). Clients are
``websockets`` connections with real session cookies of users with a second factor. The room's
heartbeat and staleness are shortened in the servers (1 s and 3 s) so a killed process's
connections are closed as ``server_lost`` within seconds.

Needs ``REDIS_URL`` and a PostgreSQL ``DATABASE_URL``; skipped otherwise, except that
``VEV_REQUIRE_MULTIPROCESS=1`` (set by .ci/run) or ``VEV_REQUIRE_JANUS=1`` turn the skip into a
failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT, STALE = 1.0, 3.0


def _unavailable() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL: several server processes share the room through Redis"
    if connection.vendor != "postgresql":
        return "needs PostgreSQL (DATABASE_URL): the server processes share the test database"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, env: dict):
        self.name = name
        self.port = _free_port()
        self.log = open(Path(env["VEV_DATA_DIR"]) / f"server-{name}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.live.serve_for_test", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.http}/healthz", timeout=1):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        self.log.seek(0)
        raise RuntimeError(f"server {self.name} did not start:\n{self.log.read()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture
def servers(transactional_db, tmp_path_factory):
    """Two servers per test, stopped before the test database is flushed: a server still
    sweeping (the survivor of a killed peer marks its connections lost) holds row locks that
    deadlock with the flush's TRUNCATE."""
    reason = _unavailable()
    if reason:
        if "1" in (os.environ.get("VEV_REQUIRE_MULTIPROCESS"), os.environ.get("VEV_REQUIRE_JANUS")):
            pytest.fail(reason)
        pytest.skip(reason)
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    database_url = (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VEV_CHANNEL_PREFIX": f"{prefix}-mp{os.getpid()}",
        "VEV_CACHE_PREFIX": f"{prefix}-mp{os.getpid()}",
        "VEV_SECRET_KEY": settings.SECRET_KEY,  # the session's auth hash is keyed with it
        "VEV_DATA_DIR": str(tmp_path_factory.mktemp("multiprocess")),
        "VEV_TASKS_IMMEDIATE": "1",
        "VEV_TEST_HEARTBEAT": str(HEARTBEAT),
        "VEV_TEST_STALE": str(STALE),
        "VEV_JANUS": "off",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    pair = {"A": Server("A", env), "B": Server("B", env)}
    try:
        deadline = time.monotonic() + 40
        for server in pair.values():
            server.wait_ready(deadline)
        yield pair
    finally:
        for server in pair.values():
            server.stop()


# -- clients -----------------------------------------------------------------------------------
def session_key(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Ws:
    """A room socket over a real TCP connection, frames kept in arrival order."""

    def __init__(self, socket_, name: str):
        self.socket = socket_
        self.name = name
        self.frames: list[dict] = []
        self.counter = 0

    async def receive(self, timeout: float) -> dict:
        frame = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        self.frames.append(frame)
        return frame

    async def until(self, predicate, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        for frame in self.frames:
            if predicate(frame) and not frame.get("_seen"):
                frame["_seen"] = True
                return frame
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{self.name}: no such frame in {self.types()}")
            frame = await self.receive(remaining)
            if predicate(frame):
                frame["_seen"] = True
                return frame

    async def command(self, name: str, payload: dict | None = None) -> dict:
        self.counter += 1
        request_id = f"{self.name}-{self.counter}"
        await self.socket.send(
            json.dumps({"command": name, "id": request_id, "payload": payload or {}})
        )
        return await self.until(lambda f: f.get("type") == "reply" and f.get("id") == request_id)

    def room_seqs(self) -> list[int]:
        return [f["seq"] for f in self.frames if f.get("stream") == "room"]

    def positions(self) -> dict:
        snapshot = next(f for f in self.frames if f["type"] == "room.snapshot")
        return {
            "epoch": snapshot["epoch"],
            "room": max([snapshot["seq"]["room"], *self.room_seqs()]),
            "user": max(
                [snapshot["seq"]["user"]]
                + [f["seq"] for f in self.frames if f.get("stream") == "user"]
            ),
        }

    def types(self) -> list[str]:
        return [f.get("type") for f in self.frames]

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.socket.close()


async def open_ws(server: Server, user, meeting, name: str, resume: dict | None = None) -> Ws:
    from websockets.asyncio.client import connect as ws_connect

    key, (event_slug, meeting_slug) = await database_sync_to_async(
        lambda: (session_key(user), (meeting.event.slug, meeting.slug))
    )()
    url = f"ws://127.0.0.1:{server.port}/ws/events/{event_slug}/meetings/{meeting_slug}/room/"
    if resume:
        url += f"?epoch={resume['epoch']}&room={resume['room']}&user={resume['user']}"
    socket_ = await ws_connect(
        url,
        additional_headers={"Cookie": f"sessionid={key}", "Origin": server.http},
        open_timeout=15,
    )
    client = Ws(socket_, name)
    first = await client.receive(15)
    assert first["type"] in ("room.snapshot", "room.resumed"), first
    return client


def post_caption(server: Server, address: str, text: str, seq: int, lang: str = "en-US") -> int:
    parts = urlsplit(address)
    request = urllib.request.Request(  # noqa: S310 (a test server on loopback)
        f"{server.http}{parts.path}?{parts.query}&seq={seq}&lang={lang}",
        data=text.encode(),
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def caption_texts(client: Ws) -> list[tuple[int, str]]:
    return [(f["seq"], f["text"]) for f in client.frames if f.get("type") == "captions.line"]


def assert_consecutive(client: Ws) -> None:
    snapshot = next(f for f in client.frames if f["type"] == "room.snapshot")
    seqs = client.room_seqs()
    assert seqs == list(range(snapshot["seq"]["room"] + 1, snapshot["seq"]["room"] + 1 + len(seqs)))


# -- the tests -----------------------------------------------------------------------------------
async def test_acts_on_one_process_reach_the_other_in_order_and_a_resume_moves(live, servers):
    event, meeting, users = live
    a, b = servers["A"], servers["B"]
    chair = await open_ws(b, users["chair"], meeting, "chair@B")
    other = await open_ws(b, users["fr"][1], meeting, "fr1@B")
    technician = await open_ws(a, users["technician"], meeting, "tech@A")
    moving = await open_ws(a, users["fr"][0], meeting, "fr0@A")

    # Presence across both: the chair on B sees the councillor who is on A.
    await chair.until(
        lambda f: (
            f.get("type") == "presence.updated"
            and any(p["user_id"] == users["fr"][0].pk for p in f["participants"])
        )
    )
    late = await open_ws(b, users["councillor"], meeting, "late@B")
    listed = {p["user_id"] for p in late.frames[0]["presence"]["participants"]}
    assert {users["fr"][0].pk, users["technician"].pk, users["chair"].pk} <= listed
    await late.close()

    # An act by a client on A (the caption address), then captions posted to A.
    created = await technician.command("captions.feed_create")
    assert created["ok"], created
    address = created["result"]["url"]
    for client in (chair, other):
        await client.until(lambda f: f.get("type") == "captions.feed" and f["active"])
    for seq in range(1, 21):
        status = await asyncio.to_thread(post_caption, a, address, f"word{seq} ", seq)
        assert status == 200
    final_text = "".join(f"word{n} " for n in range(1, 21))
    for client in (chair, other, moving):
        await client.until(lambda f: f.get("type") == "captions.line" and f["text"] == final_text)
    on_b = caption_texts(chair)
    assert on_b == caption_texts(other) == caption_texts(moving) and len(on_b) == 20
    assert [text for _, text in on_b] == [
        "".join(f"word{n} " for n in range(1, k + 1)) for k in range(1, 21)
    ]
    for client in (chair, other):
        assert_consecutive(client)

    # fr0 drops from A; captions go on (posted to B); fr0 resumes on B: exactly what it missed.
    position = moving.positions()
    await moving.close()
    await chair.until(
        lambda f: (
            f.get("type") == "presence.updated"
            and any(
                p["user_id"] == users["fr"][0].pk and p["status"] == "away"
                for p in f["participants"]
            )
        )
    )
    for seq in range(21, 26):
        assert await asyncio.to_thread(post_caption, b, address, f"more{seq} ", seq) == 200
    await chair.until(lambda f: f.get("type") == "captions.line" and f["text"].endswith("more25 "))
    resumed = await open_ws(b, users["fr"][0], meeting, "fr0@B", resume=position)
    head = resumed.frames[0]
    assert head["type"] == "room.resumed" and head["from"]["room"] == position["room"]
    replay = [await resumed.receive(10) for _ in range(head["replayed"])]
    missed_on_chair = [
        f["seq"] for f in chair.frames if f.get("stream") == "room" and f["seq"] > position["room"]
    ]
    replayed_room = [f["seq"] for f in replay if f.get("stream") == "room"]
    assert replayed_room[: len(missed_on_chair)] == missed_on_chair
    assert replayed_room == list(
        range(position["room"] + 1, position["room"] + 1 + len(replayed_room))
    )
    assert [f["text"] for f in replay if f.get("type") == "captions.line"][-1].endswith("more25 ")
    # Live again, once: the next caption arrives once, right after the replay.
    assert await asyncio.to_thread(post_caption, a, address, "end.", 26) == 200
    line = await resumed.until(
        lambda f: f.get("type") == "captions.line" and f["text"].endswith("end.")
    )
    assert line["seq"] > replayed_room[-1]
    room_seqs = [f["seq"] for f in resumed.frames if f.get("stream") == "room"]
    assert len(room_seqs) == len(set(room_seqs)) and room_seqs == sorted(room_seqs)
    for client in (technician, chair, other, resumed):
        await client.close()


async def test_a_killed_process_closes_its_connections_as_server_lost(live, servers):
    from vev.live.models import Connection

    event, meeting, users = live
    a, b = servers["A"], servers["B"]
    witness = await open_ws(b, users["chair"], meeting, "chair@B")
    doomed = await open_ws(a, users["fr"][2], meeting, "fr2@A")
    await witness.until(
        lambda f: (
            f.get("type") == "presence.updated"
            and any(
                p["user_id"] == users["fr"][2].pk and p["status"] == "present"
                for p in f["participants"]
            )
        )
    )
    killed_at = time.monotonic()
    a.process.send_signal(signal.SIGKILL)
    a.process.wait(timeout=10)
    from websockets.exceptions import ConnectionClosed

    with pytest.raises(ConnectionClosed):  # after the frames already on their way
        while True:
            await doomed.receive(10)
    window = HEARTBEAT + STALE + HEARTBEAT + 3  # a sweep after staleness, and some load
    await witness.until(
        lambda f: (
            f.get("type") == "presence.updated"
            and any(
                p["user_id"] == users["fr"][2].pk and p["status"] == "away"
                for p in f["participants"]
            )
        ),
        timeout=window,
    )
    assert time.monotonic() - killed_at < window
    reasons = await database_sync_to_async(
        lambda: list(
            Connection.objects.filter(participant__user=users["fr"][2]).values_list(
                "close_reason", flat=True
            )
        )
    )()
    assert reasons == [Connection.Reason.SERVER_LOST]
    await witness.close()
