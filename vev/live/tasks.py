"""Background work of the live room (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.presence import sweep_all


@db_periodic_task(crontab(minute="*"))
def sweep_rooms() -> int:
    """Every minute: close connections of server processes that died and free expired seats,
    also in meetings no live process serves any more (each process's hub does it every 20 s
    for its own rooms)."""
    return sweep_all()
