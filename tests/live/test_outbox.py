"""A client that stops reading holds up nobody, is closed, and resumes with nothing missing.

A real uvicorn serves vev in a thread of the test process (the test database, the in-process
channel layer), with the WebSocket implementation ``vev serve`` uses (``websockets-sansio``:
direct writes) and with uvicorn's legacy ``websockets`` implementation, whose ``send`` waits
for the buffer to drain (queued writes). Clients are ``websockets`` connections over TCP; the
slow one has a small receive buffer and stops reading. Captions posted to the real ingestion
endpoint produce the traffic (lines of 200 characters, one room event each).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
import urllib.request
import warnings
from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async

from tests.servers import stop_server
from vev.cli import UVICORN_OPTIONS
from vev.live import hub as hub_module
from vev.live import outbox as outbox_module
from vev.live.models import Connection
from vev.live.services import captions

pytestmark = pytest.mark.django_db(transaction=True)

#: Room events a post makes: a line per 200 characters.
POST_CHARS = 30_000
POSTS = 8
#: The fast client must have every event this soon after the last post was answered. Without
#: outboxes the hub waits on the slow socket until its keepalive gives up (40 s).
FAST_BOUND = 6.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(transactional_db, request, monkeypatch):
    """uvicorn in a thread, with the WebSocket implementation given by the test's parameter."""
    import uvicorn
    from channels.layers import channel_layers
    from uvicorn.config import UvicornDeprecationWarning

    from vev.asgi import application

    monkeypatch.setattr(outbox_module, "MAX_BUFFERED_BYTES", 64 * 1024)
    monkeypatch.setattr(outbox_module, "MAX_QUEUED_FRAMES", 200)
    channel_layers.backends.pop("default", None)
    port = _free_port()
    with warnings.catch_warnings():
        # uvicorn's legacy implementation is deprecated (websockets.legacy too)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UvicornDeprecationWarning)
        config = uvicorn.Config(
            application,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            **{**UVICORN_OPTIONS, "ws": request.param},  # as `vev serve`, or the legacy one
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="vev-outbox-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        yield port
        stop_server(server, thread)
    channel_layers.backends.pop("default", None)


def _session_key(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


async def _open(port, user, meeting, *, resume=None, slow=False):
    from websockets.asyncio.client import connect

    key = await database_sync_to_async(_session_key)(user)
    url = f"ws://127.0.0.1:{port}/ws/events/{meeting.event.slug}/meetings/{meeting.slug}/room/"
    if resume:
        url += f"?epoch={resume['epoch']}&room={resume['room']}&user={resume['user']}"
    options = {}
    if slow:  # a small receive buffer, and a client that stops reading after one frame
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
        options = {"sock": sock, "max_queue": 1}
    ws = await connect(
        url,
        additional_headers={"Cookie": f"sessionid={key}", "Origin": f"http://127.0.0.1:{port}"},
        open_timeout=20,
        ping_interval=None,
        **options,
    )
    first = json.loads(await asyncio.wait_for(ws.recv(), 20))
    assert first["type"] in ("room.snapshot", "room.resumed"), first
    return ws, first


def _post(port: int, address: str, seq: int, text: str) -> None:
    parts = urlsplit(address)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{parts.path}?{parts.query}&seq={seq}&lang=en-US",
        data=text.encode(),
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 200


def _words(post: int) -> str:
    """POST_CHARS of caption text without a line break, marked with the post's number."""
    word = f"p{post:02d}word "
    return word * (POST_CHARS // len(word))


def _server_side(user):
    """The server's end of this user's room socket: its consumer."""
    return next(
        consumer
        for hubs in list(hub_module._hubs.values())
        for hub in list(hubs.values())
        for consumer in list(hub.members.values())
        if consumer.ctx is not None and consumer.ctx.user.pk == user.pk
    )


def _small_send_buffer(user) -> None:
    """A slow link: the kernel's send buffer of the server's end kept small (it grows to
    megabytes on loopback), so the backlog builds up in the server where the outbox sees it."""
    outbox = _server_side(user).outbox
    transport = outbox.send.__self__.transport
    transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)


def _slow_outboxes():
    return [
        consumer.outbox
        for hubs in list(hub_module._hubs.values())
        for hub in list(hubs.values())
        for consumer in list(hub.members.values())
        if consumer.outbox is not None and consumer.outbox.overflowed
    ]


async def _read_all(ws, frames: list, *, until, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not until():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"gave up after {len(frames)} frames")
        frames.append(json.loads(await asyncio.wait_for(ws.recv(), remaining)))


def _room(frames) -> list[dict]:
    return [f for f in frames if f.get("stream") == "room"]


@pytest.mark.parametrize(
    ("server", "direct"),
    [("websockets-sansio", True), ("websockets", False)],
    indirect=["server"],
)
async def test_a_client_that_stops_reading_delays_nobody_and_resumes_without_a_gap(
    live, server, direct, monkeypatch
):
    from websockets.exceptions import ConnectionClosed

    monkeypatch.setattr(outbox_module, "ABORT_AFTER", 120)  # it reads again below

    event, meeting, users = live
    port = server
    feed = await database_sync_to_async(captions.create_feed)(users["technician"], meeting)
    address = await database_sync_to_async(captions.feed_url)(feed)

    fast, fast_first = await _open(port, users["fr"][0], meeting)
    slow, slow_first = await _open(port, users["fr"][1], meeting, slow=True)
    await asyncio.sleep(0.2)
    _small_send_buffer(users["fr"][1])
    # The outbox writes directly where the server allows it (vev serve's implementation).
    hubs = [hub for loop_hubs in hub_module._hubs.values() for hub in loop_hubs.values()]
    outboxes = [c.outbox for hub in hubs for c in hub.members.values()]
    assert len(outboxes) == 2 and all((o.direct is not None) is direct for o in outboxes)

    fast_frames: list[dict] = []
    reader = asyncio.ensure_future(
        _read_all(fast, fast_frames, until=lambda: False, timeout=600)  # until cancelled
    )
    for post in range(1, POSTS + 1):
        await asyncio.to_thread(_post, port, address, post, _words(post))
    answered = time.monotonic()
    final = f"p{POSTS:02d}word"

    def fast_has_all():
        return any(
            f.get("type") == "captions.line" and final in f["text"] and f["text"].endswith(" ")
            for f in fast_frames[-3:]
        )

    while not fast_has_all() and time.monotonic() - answered < 30:
        await asyncio.sleep(0.05)
    delay = time.monotonic() - answered
    reader.cancel()
    with contextlib.suppress(BaseException):
        await reader
    assert fast_has_all(), "the fast client never got the last line"
    assert delay < FAST_BOUND, f"the fast client waited {delay:.1f} s on the slow one"
    fast_seqs = [f["seq"] for f in _room(fast_frames)]
    start = fast_first["seq"]["room"]
    assert fast_seqs == list(range(start + 1, start + 1 + len(fast_seqs)))
    assert len(fast_seqs) > 8 * POST_CHARS // 200 // 2  # the traffic was real

    # The slow socket went over its bound; reading again, it gets what was on its way and then
    # the close frame with 4000 (reconnect at once).
    assert _slow_outboxes(), "the slow socket was not found too far behind"
    slow_frames: list[dict] = []
    with pytest.raises(ConnectionClosed) as closed:
        await _read_all(slow, slow_frames, until=lambda: False, timeout=30)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4000
    received = [f["seq"] for f in _room(slow_frames)]
    start = slow_first["seq"]["room"]
    assert received == list(range(start + 1, start + 1 + len(received)))
    assert received[-1] < fast_seqs[-1] if received else True

    # Its connection is logged as dropped with the code, and it resumes with nothing missing.
    def closed_codes():
        return list(
            Connection.objects.filter(participant__user=users["fr"][1]).values_list(
                "close_reason", "close_code"
            )
        )

    deadline = time.monotonic() + 10
    while (codes := await database_sync_to_async(closed_codes)()) != [("dropped", 4000)]:
        assert time.monotonic() < deadline, codes
        await asyncio.sleep(0.1)
    position = {
        "epoch": slow_first["epoch"],
        "room": received[-1] if received else start,
        "user": slow_first["seq"]["user"],
    }
    again, head = await _open(port, users["fr"][1], meeting, resume=position)
    assert head["type"] == "room.resumed", head
    replay: list[dict] = []
    await _read_all(again, replay, until=lambda: len(replay) >= head["replayed"], timeout=30)
    replayed = {f["seq"]: f for f in _room(replay)}
    expected = {f["seq"]: f for f in _room(fast_frames) if f["seq"] > position["room"]}
    assert set(expected) <= set(replayed)
    assert sorted(replayed) == list(range(position["room"] + 1, max(replayed) + 1))
    for seq, frame in expected.items():
        assert replayed[seq]["type"] == frame["type"] and replayed[seq].get("text") == frame.get(
            "text"
        )
    for ws in (fast, again):
        await ws.close()


@pytest.mark.parametrize("server", ["websockets-sansio"], indirect=True)
async def test_a_client_that_never_reads_again_is_cut_off_and_logged(live, server, monkeypatch):
    from websockets.exceptions import ConnectionClosed

    # After the posts are in (on SQLite, the test database serialises their writes).
    monkeypatch.setattr(outbox_module, "ABORT_AFTER", 4.0)
    event, meeting, users = live
    port = server
    feed = await database_sync_to_async(captions.create_feed)(users["technician"], meeting)
    address = await database_sync_to_async(captions.feed_url)(feed)
    slow, slow_first = await _open(port, users["fr"][1], meeting, slow=True)
    sender, _first = await _open(port, users["fr"][0], meeting)
    await asyncio.sleep(0.2)
    _small_send_buffer(users["fr"][1])
    for post in range(1, 4):  # about 200 KB of events: over the bound of 64 KiB
        await asyncio.to_thread(_post, port, address, post, _words(post))
    # A private message: the slow socket's consumer waits to send it when the connection is cut
    # (its send fails; the consumer must still log the connection's end).
    await sender.send(
        json.dumps(
            {
                "command": "chat.send",
                "id": "c1",
                "payload": {
                    "audience": "private",
                    "text": "Are you there?",
                    "to_participant": slow_first["me"]["id"],
                },
            }
        )
    )

    def connection():
        return Connection.objects.get(participant__user=users["fr"][1])

    deadline = time.monotonic() + 10
    while (row := await database_sync_to_async(connection)()).closed_at is None:
        assert time.monotonic() < deadline, "the stuck connection stayed open"
        await asyncio.sleep(0.1)
    assert row.close_reason == Connection.Reason.DROPPED
    # The client, once it reads again, finds the connection gone (no close frame got through).
    with pytest.raises(ConnectionClosed):
        while True:
            await asyncio.wait_for(slow.recv(), 10)
    await sender.close()
