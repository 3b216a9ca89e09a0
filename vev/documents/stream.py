"""Commands of the documents app on the event stream (see docs/protocol/event-stream.md)."""

from __future__ import annotations

from vev.council.permissions import Perm
from vev.council.stream import stream_command
from vev.notifications.services import unread_count

from .services.consultation import matrix


@stream_command("consultation.snapshot", permission=Perm.CONSULTATION_VIEW)
def consultation_snapshot(user, event, payload) -> dict:
    """The whole matrix, for a client that (re)connects and wants to be sure it is current."""
    data = matrix(event)
    return {
        "states": [{"id": s.pk, "name": s.display_name} for s in data.states],
        "rows": [
            {
                "document_id": row.document.pk,
                "symbol": row.document.symbol,
                "status": row.document.status,
                "keep": row.keep,
                "move": row.move,
                "cells": [c.choice if c else None for c in row.cells],
            }
            for row in data.rows
        ],
    }


@stream_command("notifications.unread", permission=Perm.EVENT_VIEW)
def notifications_unread(user, event, payload) -> dict:
    return {"unread": unread_count(user)}
