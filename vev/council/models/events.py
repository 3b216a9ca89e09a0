"""Events, who sits on Council for each, and their committees."""

from __future__ import annotations

import zoneinfo
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vev.accounts.models import validate_time_zone
from vev.core.models import TimeStampedModel

from .entities import Entity

OFFICIAL_LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]


def default_languages() -> list[str]:
    return list(OFFICIAL_LANGUAGES)


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        COUNCIL_SESSION = "council_session", _("Council session")
        REHEARSAL = "rehearsal", _("Rehearsal")
        INFORMAL_MEETING = "informal_meeting", _("Informal meeting")
        WORKING_GROUP = "working_group", _("Working group")
        SOCIAL = "social", _("Social event")

    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("For a rehearsal or informal meeting: the session it prepares."),
    )
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Zurich", validators=[validate_time_zone]
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    languages = models.JSONField(_("languages"), default=default_languages)
    daily_window_start = models.TimeField(_("daily meetings start"), default=time(12, 0))
    daily_window_end = models.TimeField(_("daily meetings end"), default=time(15, 0))
    active_capacity = models.PositiveIntegerField(_("active participants per meeting"), default=300)
    passive_capacity = models.PositiveIntegerField(
        _("passive participants per meeting"), default=2000
    )
    active_per_member_state = models.PositiveSmallIntegerField(
        _("active participants per Member State"), default=3
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Public events list their schedule and public meetings on the website."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    support_contact = models.CharField(_("support contact"), max_length=200, blank=True)
    secretariat = models.ForeignKey(
        Entity,
        verbose_name=_("secretariat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Entity.Kind.SECRETARIAT},
    )
    source = models.CharField(_("source of the data"), max_length=200, blank=True)
    date_shift_days = models.IntegerField(
        _("days shifted from the original dates"),
        default=0,
        help_text=_("Demo events are moved into the near future; this keeps the original."),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["first_day", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.last_day and self.first_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot be before the first day.")})
        if self.daily_window_end <= self.daily_window_start:
            raise ValidationError(
                {"daily_window_end": _("The daily window must end after it starts.")}
            )
        unknown = set(self.languages) - set(OFFICIAL_LANGUAGES)
        if unknown:
            raise ValidationError(
                {
                    "languages": _("Unknown language codes: %(codes)s")
                    % {"codes": ", ".join(sorted(unknown))}
                }
            )

    def get_absolute_url(self) -> str:
        return reverse("council:event_detail", kwargs={"event": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def support(self) -> str:
        return self.support_contact or settings.VEV_SUPPORT_CONTACT


class CouncilMembership(models.Model):
    """Whether an entity sits on Council (decides) or observes, for one event."""

    class Status(models.TextChoices):
        MEMBER = "member", _("Council Member")
        OBSERVER = "observer", _("Observer")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="memberships")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("Council membership")
        verbose_name_plural = _("Council memberships")
        constraints = [
            models.UniqueConstraint(fields=["event", "entity"], name="unique_membership_per_event")
        ]
        ordering = ["entity__name"]

    def __str__(self) -> str:
        return f"{self.entity} ({self.get_status_display()})"


class Committee(models.Model):
    """A body that meets within an event, e.g. the plenary (PL) or ADM."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="committees")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="unique_committee_code")
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
