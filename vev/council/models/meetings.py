"""Meetings (sittings) of an event and the agenda items allocated to them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel

from .events import Committee, Event


class Meeting(TimeStampedModel):
    class Access(models.TextChoices):
        PUBLIC = "public", _("Public (webcast)")
        PRIVATE = "private", _("Registered participants only")
        CLOSED = "closed", _("Closed (Councillors and named staff only)")

    class Platform(models.TextChoices):
        VEV = "vev", _("vev meeting room")
        ZOOM = "zoom", "Zoom"
        WEBEX = "webex", "Webex"
        TEAMS = "teams", "Microsoft Teams"
        JITSI = "jitsi", "Jitsi Meet"
        INTERPREFY = "interprefy", "Interprefy"
        OTHER = "other", _("Other platform")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("In session")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    code = models.CharField(_("code"), max_length=30, help_text=_("For example “PL 1” or “ADM 2”."))
    slug = models.SlugField(_("short name in addresses"), max_length=40)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    platform = models.CharField(
        _("conferencing platform"), max_length=20, choices=Platform.choices, default=Platform.VEV
    )
    join_url = models.URLField(
        _("join link on the external platform"),
        blank=True,
        help_text=_("Only for meetings that do not run in vev's own room."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    #: RFC 5545 SEQUENCE: raised whenever the published time or status changes, so calendar
    #: applications replace their copy (set by ``planning.services.publishing``).
    calendar_sequence = models.PositiveIntegerField(_("calendar revision"), default=0)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="unique_meeting_slug"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.code) or "meeting"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting must end after it starts.")})
        if self.platform != self.Platform.VEV and not self.join_url:
            raise ValidationError(
                {"join_url": _("A meeting on an external platform needs its join link.")}
            )

    def get_absolute_url(self) -> str:
        return reverse(
            "council:meeting_detail", kwargs={"event": self.event.slug, "meeting": self.slug}
        )

    @property
    def is_closed(self) -> bool:
        return self.access == self.Access.CLOSED

    @property
    def is_public(self) -> bool:
        return self.access == self.Access.PUBLIC

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AgendaItem(TimeStampedModel):
    """An item of the event's agenda. Codes repeat (“ADM 16” covers two reports), ids do not."""

    class Kind(models.TextChoices):
        ITEM = "item", _("Agenda item")
        PROCEDURAL = "procedural", _("Procedural item")
        ELECTION = "election", _("Election")
        PACKAGE_NOTE = "package_note", _("Documents to be noted (group 1 package)")
        PACKAGE_APPROVE = "package_approve", _("Documents to be approved (group 2 package)")

    class Status(models.TextChoices):
        ON_AGENDA = "on_agenda", _("On the agenda")
        DEFERRED = "deferred", _("Moved to the next physical session")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    code = models.CharField(_("code"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ITEM)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    position = models.PositiveIntegerField(_("position on the agenda"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ON_AGENDA
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"),
        null=True,
        blank=True,
        help_text=_("Left empty, the planner uses the default for the item's kind."),
    )
    # Order constraints and pins read by the planner (vev.planning.services.solver).
    opens_session = models.BooleanField(
        _("part of the opening plenary"),
        default=False,
        help_text=_("Taken first, in the opening meeting on the first day."),
    )
    must_follow = models.ManyToManyField(
        "self",
        verbose_name=_("comes after"),
        symmetrical=False,
        blank=True,
        related_name="must_precede",
        help_text=_("Items that must be taken before this one."),
    )
    pinned_meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("fixed to meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pinned_items",
        help_text=_("The planner keeps this item in this meeting."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code and self.code != "-" else self.title

    @property
    def label(self) -> str:
        return str(self)


class AgendaAllocation(models.Model):
    """An agenda item taken in a meeting, in the chair's running order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="allocations")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="allocations")
    position = models.PositiveIntegerField(_("position in the meeting"), default=0)
    planned_minutes = models.PositiveIntegerField(
        _("planned duration (minutes)"), null=True, blank=True
    )
    #: Filled by the live room when the chair opens and closes the item (time used vs planned).
    started_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda allocation")
        verbose_name_plural = _("agenda allocations")
        ordering = ["meeting__starts_at", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "item"], name="unique_item_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.item}"

    @property
    def used_minutes(self) -> int | None:
        """Minutes the item took in the meeting, once the live room recorded start and end."""
        if self.started_at is None or self.ended_at is None:
            return None
        return max(0, round((self.ended_at - self.started_at).total_seconds() / 60))


class ClosedMeetingStaff(models.Model):
    """A staff member the secretariat named for a closed meeting (RoP 8: councillors only).

    Closed meetings admit the Councillors of Council Members, the presiding officers and the
    staff named here, each shown to everyone in the room by name and function.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="closed_staff")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="closed_meeting_admissions"
    )
    function = models.CharField(_("function in the meeting"), max_length=200)
    named_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff named for a closed meeting")
        verbose_name_plural = _("staff named for closed meetings")
        ordering = ["meeting", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_closed_meeting_staff")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.user} ({self.function})"
