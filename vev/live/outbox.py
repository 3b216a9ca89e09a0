"""Writing room events to one socket without ever waiting on it.

The hub (``vev.live.hub``) hands each room event to every socket of its process in one loop. If
it awaited each socket's ``send``, one client that stops reading (a frozen tab, a saturated
link) would hold up everyone: uvicorn's ``send`` waits while the socket's write buffer is full.
So every socket has an :class:`Outbox` whose ``put`` never waits and whose size is bounded:

* **Direct writes** (uvicorn's ``websockets-sansio`` implementation, the default of ``vev
  serve``, without per-message compression): the event's frame is serialised once per event
  (:class:`PreparedFrame`: the same bytes for every socket, a server's frames being unmasked)
  and appended to the socket's transport at once. The bound is the transport's write buffer.
* **Queued writes** (any other server or implementation, test communicators): frames wait in a
  queue that a task of the socket writes through the server's ``send``. The bound is the queue.

A socket over its bound is closed with 4000 ("reconnect at once", docs/protocol/live-room.md):
the client reconnects and resumes from the last event it received, so nothing is lost. If the
close frame itself cannot get through (the client reads nothing any more), the connection is
aborted after ``ABORT_AFTER`` seconds; the client sees a drop and resumes all the same.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging

from channels.sessions import InstanceSessionWrapper
from websockets.frames import Frame, Opcode

try:  # the server's own WebSocket protocol, for direct writes (see SansIOWriter)
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
except ImportError:  # pragma: no cover (uvicorn without it: queued writes only)
    WebSocketsSansIOProtocol = None

logger = logging.getLogger(__name__)

#: Bytes a socket may have waiting to be written before it is closed as too slow. A snapshot
#: of a full room (300 participants listed) is about 65 KB; a minute of captions about 80 KB.
MAX_BUFFERED_BYTES = 1024 * 1024
#: Frames a queued outbox may hold (the other bound of queued writes).
MAX_QUEUED_FRAMES = 2000
#: Seconds the close frame of an overflowing socket has to get through before the connection
#: is aborted.
ABORT_AFTER = 5.0
#: Close code: reconnect at once and resume (docs/protocol/live-room.md, "Connection").
CLOSE_RECONNECT = 4000


def server_send(send):
    """The server's own ``send`` under Channels' session wrapper, for the frames the hub fans out.

    ``InstanceSessionWrapper.send`` saves the session on HTTP responses only; for a WebSocket
    frame it passes the message on unchanged, after reading the lazy session twice. With 2,300
    sockets that, and the consumer's two ``send`` layers, cost a tenth of the server's time per
    room event (py-spy, bench/live_room_latency.py), so room events skip them. Anything else
    (tests' communicators, other wrappers) keeps ``send`` as it is.
    """
    wrapper = getattr(send, "__self__", None)
    if isinstance(wrapper, InstanceSessionWrapper) and callable(wrapper.real_send):
        return wrapper.real_send
    return send


class PreparedFrame:
    """One room event for every socket: its text, its type, and its frame serialised once."""

    __slots__ = ("_data", "_type", "text")

    def __init__(self, text: str):
        self.text = text
        self._data: bytes | None = None
        self._type: str | None = None

    @property
    def type(self) -> str:
        if self._type is None:
            try:
                self._type = str(json.loads(self.text).get("type", ""))
            except (ValueError, AttributeError):
                self._type = ""
        return self._type

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = Frame(Opcode.TEXT, self.text.encode()).serialize(mask=False)
        return self._data


class SansIOWriter:
    """Direct writes to a connection of uvicorn's ``websockets-sansio`` implementation.

    That implementation's ``send`` serialises each message with the ``websockets`` library's
    sans-I/O ``ServerProtocol`` and writes the bytes to the asyncio transport, after waiting
    while the transport is paused. A text message of an open connection without extensions
    is one unmasked frame, the same bytes for every socket: written here directly, without
    the wait, the await and the per-socket serialisation. Anything else (a closing
    connection, per-message deflate) is not written directly.
    """

    __slots__ = ("protocol", "transport")

    def __init__(self, protocol):
        self.protocol = protocol
        self.transport = protocol.transport

    @classmethod
    def for_send(cls, send) -> SansIOWriter | None:
        protocol = getattr(send, "__self__", None)
        if WebSocketsSansIOProtocol is None or not isinstance(protocol, WebSocketsSansIOProtocol):
            return None
        try:
            if protocol.conn.extensions or not protocol.handshake_complete:
                return None
            protocol.transport.get_write_buffer_size()
            protocol.close_sent, protocol.disconnected  # noqa: B018 (the attributes used below)
        except AttributeError:  # another uvicorn version: keep to its ``send``
            logger.warning("uvicorn's websockets-sansio protocol changed: room events are queued")
            return None
        return cls(protocol)

    def write(self, data: bytes) -> bool:
        """Write the frame unless the connection is closing; False if it is over its bound."""
        protocol, transport = self.protocol, self.transport
        if protocol.close_sent or protocol.disconnected or transport.is_closing():
            return True  # closing or gone: its disconnect follows
        if transport.get_write_buffer_size() > MAX_BUFFERED_BYTES:
            return False
        transport.write(data)
        return True


class Outbox:
    """The room events on their way to one socket (see the module's docstring)."""

    def __init__(self, send, close, *, name: str = ""):
        #: the server's ``send`` (past Channels' session wrapper) and the consumer's ``close``
        self.send = send
        self.close = close
        self.name = name
        self.direct = SansIOWriter.for_send(send)
        self.queue: collections.deque[PreparedFrame] = collections.deque()
        self.queued_bytes = 0
        self.writer: asyncio.Task | None = None
        self.overflowed = False
        self._closer: asyncio.Task | None = None

    @classmethod
    def for_consumer(cls, consumer) -> Outbox:
        """The outbox of an accepted Channels WebSocket consumer."""
        return cls(server_send(consumer.base_send), consumer.close, name=consumer.channel_name)

    def put(self, frame: PreparedFrame) -> None:
        """Write or queue ``frame``; never waits. A socket over its bound is closed."""
        if self.overflowed:
            return  # closing: the client resumes after what it received
        if self.direct is not None:
            if not self.direct.write(frame.data):
                self._overflow()
            return
        if len(self.queue) >= MAX_QUEUED_FRAMES or self.queued_bytes > MAX_BUFFERED_BYTES:
            self._overflow()
            return
        self.queue.append(frame)
        self.queued_bytes += len(frame.data)  # the frame as sent (UTF-8), serialised once
        if self.writer is None:
            self.writer = asyncio.ensure_future(self._write_queue())

    async def _write_queue(self) -> None:
        try:
            while self.queue:
                frame = self.queue.popleft()
                self.queued_bytes -= len(frame.data)
                await self.send({"type": "websocket.send", "text": frame.text})
        except Exception:  # the socket is gone; its disconnect follows
            self.queue.clear()
            self.queued_bytes = 0
        finally:
            self.writer = None

    # -- a socket too slow to follow ---------------------------------------------------------
    def _overflow(self) -> None:
        self.overflowed = True
        self.queue.clear()
        self.queued_bytes = 0
        logger.info("room socket %s: too far behind, closed to resume", self.name)
        if self.writer is not None:
            self.writer.cancel()
        self._closer = asyncio.ensure_future(self._close())

    async def _close(self) -> None:
        # The close frame waits behind what the client has not read; if it does not get through
        # in time, the connection is cut (a no-op once it has ended).
        transport = getattr(getattr(self.send, "__self__", None), "transport", None)
        if transport is not None:
            asyncio.get_running_loop().call_later(ABORT_AFTER, transport.abort)
        with contextlib.suppress(Exception):  # aborted meanwhile: the disconnect follows
            await self.close(code=CLOSE_RECONNECT)

    def discard(self) -> None:
        """The socket closed: drop what waits."""
        self.queue.clear()
        self.queued_bytes = 0
        if self.writer is not None:
            self.writer.cancel()
