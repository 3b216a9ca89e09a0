"""The generation of a meeting's media state that lives in Janus, not in the database.

Which booths are on air and who shows video are Janus's state. The room reads them for
snapshots and for clients that resume, through a short cache in each server process
(``vev.live.commands.media.live_channels``). Whoever changes that state bumps the meeting's
generation, in Django's cache (Redis when several processes serve a meeting), *before* it
publishes the signal (``media.channel_state``, ``media.video``). A reader notes the generation
before it asks Janus and keeps its copy only while the generation is unchanged, so a client
that reconnects either gets a state read after the change or receives the signal itself (it
subscribed before reading): never a copy older than a signal it missed.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.cache import cache


def _key(meeting_id: int) -> str:
    return f"vev.media.generation.{meeting_id}"


def generation(meeting_id: int) -> int:
    return int(cache.get(_key(meeting_id), 0))


def bump(meeting_id: int) -> None:
    key = _key(meeting_id)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)


async def abump(meeting_id: int) -> None:
    await sync_to_async(bump, thread_sensitive=False)(meeting_id)
