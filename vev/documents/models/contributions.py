"""Written contributions of Council Members on group 3 documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import Document, FileFormat

#: DM-20/1004 Annex 2, group 3: contributions "suggested at most 2 pages".
SUGGESTED_MAX_PAGES = 2


def contribution_upload_to(instance: Contribution, filename: str) -> str:
    document = instance.document
    return (
        f"contributions/{document.event_id}/{document.pk}/{instance.sha256[:16]}.{instance.format}"
    )


class Contribution(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="contributions")
    entity = models.ForeignKey(
        "council.Entity", verbose_name=_("Member State"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=contribution_upload_to, max_length=300)
    format = models.CharField(_("format"), max_length=5, choices=FileFormat.choices)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pages_estimated = models.BooleanField(_("page count estimated"), default=False)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["document", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.document.symbol} – {self.entity}: {self.title}"

    @property
    def over_suggested_length(self) -> bool:
        return (self.page_count or 0) > SUGGESTED_MAX_PAGES
