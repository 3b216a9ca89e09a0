"""Live captions: the caption feed a provider posts to, and the transcript it builds.

A **caption feed** is the secret address (``CaptionFeed``) the secretariat gives to the
captioning provider (CART writer, StreamText, Zoom-compatible software). The provider posts
caption text to it as a stream, one ``seq`` after the other for the whole address, whatever
the language (the address's number is the highest ``CaptionStream.last_seq`` of its languages;
each ``CaptionStream`` keeps what arrived in one language; ``CaptionPost`` every post as
received).
The text becomes **lines** (``CaptionLine``): the transcript of the meeting per language, each
line aligned with the agenda item under discussion and who held the floor when it began.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.council.models import AgendaAllocation, Entity, Meeting


class CaptionFeed(models.Model):
    """One caption address of a meeting. At most one is active (not revoked) at a time.

    The address is signed (``services.captions.feed_url``): an HMAC over the meeting, this
    feed's ``nonce`` and the expiry, with a key derived from ``SECRET_KEY``. Rotating the
    address revokes this feed and creates a new one with a new nonce; revoking stops it.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="caption_feeds")
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    default_language = models.CharField(
        _("language when the provider names none"), max_length=8, default="en"
    )
    expires_at = models.DateTimeField(_("valid until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("caption feed")
        verbose_name_plural = _("caption feeds")
        ordering = ["meeting", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_caption_feed",
            )
        ]

    def __str__(self) -> str:
        return f"caption feed of {self.meeting} ({self.created_at:%Y-%m-%d %H:%M})"


class CaptionStream(models.Model):
    """One language of a feed: the ``seq`` of its last accepted post and what arrived (for the
    console). The feed's numbering is shared by its languages: its last ``seq`` is the highest
    ``last_seq`` of its streams (``services.captions.address_seq``)."""

    feed = models.ForeignKey(CaptionFeed, on_delete=models.CASCADE, related_name="streams")
    language = models.CharField(_("language"), max_length=8)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    posts = models.PositiveIntegerField(_("posts applied"), default=0)
    repeats = models.PositiveIntegerField(_("repeated posts ignored"), default=0)
    missing = models.PositiveIntegerField(_("sequence numbers skipped"), default=0)

    class Meta:
        verbose_name = _("caption stream")
        verbose_name_plural = _("caption streams")
        ordering = ["feed", "language"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "language"], name="one_stream_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.feed} [{self.language}] #{self.last_seq}"


class CaptionPost(models.Model):
    """A post as the provider sent it (the raw material, and the log of retries and gaps)."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REPEAT = "repeat", _("Repeat of an earlier post (ignored)")

    stream = models.ForeignKey(CaptionStream, on_delete=models.CASCADE, related_name="received")
    seq = models.PositiveBigIntegerField()
    received_at = models.DateTimeField(auto_now_add=True)
    provider_timestamp = models.CharField(max_length=64, blank=True)  # X-Timestamp as sent
    provider_at = models.DateTimeField(null=True, blank=True)  # …when it could be read
    body = models.TextField(blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    missing_before = models.PositiveIntegerField(default=0)  # seq numbers skipped before this

    class Meta:
        verbose_name = _("caption post")
        verbose_name_plural = _("caption posts")
        ordering = ["stream", "received_at", "pk"]
        indexes = [models.Index(fields=["stream", "seq"])]

    def __str__(self) -> str:
        return f"{self.stream} post {self.seq} ({self.outcome})"


class CaptionLine(models.Model):
    """A line of the transcript in one language, as it now stands.

    Lines end with a line break the provider sent (``hard_break``) or where vev wrapped a line
    that grew past ``services.captions.MAX_LINE_CHARS`` (a soft break). A backspace at the start
    of a line reopens the previous one (``final`` becomes false again). ``allocation`` is the
    agenda item under discussion and ``speaker`` the floor holder when the line began.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="caption_lines")
    language = models.CharField(_("language"), max_length=8)
    number = models.PositiveIntegerField(_("line number"))
    text = models.TextField(_("text"), blank=True)
    final = models.BooleanField(_("final"), default=False)
    hard_break = models.BooleanField(default=False)
    started_at = models.DateTimeField(_("started at"))
    updated_at = models.DateTimeField(_("last changed at"))
    finalized_at = models.DateTimeField(null=True, blank=True)
    provider_at = models.DateTimeField(null=True, blank=True)  # X-Timestamp of its first text
    allocation = models.ForeignKey(
        AgendaAllocation,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holding the floor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_request = models.ForeignKey(
        "live.SpeakerRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feed = models.ForeignKey(
        CaptionFeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("caption line")
        verbose_name_plural = _("caption lines")
        ordering = ["meeting", "language", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "language", "number"], name="unique_caption_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} [{self.language}] {self.number}: {self.text[:40]}"
