"""The room as one participant sees it now: what a client receives on (re)connect.

Each feature registers a *section* (``@section("speakers")``): a function of the context and
the locked-for-reading room state returning JSON-ready data. The snapshot also carries the
positions of the room stream and the participant's own stream, so that the client applies only
newer events. On PostgreSQL the snapshot is read in one REPEATABLE READ transaction, on SQLite
in one transaction, so every section shows the same moment.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .context import RoomContext
from .models import Participant, RoomState
from .queries import members_read_once
from .streams import events_after

SECTIONS: dict[str, Callable[[RoomContext, RoomState], Any]] = {}
#: Frames a resumed client receives after the replay: state kept off the numbered streams
#: (e.g. the media server's), read at that moment.
AFTER_RESUME: list[Callable[[RoomContext], dict]] = []
#: A client that fell further behind than this gets a snapshot instead of a replay.
MAX_REPLAY = 2000


def section(name: str):
    def register(builder):
        if name in SECTIONS:
            raise ValueError(f"snapshot section {name!r} registered twice")
        SECTIONS[name] = builder
        return builder

    return register


def after_resume(builder):
    """Register a builder of a frame sent to every client that resumes (after the replay)."""
    AFTER_RESUME.append(builder)
    return builder


@contextmanager
def consistent_read():
    """One transaction whose reads all see the same committed moment."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def build_snapshot(ctx: RoomContext) -> dict:
    # Admission created the room's row; a snapshot without one creates it first.
    while True:
        with consistent_read(), members_read_once():
            room = (
                RoomState.objects.select_related("meeting__event").filter(pk=ctx.meeting.pk).first()
            )
            if room is not None:
                user_seq = Participant.objects.values_list("stream_seq", flat=True).get(
                    pk=ctx.participant_id
                )
                data = {name: builder(ctx, room) for name, builder in SECTIONS.items()}
                break
        RoomState.objects.get_or_create(meeting_id=ctx.meeting.pk)
    return {
        "type": "room.snapshot",
        "epoch": str(room.epoch),
        "seq": {"room": room.seq, "user": user_seq},
        "server_time": timezone.now().isoformat(),
        **data,
    }


def sync_frames(ctx: RoomContext, resume: dict | None) -> tuple[list[dict], dict]:
    """Frames that bring a (re)connecting client up to date, and the positions they reach."""
    if resume is not None:
        frames = _replay(ctx, resume)
        if frames is not None:
            return frames
    snapshot = build_snapshot(ctx)
    return [snapshot], dict(snapshot["seq"])


def _replay(ctx: RoomContext, resume: dict) -> tuple[list[dict], dict] | None:
    """What a resuming client missed, or None if it needs a snapshot."""
    room = RoomState.objects.filter(pk=ctx.meeting.pk).first()
    user_seq = Participant.objects.values_list("stream_seq", flat=True).get(pk=ctx.participant_id)
    if room is not None and resume.get("epoch") == str(room.epoch):
        room_from, user_from = resume.get("room", -1), resume.get("user", -1)
        if 0 <= room_from <= room.seq and 0 <= user_from <= user_seq:
            room_events, own = events_after(
                ctx.meeting.pk, room_seq=room_from, user_id=ctx.user.pk, user_seq=user_from
            )
            if len(room_events) + len(own) <= MAX_REPLAY:
                positions = {
                    "room": max([room_from, *(e["seq"] for e in room_events)]),
                    "user": max([user_from, *(e["seq"] for e in own)]),
                }
                resumed = {
                    "type": "room.resumed",
                    "epoch": str(room.epoch),
                    "from": {"room": room_from, "user": user_from},
                    "replayed": len(room_events) + len(own),
                    "server_time": timezone.now().isoformat(),
                }
                current = [builder(ctx) for builder in AFTER_RESUME]
                return [resumed, *room_events, *own, *current], positions
    return None
