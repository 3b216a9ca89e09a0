"""Side meetings: private meetings booked in a meeting room of a space, for invitees only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel
from vev.council.models import Event

from .spaces import Area


class SideMeeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class Origin(models.TextChoices):
        PLANNED = "planned", _("Planned")
        BUBBLE = "bubble", _("From a conversation")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="side_meetings")
    room = models.ForeignKey(
        Area,
        verbose_name=_("meeting room"),
        on_delete=models.PROTECT,
        related_name="side_meetings",
        limit_choices_to={"kind": Area.Kind.MEETING_ROOM},
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="side_meetings_organised"
    )
    title = models.CharField(_("subject"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.PLANNED)
    #: RFC 5545 SEQUENCE of the invitation, raised on every change.
    calendar_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("side meeting")
        verbose_name_plural = _("side meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="side_meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("venue:side_meeting", kwargs={"event": self.event.slug, "pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Invitation(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    side_meeting = models.ForeignKey(
        SideMeeting, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="side_meeting_invitations"
    )
    status = models.CharField(
        _("answer"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["side_meeting", "user"], name="one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.side_meeting}"
