"""Tell a participant's open venue sockets that their privacy changed (after the commit).

These are server-internal notices: the venue consumer acts on them (re-reads the settings or
blocks, announces arrivals and departures as each viewer may see them) and does not forward
them to the browser. See docs/protocol/venue.md.
"""

from __future__ import annotations

from typing import Literal

from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.core.realtime.schema import BaseEvent


class SettingsChanged(BaseEvent):
    type: Literal["venue.settings_changed"] = "venue.settings_changed"
    user_id: int


class BlocksChanged(BaseEvent):
    type: Literal["venue.blocks_changed"] = "venue.blocks_changed"
    user_id: int


def settings_changed(event, user_id: int) -> None:
    publish_on_commit(groups.venue_user(event.pk, user_id), SettingsChanged(user_id=user_id))


def blocks_changed(user_ids: list[int]) -> None:
    from vev.council.models import Registration, StaffAssignment

    for user_id in user_ids:
        events = set(
            Registration.objects.filter(user_id=user_id).values_list("event_id", flat=True)
        ) | set(StaffAssignment.objects.filter(user_id=user_id).values_list("event_id", flat=True))
        for event_id in events:
            publish_on_commit(groups.venue_user(event_id, user_id), BlocksChanged(user_id=user_id))
