"""Numbering, keeping and publishing the events of a room's streams.

Every event of a meeting belongs to a stream and carries that stream's sequence number:

* the **room** stream (``RoomState.seq``), which every participant receives;
* each participant's **own** stream (``Participant.stream_seq``): private messages and personal
  notices, received only by that participant.

An event is numbered and stored (``RoomEvent``) inside the transaction of the act that caused
it, and handed to the channel layer only after that transaction commits, encoded once. Because
the act holds the stream's row lock until it commits, numbers are allocated in commit order: a
gap seen by a receiver is an event still in flight, never one that will not come. See
docs/protocol/live-room.md ("Streams, snapshot and resume").
"""

from __future__ import annotations

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F

from vev.core.realtime import groups
from vev.core.realtime.publish import MESSAGE_TYPE, send_message
from vev.core.realtime.schema import BaseEvent

from .models import Participant, RoomEvent, RoomState

logger = logging.getLogger(__name__)


def room_group(meeting_id: int) -> str:
    return groups.meeting(meeting_id, "room")


def user_group(meeting_id: int, user_id: int) -> str:
    return groups.meeting(meeting_id, f"user.{user_id}")


def encode(wire: dict) -> str:
    return json.dumps(wire, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def lock_room(meeting_id: int) -> RoomState:
    """The room's row, locked until the surrounding transaction ends (create it if needed)."""
    room = RoomState.objects.select_for_update().filter(meeting_id=meeting_id).first()
    if room is None:  # the room's first act (one query less for every other)
        RoomState.objects.get_or_create(meeting_id=meeting_id)
        room = RoomState.objects.select_for_update().get(meeting_id=meeting_id)
    return room


def record_room_event(meeting_id: int, event: BaseEvent, *, due=None) -> int:
    """Number, store and (after commit) publish ``event`` on the room stream; returns its seq.

    ``due`` (a datetime) asks every server process serving the meeting to run the due handler
    of this event type at that time (``vev.live.timers``), e.g. to close an objection call.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("room events are recorded inside the act's transaction")
    seq = _next_room_seq(meeting_id)
    wire = {**event.to_wire(), "stream": "room", "seq": seq}
    RoomEvent.objects.create(meeting_id=meeting_id, seq=seq, type=event.type, payload=wire)
    _publish_after_commit(room_group(meeting_id), seq, "room", wire, due=due)
    return seq


def _next_room_seq(meeting_id: int) -> int:
    """The room stream's next number, its row locked until the act commits.

    One ``UPDATE … RETURNING`` (SQLite 3.35+, PostgreSQL) where the row exists: it locks the
    row as ``lock_room`` does. Else (the room's first act, or an older SQLite) the row is
    locked, created if needed, incremented and read.
    """
    connection = transaction.get_connection()
    # Django names no feature for UPDATE … RETURNING. Of the two databases vev runs on, those
    # that return columns from an INSERT (PostgreSQL; SQLite from 3.35, the same release) take
    # it on UPDATE as well (not so MariaDB: a third backend would need its own test here).
    if connection.features.can_return_columns_from_insert:
        meta, quote = RoomState._meta, connection.ops.quote_name
        table, key = quote(meta.db_table), quote(meta.pk.column)
        seq = quote(meta.get_field("seq").column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {seq} = {seq} + 1 WHERE {key} = %s RETURNING {seq}",  # noqa: S608 (names from the model)
                [meeting_id],
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
    lock_room(meeting_id)
    RoomState.objects.filter(pk=meeting_id).update(seq=F("seq") + 1)
    return RoomState.objects.values_list("seq", flat=True).get(pk=meeting_id)


def record_user_event(meeting_id: int, user_id: int, event: BaseEvent) -> int | None:
    """Number, store and publish ``event`` on one participant's own stream.

    Users who never entered the room have no stream yet: they see the matter in their
    snapshot when they enter (returns None).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("room events are recorded inside the act's transaction")
    updated = Participant.objects.filter(meeting_id=meeting_id, user_id=user_id).update(
        stream_seq=F("stream_seq") + 1
    )
    if not updated:
        return None
    seq = Participant.objects.values_list("stream_seq", flat=True).get(
        meeting_id=meeting_id, user_id=user_id
    )
    wire = {**event.to_wire(), "stream": "user", "seq": seq}
    RoomEvent.objects.create(
        meeting_id=meeting_id, recipient_id=user_id, seq=seq, type=event.type, payload=wire
    )
    _publish_after_commit(user_group(meeting_id, user_id), seq, "user", wire)
    return seq


def _publish_after_commit(group: str, seq: int, stream: str, wire: dict, due=None) -> None:
    message = {"type": MESSAGE_TYPE, "stream": stream, "seq": seq, "text": encode(wire)}
    if due is not None:
        message["due"] = {"type": wire["type"], "at": due.timestamp()}
    transaction.on_commit(lambda: send_message(group, message))


def events_after(meeting_id: int, *, room_seq: int | None, user_id: int, user_seq: int | None):
    """Stored events after the given positions: (room events, own events), each in order."""
    room: list[dict] = []
    own: list[dict] = []
    if room_seq is not None:
        room = list(
            RoomEvent.objects.filter(
                meeting_id=meeting_id, recipient__isnull=True, seq__gt=room_seq
            )
            .order_by("seq")
            .values_list("payload", flat=True)
        )
    if user_seq is not None:
        own = list(
            RoomEvent.objects.filter(meeting_id=meeting_id, recipient_id=user_id, seq__gt=user_seq)
            .order_by("seq")
            .values_list("payload", flat=True)
        )
    return room, own


def room_events_between(meeting_id: int, after: int, until: int) -> list[tuple[int, str]]:
    """Encoded room events with ``after < seq < until`` (to fill a gap), in order."""
    rows = (
        RoomEvent.objects.filter(
            meeting_id=meeting_id, recipient__isnull=True, seq__gt=after, seq__lt=until
        )
        .order_by("seq")
        .values_list("seq", "payload")
    )
    return [(seq, encode(payload)) for seq, payload in rows]


def user_events_between(meeting_id: int, user_id: int, after: int, until: int):
    rows = (
        RoomEvent.objects.filter(
            meeting_id=meeting_id, recipient_id=user_id, seq__gt=after, seq__lt=until
        )
        .order_by("seq")
        .values_list("seq", "payload")
    )
    return [(seq, encode(payload)) for seq, payload in rows]
