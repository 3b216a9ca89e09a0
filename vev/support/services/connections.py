"""The connection log of a meeting's room for the technical console, and resetting one.

Every WebSocket of every participant (``live.Connection``): when it opened, when and why it
closed (left, dropped, removed, server lost, reset by a technician). Times are UTC; the console
shows them in the event's time zone and the viewer's.

A technician (or a moderator, or the secretariat: ``meeting.support``) may **reset** a
participant's connection when their page is stuck: every socket the participant has open to the
room is closed with code 4000 (``live.outbox.CLOSE_RECONNECT``), which the page answers by
reconnecting at once and resuming where it was (nothing missed, nothing doubled). The close is
logged with reason ``disconnected`` and the act audited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime.publish import send_to_channel_on_commit
from vev.council.models import Meeting
from vev.council.permissions import Perm, has_perm
from vev.live.errors import LiveError
from vev.live.models import Connection, Participant
from vev.live.outbox import CLOSE_RECONNECT
from vev.live.streams import lock_room

#: Newest connections shown (a 3-hour meeting of 300 participants stays well below).
LIMIT = 500


def connection_log(meeting: Meeting, user) -> list[dict]:
    if not has_perm(user, Perm.MEETING_SUPPORT, meeting.event):
        raise LiveError(
            _("Only technicians, moderators and the secretariat see the connection log."),
            code="denied",
        )
    rows = (
        Connection.objects.filter(participant__meeting=meeting)
        .select_related("participant__entity")
        .order_by("-opened_at", "-pk")[:LIMIT]
    )
    return [
        {
            "id": c.pk,
            "participant_id": c.participant_id,
            "name": c.participant.name,
            "entity": c.participant.entity.display_name if c.participant.entity else "",
            "opened_at": c.opened_at.isoformat(),
            "closed_at": c.closed_at.isoformat() if c.closed_at else None,
            "close_reason": c.close_reason,
            "close_code": c.close_code,
            "process": c.process,
        }
        for c in rows
    ]


def reset_connection(meeting: Meeting, by, participant_id: int, *, session_key: str = "") -> int:
    """Close every socket ``participant_id`` has open to the room, so that their page
    reconnects and resumes; returns how many. Audited as ``vev.live.connection.reset``."""
    if not has_perm(by, Perm.MEETING_SUPPORT, meeting.event):
        raise LiveError(
            _("Only technicians, moderators and the secretariat may reset a connection."),
            code="denied",
        )
    with transaction.atomic():
        lock_room(meeting.pk)
        participant = (
            Participant.objects.select_related("entity")
            .filter(meeting=meeting, pk=participant_id)
            .first()
        )
        if participant is None:
            raise LiveError(_("This participant is not in the room."))
        channels = list(
            Connection.objects.filter(participant=participant, closed_at__isnull=True)
            .order_by("pk")
            .values_list("channel_name", flat=True)
        )
        if not channels:
            raise LiveError(_("%(name)s is not connected right now.") % {"name": participant.label})
        log_action(
            "vev.live.connection.reset",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=participant,
            data={
                "meeting": meeting.code,
                "participant": participant.label,
                "connections": len(channels),
            },
        )
        # The socket logs its own close (reason ``disconnected``, code 4000) as it goes.
        message = {
            "type": "room.close",
            "reason": Connection.Reason.DISCONNECTED,
            "code": CLOSE_RECONNECT,
        }
        for channel in channels:
            send_to_channel_on_commit(channel, message)
    return len(channels)
