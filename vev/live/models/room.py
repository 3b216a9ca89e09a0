"""A meeting's live room: its state and the numbered events of its streams."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.council.models import AgendaAllocation, Meeting


class RoomState(models.Model):
    """The room of one meeting: moderation state, current item, and the room stream's counter.

    ``seq`` numbers the events of the room stream (every participant receives them). Services
    lock this row (``select_for_update``) for every act, so acts of one meeting are serialised
    and their events are numbered in commit order. ``epoch`` changes only if the room is
    created anew; a client's resume position is valid only within its epoch.
    """

    meeting = models.OneToOneField(
        Meeting, primary_key=True, on_delete=models.CASCADE, related_name="room"
    )
    epoch = models.UUIDField(default=uuid.uuid4, editable=False)
    seq = models.PositiveBigIntegerField(default=0)
    locked = models.BooleanField(_("room locked"), default=False)
    muted_all = models.BooleanField(_("everyone muted"), default=False)
    members_first = models.BooleanField(
        _("Council Members speak before observers"),
        default=True,
        help_text=_("The chair may lift this to take the list in the order hands were raised."),
    )
    speaking_time_seconds = models.PositiveIntegerField(
        _("speaking time (seconds)"), default=180, help_text=_("0: no limit.")
    )
    current_allocation = models.ForeignKey(
        AgendaAllocation,
        verbose_name=_("item under discussion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    floor = models.ForeignKey(
        "live.SpeakerRequest",
        verbose_name=_("has the floor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opening_summary = models.TextField(_("chair's summary of the previous meeting"), blank=True)
    opening_summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")

    def __str__(self) -> str:
        return f"room of {self.meeting}"


class RoomEvent(models.Model):
    """One event of a room stream, kept for resume and as raw material of the record.

    The room stream has ``recipient`` NULL; a participant's own stream (private messages,
    personal notices) has the recipient set and is numbered by ``Participant.stream_seq``.
    ``payload`` is the event exactly as sent on the wire (including ``stream`` and ``seq``).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="room_events")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=60)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("room event")
        verbose_name_plural = _("room events")
        ordering = ["meeting", "recipient", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seq"],
                condition=models.Q(recipient__isnull=True),
                name="unique_room_stream_seq",
            ),
            models.UniqueConstraint(
                fields=["meeting", "recipient", "seq"],
                condition=models.Q(recipient__isnull=False),
                name="unique_user_stream_seq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.seq} {self.type}"
