"""What vev remembers about each meeting's Janus rooms and recordings.

Janus keeps rooms in memory only. These rows hold the ids and secrets vev chose, so the same
rooms are recreated after a Janus restart and destroyed when the meeting ends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel


class MediaRoom(TimeStampedModel):
    """The Janus rooms of one meeting: floor, booths, webcast mountpoint and video room."""

    meeting = models.OneToOneField(
        "council.Meeting", on_delete=models.CASCADE, related_name="media_room"
    )
    floor_room = models.BigIntegerField(_("floor room (AudioBridge)"), unique=True)
    booth_rooms = models.JSONField(_("booth rooms by language"), default=dict)
    mountpoint = models.BigIntegerField(_("webcast mountpoint (Streaming)"), unique=True)
    video_room = models.BigIntegerField(_("video room (VideoRoom)"), unique=True)
    secret = models.CharField(max_length=64)
    languages = models.JSONField(_("interpretation languages"), default=list)
    #: mid → UDP port of the mountpoint (filled when created; changes after a Janus restart)
    stream_ports = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(_("rooms exist in Janus"), default=False)

    class Meta:
        verbose_name = _("media room")
        verbose_name_plural = _("media rooms")

    def __str__(self) -> str:
        return f"media of {self.meeting}"

    def booth_room(self, language: str) -> int:
        return int(self.booth_rooms[language])

    @property
    def mids(self) -> list[str]:
        return ["floor", *self.languages]


class Recording(TimeStampedModel):
    """One recording of a meeting: floor and booth mixes (.wav), video publishers (.mjr)."""

    meeting = models.ForeignKey(
        "council.Meeting", on_delete=models.CASCADE, related_name="recordings"
    )
    started_at = models.DateTimeField(_("started at"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    directory = models.CharField(_("directory"), max_length=500)
    #: channel ("floor", "fr", "video") → file name inside ``directory``
    files = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(stopped_at__isnull=True),
                name="one_running_recording_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"recording of {self.meeting} from {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None
