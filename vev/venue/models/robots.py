"""Telepresence robots in the physical venue, booked by remote delegates by time slot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel
from vev.council.models import Event

from .hours import OpeningHours


class Robot(OpeningHours, TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="robots")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("where it is, what it can do"), blank=True)
    control_url = models.URLField(
        _("control link"),
        max_length=500,
        help_text=_("Shown only to the delegate holding the robot at the moment."),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("telepresence robot")
        verbose_name_plural = _("telepresence robots")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("venue:robot", kwargs={"event": self.event.slug, "pk": self.pk})


class RobotBooking(TimeStampedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("In use")
        DONE = "done", _("Handed over")
        CANCELLED = "cancelled", _("Cancelled")
        MISSED = "missed", _("Not checked in")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN)

    robot = models.ForeignKey(Robot, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="robot_bookings"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    from_queue = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("robot booking")
        verbose_name_plural = _("robot bookings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="robot_booking_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.robot} – {self.user}"


class RobotQueueEntry(models.Model):
    """Waiting for a busy robot; the first in line gets it when the holder hands it over."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SERVED = "served", _("Got the robot")
        LEFT = "left", _("Left the queue")

    robot = models.ForeignKey(Robot, on_delete=models.CASCADE, related_name="queue")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="robot_queue_entries"
    )
    joined_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)

    class Meta:
        verbose_name = _("robot queue entry")
        verbose_name_plural = _("robot queue entries")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["robot", "user"],
                condition=models.Q(status="waiting"),
                name="one_waiting_entry_per_robot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} waiting for {self.robot}"
