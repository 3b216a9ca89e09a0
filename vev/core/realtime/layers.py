"""The in-process channel layer (without ``REDIS_URL``), cleaning up every few seconds.

Channels' ``InMemoryChannelLayer`` looks through every channel and every group membership for
expired messages on each ``receive`` and each ``group_send``. Each socket has a channel and
joins groups, so with a room of 2,300 sockets every room event walked about 5,000 entries
twice (the publisher's ``group_send`` and the room hub's ``receive``): a tenth of the server's
time in bench/live_room_latency.py, on the path from the commit to the sockets. Here the same
clean-up runs at most every ``CLEAN_INTERVAL`` seconds; messages still expire (60 s), at most
that much later.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

#: Seconds between two clean-ups of expired messages and group memberships.
CLEAN_INTERVAL = 5.0


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cleaned_at = float("-inf")

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_INTERVAL:
            return
        self._cleaned_at = now
        super()._clean_expired()
