"""Background work of the documents app (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.reminders import send_due_reminders


@db_periodic_task(crontab(minute="*/10"))
def remind_deadlines() -> int:
    """Every 10 minutes: send the deadline reminders that are due (idempotent)."""
    return send_due_reminders()
