"""The summary record of each meeting: its versions, as the secretariat edits and publishes it.

The record is assembled from what the live room stored (``services.summary.assemble``); a
*version* is the text the secretariat saved, with the assembled data it was written from. The
published version is what the event's registrants read; later versions are drafts until
published in turn (docs/subsystems/records.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vev.core.models import TimeStampedModel
from vev.council.models import Meeting


class SummaryRecord(TimeStampedModel):
    """One meeting's summary record (created when the secretariat first saves a version)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", pgettext_lazy("summary record status", "Published")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="summary_record")
    #: draft while the current version is not the published one
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "records.SummaryRecordVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_version = models.ForeignKey(
        "records.SummaryRecordVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("summary record")
        verbose_name_plural = _("summary records")

    def __str__(self) -> str:
        return f"summary record of {self.meeting}"

    @property
    def current_number(self) -> int:
        return self.current_version.number if self.current_version_id else 0


class SummaryRecordVersion(models.Model):
    """A saved text of the record, numbered from 1; never changed once written."""

    record = models.ForeignKey(SummaryRecord, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text of the summary record"))
    #: the assembled record (``services.summary.assemble``) when this version was saved
    body = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note on this version"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("version of a summary record")
        verbose_name_plural = _("versions of summary records")
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="unique_record_version")
        ]

    def __str__(self) -> str:
        return f"{self.record} v{self.number}"
