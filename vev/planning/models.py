"""Plan versions of an event's time-management plan, their meetings and slots, the change log,
planning settings and calendar feed tokens.

A *plan version* is a complete plan: its planned meetings (day, committee, times) and the slots
(agenda items in running order with planned minutes). The planner creates drafts; publishing a
draft writes ``council.Meeting`` and ``council.AgendaAllocation`` rows (what the rest of vev
reads) and makes it the current version. Each version keeps the list of changes from the version
that was published when it was computed. The opening plenary approves one version.
"""

from __future__ import annotations

import secrets
from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel
from vev.council.models import AgendaItem, Committee, Event, Meeting


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class PlanningSettings(models.Model):
    """How an event is planned, beyond the event's dates and daily window."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="planning_settings")
    meeting_weekdays = models.JSONField(
        _("meeting days of the week"),
        default=default_weekdays,
        help_text=_("0 is Monday, 6 is Sunday."),
    )
    night_start = models.TimeField(_("night starts (local time)"), default=time(22, 0))
    night_end = models.TimeField(_("night ends (local time)"), default=time(7, 0))

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return f"{self.event}"


class PlanVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published (current)")
        SUPERSEDED = "superseded", _("Replaced by a later version")
        DISCARDED = "discarded", _("Discarded draft")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    note = models.CharField(_("reason for this version"), max_length=300, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("computed from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The version that was published when this one was computed."),
    )
    imported = models.BooleanField(
        _("recorded from the schedule"),
        default=False,
        help_text=_("The meetings as they were set up before the planner was first used."),
    )
    keep_published = models.BooleanField(_("kept the published meetings stable"), default=True)
    window_start = models.TimeField(_("daily window starts"))
    window_end = models.TimeField(_("daily window ends"))
    day_count = models.PositiveSmallIntegerField(_("meeting days"), default=0)
    solver_stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_in = models.ForeignKey(
        Meeting,
        verbose_name=_("approved in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["event", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_plan_version_number"),
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(status="published"),
                name="one_published_plan_per_event",
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(approved_at__isnull=False),
                name="one_approved_plan_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} – v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PlannedMeeting(models.Model):
    """A meeting in a plan version; ``meeting`` is the council meeting it is published as."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="meetings")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200, blank=True)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_opening = models.BooleanField(_("opening plenary"), default=False)
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    frozen = models.BooleanField(
        _("already held"),
        default=False,
        help_text=_("Held or under way when the version was computed; the planner left it."),
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("planned meeting")
        verbose_name_plural = _("planned meetings")
        ordering = ["starts_at", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def planned_minutes(self) -> int:
        return sum(slot.minutes for slot in self.slots.all())

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class PlannedSlot(models.Model):
    """An agenda item in a planned meeting, in running order."""

    planned_meeting = models.ForeignKey(
        PlannedMeeting, on_delete=models.CASCADE, related_name="slots"
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(_("planned minutes"))
    starts_at = models.DateTimeField(_("planned start"))

    class Meta:
        verbose_name = _("planned slot")
        verbose_name_plural = _("planned slots")
        ordering = ["planned_meeting__starts_at", "position"]

    def __str__(self) -> str:
        return f"{self.planned_meeting}: {self.item}"


class PlanChange(models.Model):
    """One line of a version's change log, against the version published before it."""

    class Kind(models.TextChoices):
        ITEM_ADDED = "item_added", _("Item added")
        ITEM_REMOVED = "item_removed", _("Item removed")
        ITEM_MOVED = "item_moved", _("Item moved")
        MEETING_ADDED = "meeting_added", _("Meeting added")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        MEETING_RETIMED = "meeting_retimed", _("Meeting time changed")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=600)  # item or meeting label, kept if it is deleted
    before = models.CharField(max_length=200, blank=True)  # e.g. "PL 2, 2020-06-10 12:00"
    after = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(TimeStampedModel):
    """The secret in a user's calendar feed addresses (calendar apps cannot sign in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user}"
