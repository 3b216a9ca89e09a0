"""Every channel-layer group name is built here, scoped by who may receive it."""

from __future__ import annotations


def user(user_id: int) -> str:
    """Events for one user (notifications, private messages)."""
    return f"user.{user_id}"


def event(event_id: int, audience: str = "participants") -> str:
    """Events about one event, for one audience: ``participants`` or ``secretariat``."""
    return f"event.{event_id}.{audience}"


def meeting(meeting_id: int, audience: str = "room") -> str:
    """Events of one meeting's live room, for one audience (``room``, ``presiding``, ``staff``)."""
    return f"meeting.{meeting_id}.{audience}"


def venue_space(space_id: int) -> str:
    """Presence, conversations and notices of one venue space (filtered per viewer)."""
    return f"venue.space.{space_id}"


def venue_user(event_id: int, user_id: int) -> str:
    """One participant's venue sockets in one event: privacy changes, signalling to them."""
    return f"venue.user.{event_id}.{user_id}"
