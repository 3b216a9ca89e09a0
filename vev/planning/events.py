"""Real-time events the planning app publishes (see docs/protocol/planning.md)."""

from __future__ import annotations

from typing import Literal

from vev.core.realtime.schema import BaseEvent


class PlanPublished(BaseEvent):
    """A plan version became the current plan; pages showing the schedule reload it."""

    type: Literal["plan.published"] = "plan.published"
    event_id: int
    version: int
    day_count: int
    changes: int


class PlanApproved(BaseEvent):
    type: Literal["plan.approved"] = "plan.approved"
    event_id: int
    version: int


class RunningOrderChanged(BaseEvent):
    """The order of a meeting's items changed (allocation ids in the new order)."""

    type: Literal["agenda.running_order_changed"] = "agenda.running_order_changed"
    meeting_id: int
    allocations: list[int]
