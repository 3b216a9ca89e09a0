"""Background work of the venue (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import Robot
from .services import analytics, robots


@db_periodic_task(crontab(minute="*"))
def sweep_robots() -> int:
    """Every minute: end finished slots, mark missed check-ins, give free robots to the queue."""
    count = 0
    for robot in Robot.objects.filter(is_active=True):
        robots.sweep(robot)
        count += 1
    return count


@db_periodic_task(crontab(minute="7"))
def forget_join_marks() -> int:
    """Every hour: the “already counted” marks of meetings that are over go; counts stay."""
    return analytics.forget_join_marks()
