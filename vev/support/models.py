"""Support tickets: a participant reports a problem from the meeting room; technicians solve it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vev.council.models import Entity, Event, Meeting

DESCRIPTION_MAX = 2000


class Ticket(models.Model):
    class Category(models.TextChoices):
        AUDIO = "audio", _("Sound or microphone")
        VIDEO = "video", _("Video or screen")
        INTERPRETATION = "interpretation", _("Interpretation")
        CONNECTION = "connection", _("Connection to the room")
        DOCUMENTS = "documents", _("Documents")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("support ticket status", "Open")
        TAKEN = "taken", _("Being handled")
        RESOLVED = "resolved", _("Resolved")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="support_tickets")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="support_tickets")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_tickets"
    )
    reporter_name = models.CharField(max_length=200)
    reporter_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    #: filled in automatically: the browser, the socket's state, the participant's connections
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    connection_state = models.CharField(_("connection state"), max_length=40, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets_taken",
    )
    assignee_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        ordering = ["event", "created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(fields=["meeting", "reporter"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} ({self.reporter_name})"
