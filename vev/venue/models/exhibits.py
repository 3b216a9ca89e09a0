"""Exhibits placed on a space's map, and the sponsors recognised in the venue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel
from vev.council.models import Event

from .hours import OpeningHours
from .spaces import Space


def exhibit_path(instance, filename: str) -> str:
    return f"venue/{instance.space.venue.event_id}/exhibits/{filename}"


def logo_path(instance, filename: str) -> str:
    return f"venue/{instance.event_id}/sponsors/{filename}"


class Sponsor(TimeStampedModel):
    class Level(models.TextChoices):
        PLATINUM = "platinum", _("Platinum")
        GOLD = "gold", _("Gold")
        SILVER = "silver", _("Silver")
        BRONZE = "bronze", _("Bronze")
        PARTNER = "partner", _("Partner")

    LEVEL_ORDER = ["platinum", "gold", "silver", "bronze", "partner"]

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sponsors")
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.PARTNER
    )
    logo = models.FileField(
        _("logo"), upload_to=logo_path, blank=True, help_text=_("SVG, PNG, JPEG or WebP.")
    )
    url = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def rank(self) -> int:
        return self.LEVEL_ORDER.index(self.level)


class Exhibit(OpeningHours, TimeStampedModel):
    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        SLIDES = "slides", _("Slides or PDF")
        LINK = "link", _("Link")
        INTERACTIVE = "interactive", _("Interactive content")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="exhibits")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    x = models.PositiveIntegerField(_("position left (map units)"), default=100)
    y = models.PositiveIntegerField(_("position top (map units)"), default=100)
    url = models.URLField(
        _("address"),
        blank=True,
        max_length=500,
        help_text=_("Video file, web page or interactive content."),
    )
    file = models.FileField(
        _("file"),
        upload_to=exhibit_path,
        blank=True,
        help_text=_("PDF slides (at most 30 MB) or a video (WebM or MP4, at most 200 MB)."),
    )
    file_format = models.CharField(max_length=8, blank=True, editable=False)
    sponsor = models.ForeignKey(
        Sponsor,
        verbose_name=_("sponsored by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exhibits",
    )

    class Meta:
        verbose_name = _("exhibit")
        verbose_name_plural = _("exhibits")
        ordering = ["space", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if not self.url and not self.file:
            raise ValidationError(_("An exhibit needs an address or a file."))

    def get_absolute_url(self) -> str:
        return reverse(
            "venue:exhibit",
            kwargs={"event": self.space.venue.event.slug, "pk": self.pk},
        )
