"""Deadlines of an event (DM-20/1004 Annex 2), extensions granted and reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Deadline(models.Model):
    class Kind(models.TextChoices):
        SECRETARIAT_DOCUMENTS = "secretariat_documents", _("Secretariat documents")
        CONSULTATION = "consultation", _("Replies to the consultation")
        SUBMISSIONS = (
            "submissions",
            _("Requests for clarification, comments, contributions and requests"),
        )

    event = models.ForeignKey("council.Event", on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("deadline for"), max_length=24, choices=Kind.choices)
    due_at = models.DateTimeField(_("due"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="one_deadline_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_at:%Y-%m-%d %H:%M} UTC)"


class DeadlineExtension(models.Model):
    """More time for one delegation, or for everybody (``entity`` empty)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    entity = models.ForeignKey(
        "council.Entity",
        verbose_name=_("delegation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Left empty, the extension applies to every delegation."),
    )
    until = models.DateTimeField(_("extended until"))
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["granted_at", "id"]

    def __str__(self) -> str:
        return f"{self.deadline}: {self.entity or '*'} until {self.until:%Y-%m-%d %H:%M} UTC"


class DeadlineReminder(models.Model):
    """A reminder sent ``lead_hours`` before a deadline; makes the periodic task idempotent."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    lead_hours = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "lead_hours"], name="one_reminder_per_lead_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline} −{self.lead_hours} h"
