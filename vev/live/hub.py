"""Per-process fan-out of a room's stream to the sockets this process serves.

A meeting may have 2,300 sockets open (300 active participants and 2,000 on the webcast). Were
each socket a member of the channel-layer group, every room event would be copied, queued and
dispatched 2,300 times (and, with Redis, pushed and popped 2,300 times). Instead each server
process runs one :class:`RoomHub` per meeting with sockets open: the hub is the only member of
the room group from this process, receives each event once (already encoded as JSON text by the
publisher), puts the stream back in order, fills gaps from the database, and writes the text to
its local sockets through their outboxes (``vev.live.outbox``: never waiting on one socket, so a
client that stops reading cannot hold up the others). Several processes behind Redis each run
their own hub.

Order and completeness: events are numbered in commit order (``vev.live.streams``). The hub
delivers ``seq`` n only after n - 1; an event that arrives early waits ``GAP_WAIT`` seconds for
the missing ones, which are then read from the database (they are committed: the later event's
transaction could not start before theirs ended). A heartbeat also compares the database's
last number with the last delivered one, so a lost final event is delivered too.

The hub also refreshes this process's connections (``presence.heartbeat``), closes those of
dead processes and frees expired seats (``presence.sweep``), and batches presence changes into
one ``presence.updated`` every ``PRESENCE_BATCH`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from .models import RoomState
from .outbox import PreparedFrame
from .services import presence
from .streams import MESSAGE_TYPE, encode, room_events_between, room_group
from .timers import DUE_HANDLERS

logger = logging.getLogger(__name__)

GAP_WAIT = 0.2
#: Due acts run this long after their time (clocks of processes differ a little).
DUE_MARGIN = 0.3
PRESENCE_BATCH = 0.25
#: A hub without sockets stays this long (a page reload comes back at once).
LINGER = 10.0
#: Seconds a stopping hub waits to leave its channel-layer group.
GROUP_DISCARD_TIMEOUT = 2.0

_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, RoomHub]] = (
    weakref.WeakKeyDictionary()
)


def hub_for(meeting_id: int) -> RoomHub:
    loop = asyncio.get_running_loop()
    hubs = _hubs.setdefault(loop, {})
    hub = hubs.get(meeting_id)
    if hub is None or hub.stopped:
        hub = hubs[meeting_id] = RoomHub(meeting_id)
    return hub


def local_hubs() -> list[RoomHub]:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return []
    return list(_hubs.get(loop, {}).values())


@database_sync_to_async
def _current_seq(meeting_id: int) -> int:
    RoomState.objects.get_or_create(meeting_id=meeting_id)
    return RoomState.objects.values_list("seq", flat=True).get(pk=meeting_id)


class RoomHub:
    def __init__(self, meeting_id: int):
        self.meeting_id = meeting_id
        self.layer = get_channel_layer()
        self.members: dict[str, object] = {}
        self.last_seq = 0
        self.pending: dict[int, str] = {}
        self.stopped = False
        self._started: asyncio.Future | None = None
        self._tasks: list[asyncio.Task] = []
        self._gap_task: asyncio.Task | None = None
        self._linger: asyncio.TimerHandle | None = None
        self._presence: set[int] = set()
        self._presence_task: asyncio.Task | None = None
        self.channel = ""
        self._due_handles: list[asyncio.TimerHandle] = []
        self._due_tasks: set[asyncio.Task] = set()

    # -- membership ------------------------------------------------------------------------
    async def attach(self, consumer) -> None:
        self.members[consumer.channel_name] = consumer
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        if self._started is None:
            self._started = asyncio.ensure_future(self._start())
        await asyncio.shield(self._started)

    def detach(self, consumer) -> None:
        self.members.pop(consumer.channel_name, None)
        if not self.members and not self.stopped and self._linger is None:
            self._linger = asyncio.get_running_loop().call_later(
                LINGER, lambda: asyncio.ensure_future(self.stop())
            )

    async def _start(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(room_group(self.meeting_id), self.channel)
        # Read the position only once subscribed: anything committed later reaches us.
        self.last_seq = await _current_seq(self.meeting_id)
        self._tasks = [
            asyncio.ensure_future(self._receive_loop()),
            asyncio.ensure_future(self._heartbeat_loop()),
        ]

    async def stop(self) -> None:
        if self.stopped or self.members:
            return
        self.stopped = True
        hubs = _hubs.get(asyncio.get_running_loop(), {})
        if hubs.get(self.meeting_id) is self:
            del hubs[self.meeting_id]
        # One announcement at a time: a batch under way is let go (its thread finishes it),
        # then what is left goes out.
        if self._presence_task is not None and not self._presence_task.done():
            self._presence_task.cancel()
            await asyncio.gather(self._presence_task, return_exceptions=True)
        await self.flush_presence()
        for handle in self._due_handles:
            handle.cancel()
        tasks = [
            t
            for t in [*self._tasks, self._gap_task, self._presence_task, *self._due_tasks]
            if t is not None
        ]
        for task in tasks:
            task.cancel()
        # Let them end (a receive on the channel layer must leave its lock released).
        await asyncio.gather(*tasks, return_exceptions=True)
        # Leaving the group is a courtesy (memberships expire): on Redis, right after a receive
        # was cancelled, it can wait on the connection for the whole socket timeout; a hub that
        # stops must not hang on it.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                self.layer.group_discard(room_group(self.meeting_id), self.channel),
                timeout=GROUP_DISCARD_TIMEOUT,
            )

    # -- receiving -------------------------------------------------------------------------
    async def _receive_loop(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # redis-py turns a cancelled read into a timeout: stopping is not a failure.
                if self.stopped or asyncio.current_task().cancelling():
                    return
                logger.exception("room %s: channel layer receive failed", self.meeting_id)
                await asyncio.sleep(1)
                continue
            if message.get("type") != MESSAGE_TYPE:
                continue
            try:
                await self.accept(message)
            except Exception:
                logger.exception("room %s: could not deliver an event", self.meeting_id)

    async def accept(self, message: dict) -> None:
        if message.get("due"):
            self.schedule_due(message["due"])
        text = message.get("text") or encode(message["event"])
        seq = message.get("seq")
        if seq is None:  # an ephemeral signal (media talking, booth on air): no order, no replay
            self._deliver(None, text)
            return
        if seq <= self.last_seq or seq in self.pending:
            return
        if seq == self.last_seq + 1:
            self._deliver(seq, text)
            self.last_seq = seq
            self._drain()
            return
        self.pending[seq] = text
        if self._gap_task is None or self._gap_task.done():
            self._gap_task = asyncio.ensure_future(self._fill_gap_later())

    def _drain(self) -> None:
        while self.last_seq + 1 in self.pending:
            seq = self.last_seq + 1
            self._deliver(seq, self.pending.pop(seq))
            self.last_seq = seq

    async def _fill_gap_later(self) -> None:
        await asyncio.sleep(GAP_WAIT)
        while self.pending:
            first = min(self.pending)
            if first > self.last_seq + 1:
                await self._fill_from_database(until=first)
            self._drain()
            if self.pending and min(self.pending) <= self.last_seq:
                for seq in [s for s in self.pending if s <= self.last_seq]:
                    del self.pending[seq]
            elif self.pending:
                await asyncio.sleep(GAP_WAIT)

    async def _fill_from_database(self, *, until: int) -> None:
        rows = await database_sync_to_async(room_events_between)(
            self.meeting_id, self.last_seq, until
        )
        for seq, text in rows:
            if seq == self.last_seq + 1:
                self._deliver(seq, text)
                self.last_seq = seq

    def _deliver(self, seq: int | None, text: str) -> None:
        """Hand the event to every local socket, in one pass that never waits on a socket.

        Each socket's outbox writes the frame at once or queues it (``vev.live.outbox``); a
        socket that cannot keep up is closed and resumes, the others are not held up.
        """
        frame = PreparedFrame(text)
        for consumer in tuple(self.members.values()):
            try:
                consumer.room_event(seq, frame)
            except Exception:  # one broken socket must not stop the others
                logger.debug("room %s: a socket refused an event", self.meeting_id, exc_info=True)

    # -- acts due at a time (vev.live.timers) ------------------------------------------------
    def schedule_due(self, due: dict) -> None:
        handler = DUE_HANDLERS.get(due.get("type", ""))
        if handler is None:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, float(due["at"]) - time.time()) + DUE_MARGIN

        def run():
            task = asyncio.ensure_future(self._run_due(handler))
            self._due_tasks.add(task)
            task.add_done_callback(self._due_tasks.discard)

        self._due_handles.append(loop.call_later(delay, run))

    async def _run_due(self, handler) -> None:
        try:
            await database_sync_to_async(handler)(self.meeting_id)
        except Exception:
            logger.exception("room %s: a due act failed", self.meeting_id)

    # -- housekeeping ----------------------------------------------------------------------
    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(presence.HEARTBEAT_SECONDS)
            try:
                await self.housekeeping()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("room %s: housekeeping failed", self.meeting_id)

    async def housekeeping(self) -> None:
        await database_sync_to_async(presence.heartbeat)(self.meeting_id)
        changed = await database_sync_to_async(presence.sweep)(self.meeting_id)
        self.touch_presence(changed)
        latest = await _current_seq(self.meeting_id)
        if latest > self.last_seq and not self.pending:
            await self._fill_from_database(until=latest + 1)

    # -- presence batching -----------------------------------------------------------------
    def touch_presence(self, participant_ids) -> None:
        """Announce these participants' presence soon, together with others that change."""
        if not participant_ids:
            return
        self._presence.update(participant_ids)
        if self._presence_task is None or self._presence_task.done():
            self._presence_task = asyncio.ensure_future(self._presence_later())

    async def _presence_later(self) -> None:
        # Changes that arrive while a batch is being announced go into the next batch.
        while self._presence:
            await asyncio.sleep(PRESENCE_BATCH)
            await self.flush_presence()

    async def flush_presence(self) -> None:
        ids, self._presence = self._presence, set()
        if ids:
            await database_sync_to_async(presence.announce)(self.meeting_id, ids)
