"""Helpers for service tests: put users in a room without sockets."""

from __future__ import annotations

from vev.live.models import Participant
from vev.live.services import presence


def enter(user, meeting, channel: str | None = None) -> Participant:
    admission = presence.admit(user, meeting, channel_name=channel or f"test.{user.pk}")
    return Participant.objects.get(pk=admission.participant_id)


def room_events(meeting, type_prefix: str = "") -> list[dict]:
    rows = meeting.room_events.filter(recipient__isnull=True).order_by("seq")
    return [r.payload for r in rows if r.type.startswith(type_prefix)]


def own_events(meeting, user) -> list[dict]:
    return [r.payload for r in meeting.room_events.filter(recipient=user).order_by("seq")]
