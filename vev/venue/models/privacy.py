"""What each participant lets others see and do: visibility, do-not-disturb, blocks, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel
from vev.council.models import Event


class VenueProfile(TimeStampedModel):
    """One participant's venue settings for one event (defaults apply without a row)."""

    class Visibility(models.TextChoices):
        ALL = "all", _("Visible to everybody in the venue")
        DELEGATION = "delegation", _("Visible to my delegation only")
        HIDDEN = "hidden", _("Hidden")

    class InvitesFrom(models.TextChoices):
        ANYONE = "anyone", _("Anyone in the venue")
        DELEGATION = "delegation", _("My delegation only")
        NOBODY = "nobody", _("Nobody")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venue_profiles"
    )
    visibility = models.CharField(
        _("who sees me in the venue"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.ALL,
    )
    do_not_disturb = models.BooleanField(
        _("do not disturb"),
        default=False,
        help_text=_("Nobody can open a conversation with you or invite you to a side meeting."),
    )
    invites_from = models.CharField(
        _("who may invite me to side meetings"),
        max_length=10,
        choices=InvitesFrom.choices,
        default=InvitesFrom.ANYONE,
    )

    class Meta:
        verbose_name = _("venue settings")
        verbose_name_plural = _("venue settings")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_venue_profile_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class Block(models.Model):
    """``blocker`` blocked ``blocked``: neither sees nor contacts the other, in every event."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venue_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venue_blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_block"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="no_self_block"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} ⊘ {self.blocked}"


class Report(TimeStampedModel):
    """A participant reported another one's conduct to the secretariat."""

    class Reason(models.TextChoices):
        HARASSMENT = "harassment", _("Harassment or abuse")
        SPAM = "spam", _("Unwanted solicitation or spam")
        IMPERSONATION = "impersonation", _("Impersonation")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="venue_reports_made",
    )
    reported = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venue_reports"
    )
    reason = models.CharField(_("reason"), max_length=15, choices=Reason.choices)
    details = models.TextField(_("what happened"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reported} ({self.get_reason_display()})"
