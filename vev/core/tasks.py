"""Background work of the shared kernel (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .uploads import sweep_orphans


@db_periodic_task(crontab(minute="41"))
def sweep_orphan_uploads() -> int:
    """Every hour: remove stored files left by transactions rolled back after their upload."""
    return len(sweep_orphans())
