"""The venue of an event, its spaces (each a 2D map) and the areas drawn on a map."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel
from vev.council.models import Entity, Event

from .hours import OpeningHours

#: Conversation bubbles carry audio/video browser to browser (a full mesh): each member sends
#: its stream to every other one, so the size stays small.
MAX_BUBBLE_CAPACITY = 12


def background_path(instance, filename: str) -> str:
    return f"venue/{instance.venue.event_id}/maps/{filename}"


def poster_path(instance, filename: str) -> str:
    return f"venue/{instance.venue.event_id}/panoramas/{filename}"


class Venue(TimeStampedModel):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="venue")
    name = models.CharField(_("name"), max_length=200)
    welcome = models.TextField(_("welcome text"), blank=True)
    host_country = models.ForeignKey(
        Entity,
        verbose_name=_("host country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("venue:home", kwargs={"event": self.event.slug})


class Space(TimeStampedModel):
    class Kind(models.TextChoices):
        LOBBY = "lobby", _("Lobby")
        LOUNGE = "lounge", _("Lounge")
        PAVILION = "pavilion", _("Host-country pavilion")
        SPONSOR = "sponsor", _("Sponsor space")
        CUSTOM = "custom", _("Other space")

    class StreamKind(models.TextChoices):
        NONE = "", _("No live view")
        HLS = "hls", _("HLS stream (.m3u8)")
        WHEP = "whep", _("WebRTC stream (WHEP endpoint)")
        VIDEO = "video", _("Video file or progressive stream")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="spaces")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CUSTOM)
    slug = models.SlugField(_("short name in addresses"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    background = models.FileField(
        _("map background"),
        upload_to=background_path,
        blank=True,
        help_text=_("SVG, PNG, JPEG or WebP, at most 5 MB."),
    )
    width = models.PositiveIntegerField(
        _("map width (map units)"),
        default=1200,
        validators=[MinValueValidator(200), MaxValueValidator(10000)],
    )
    height = models.PositiveIntegerField(
        _("map height (map units)"),
        default=800,
        validators=[MinValueValidator(200), MaxValueValidator(10000)],
    )
    proximity_radius = models.PositiveIntegerField(
        _("conversation distance (map units)"),
        default=80,
        validators=[MinValueValidator(20), MaxValueValidator(1000)],
        help_text=_("Moving this close to someone opens a conversation bubble."),
    )
    bubble_capacity = models.PositiveSmallIntegerField(
        _("people per conversation"),
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_BUBBLE_CAPACITY)],
    )
    sponsor = models.ForeignKey(
        "Sponsor",
        verbose_name=_("sponsored by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spaces",
    )
    host_entity = models.ForeignKey(
        Entity,
        verbose_name=_("country presented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For a host-country pavilion."),
    )
    stream_kind = models.CharField(
        _("360° live view"), max_length=8, choices=StreamKind.choices, blank=True
    )
    stream_url = models.URLField(
        _("360° stream address"),
        blank=True,
        max_length=500,
        help_text=_("An equirectangular 360° stream of the physical room."),
    )
    panorama_poster = models.FileField(
        _("360° still image"),
        upload_to=poster_path,
        blank=True,
        help_text=_("Equirectangular picture shown while the stream is not live."),
    )

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "slug"], name="unique_space_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.SPONSOR and not self.sponsor_id:
            raise ValidationError({"sponsor": _("A sponsor space needs its sponsor.")})
        if self.stream_kind and not self.stream_url:
            raise ValidationError({"stream_url": _("A live view needs the stream's address.")})
        if self.stream_url and not self.stream_kind:
            raise ValidationError({"stream_kind": _("Say what kind of stream this is.")})

    def get_absolute_url(self) -> str:
        return reverse("venue:space", kwargs={"event": self.venue.event.slug, "space": self.slug})

    @property
    def has_live_view(self) -> bool:
        return bool(self.stream_url or self.panorama_poster)


class Area(OpeningHours, TimeStampedModel):
    """A rectangle on a space's map: a labelled zone, a door to another space, a meeting room."""

    class Kind(models.TextChoices):
        ZONE = "zone", _("Zone")
        DOOR = "door", _("Door to another space")
        MEETING_ROOM = "room", _("Meeting room (bookable)")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.ZONE)
    name = models.CharField(_("name"), max_length=120)
    x = models.PositiveIntegerField(_("left (map units)"), default=0)
    y = models.PositiveIntegerField(_("top (map units)"), default=0)
    w = models.PositiveIntegerField(_("width (map units)"), default=200)
    h = models.PositiveIntegerField(_("height (map units)"), default=150)
    target = models.ForeignKey(
        Space,
        verbose_name=_("leads to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(
        _("seats"),
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_BUBBLE_CAPACITY)],
        help_text=_("Meeting rooms: most people in one side meeting."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["space", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.DOOR and self.target_id is None:
            raise ValidationError({"target": _("A door leads to another space.")})
        if self.space_id and (
            self.x + self.w > self.space.width or self.y + self.h > self.space.height
        ):
            raise ValidationError(_("The area must lie within the map."))

    @property
    def is_room(self) -> bool:
        return self.kind == self.Kind.MEETING_ROOM

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h
