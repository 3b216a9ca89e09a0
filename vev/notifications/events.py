"""Real-time events of the notifications app (sent to ``groups.user(id)``)."""

from __future__ import annotations

from typing import Literal

from vev.core.realtime.schema import BaseEvent


class NotificationCreated(BaseEvent):
    type: Literal["notifications.created"] = "notifications.created"
    id: int
    title: str
    url: str
    unread: int
