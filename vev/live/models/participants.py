"""Who is in a meeting's room, in which mode, and every connection with its times."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.council.models import Entity, Meeting


class Participant(models.Model):
    """A user admitted to a meeting's room (one row per meeting and user, kept after leaving).

    *Active* participants may speak and act (at most ``Event.active_capacity`` per meeting and
    ``Event.active_per_member_state`` per delegation); *passive* ones follow the webcast view.
    An active participant who drops keeps the seat for ``SEAT_GRACE_SECONDS``.
    """

    class Kind(models.TextChoices):
        MEMBER = "member", _("Council Member delegate")
        OBSERVER = "observer", _("Observer")
        STAFF = "staff", _("Staff")

    class Mode(models.TextChoices):
        ACTIVE = "active", _("Active")
        PASSIVE = "passive", _("Following the webcast")

    class Status(models.TextChoices):
        PRESENT = "present", _("In the room")
        AWAY = "away", _("Connection lost")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed by the chair")

    class PassiveReason(models.TextChoices):
        NONE = "", _("None")
        ROOM_FULL = "room_full", _("The room has reached its number of active participants.")
        DELEGATION_FULL = (
            "delegation_full",
            _("Your delegation already has its number of active participants."),
        )
        GAVE_SEAT = "gave_seat", _("You gave your seat to a member of your delegation.")
        SEAT_TAKEN = (
            "seat_taken",
            _("Your seat went to a member of your delegation while you were away."),
        )

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_participations"
    )
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    capacity = models.CharField(_("capacity"), max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: chair, vice-chair, moderator or secretariat: always heard, even under "mute all"
    presiding = models.BooleanField(default=False)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.PASSIVE)
    passive_reason = models.CharField(
        max_length=20, choices=PassiveReason.choices, blank=True, default=""
    )
    waiting_since = models.DateTimeField(
        null=True, blank=True, help_text="Passive and waiting for a seat of the delegation."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)
    muted = models.BooleanField(_("muted by the chair"), default=False)
    #: the chair opened their microphone: heard without holding the floor (vev.live.services.floor)
    mic_open = models.BooleanField(_("microphone opened by the chair"), default=False)
    first_joined_at = models.DateTimeField(auto_now_add=True)
    last_joined_at = models.DateTimeField(null=True, blank=True)
    last_left_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=300, blank=True)
    stream_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_participant_per_user")
        ]
        indexes = [models.Index(fields=["meeting", "mode", "status"])]

    def __str__(self) -> str:
        return f"{self.name} in {self.meeting}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.entity.display_name})" if self.entity else self.name


class Connection(models.Model):
    """One WebSocket of a participant: when it opened, when and why it closed.

    ``process`` names the server process that holds it; ``last_seen_at`` is refreshed by that
    process, so connections of a process that died are found and closed as lost.
    """

    class Reason(models.TextChoices):
        LEFT = "left", _("Left the meeting")
        DROPPED = "dropped", _("Connection dropped")
        REMOVED = "removed", _("Removed by the chair")
        SERVER_LOST = "server_lost", _("Server connection lost")
        DISCONNECTED = "disconnected", _("Disconnected by a technician")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="connections"
    )
    channel_name = models.CharField(max_length=200)
    process = models.CharField(max_length=120)
    opened_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=15, choices=Reason.choices, blank=True)
    close_code = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["opened_at"]
        indexes = [
            models.Index(fields=["participant", "closed_at"]),
            models.Index(fields=["process", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.opened_at:%H:%M:%S}"
