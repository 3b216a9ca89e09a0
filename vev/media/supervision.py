"""Run the Janus instance of this installation (``vev media``, ``vev serve``)."""

from __future__ import annotations

import logging

from . import conf
from .janus.process import JanusSupervisor

logger = logging.getLogger(__name__)


def _restore() -> None:
    from django.db import close_old_connections

    from .services.rooms import restore_active_rooms

    try:
        count = restore_active_rooms()
    finally:
        close_old_connections()
    if count:
        logger.info("recreated the media rooms of %s meeting(s) in session", count)


def managed_supervisor() -> JanusSupervisor | None:
    """A supervisor when vev manages Janus here (installed, VEV_JANUS=auto), else None."""
    janus = conf.current()
    if janus.mode != "auto" or not janus.installed:
        return None
    return JanusSupervisor(janus, on_ready=_restore)
