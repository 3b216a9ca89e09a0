"""Background work of the decisions app (huey): periodic sweeps, idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.closing import close_overdue
from .services.reminders import send_due_reminders


@db_periodic_task(crontab(minute="*"))
def close_written_procedures() -> int:
    """Every minute: close the written procedures whose deadline has passed."""
    return len(close_overdue())


@db_periodic_task(crontab(minute="*/5"))
def remind_written_procedures() -> int:
    """Every five minutes: the 24-hour reminder to Council Members that have not replied."""
    return send_due_reminders()


@db_periodic_task(crontab(minute="*"))
def close_due_objection_calls() -> int:
    """Every minute: close objection calls whose time is up in meetings no server process
    serves (each process's room hub closes them on time; this is the safety net)."""
    from .services.conclusions import close_due_calls

    return len(close_due_calls())
