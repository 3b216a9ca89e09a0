"""Documents, their revisions, their language files and their status history.

A document belongs to an agenda item (``Document.agenda_item`` → ``council.AgendaItem``,
``item.documents``) and to one of the four groups of DM-20/1004 Annex 2 (``Document.group``).
The planner reads both: ``item.documents.filter(status="on_agenda")``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel


class DocumentGroup(models.IntegerChoices):
    """DM-20/1004 Annex 2: how Council handles a document."""

    NOTE = 1, _("Group 1: to be noted")
    APPROVE = 2, _("Group 2: to be approved")
    DISCUSS = 3, _("Group 3: for discussion")
    INFORMATION = 4, _("Group 4: for information")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


def _language_choices():
    from vev.council.models import OFFICIAL_LANGUAGES

    names = {
        "ar": _("Arabic"),
        "zh": _("Chinese"),
        "en": _("English"),
        "fr": _("French"),
        "ru": _("Russian"),
        "es": _("Spanish"),
    }
    return [(code, names[code]) for code in OFFICIAL_LANGUAGES]


LANGUAGE_CHOICES = _language_choices()


class Document(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet published")
        ON_AGENDA = "on_agenda", _("On the virtual agenda")
        MOVED = "moved", _("Moved to the next physical session")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey("council.Event", on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        "council.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    symbol = models.CharField(_("symbol"), max_length=40, help_text=_("For example “C20/37”."))
    title = models.CharField(_("title"), max_length=500)
    source = models.ForeignKey(
        "council.Entity",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Left empty, the document comes from the secretariat."),
    )
    group = models.PositiveSmallIntegerField(
        _("group"), choices=DocumentGroup.choices, default=DocumentGroup.INFORMATION
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    discuss_in_session = models.BooleanField(
        _("to be discussed in session"),
        default=False,
        help_text=_("A Council Member asked to discuss this group 1 or 2 document."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order under the agenda item"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["agenda_item__position", "position", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["event", "symbol"], name="unique_document_symbol"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"event": self.event.slug, "document": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def on_agenda(self) -> bool:
        return self.status == self.Status.ON_AGENDA

    def source_label(self) -> str:
        return self.source.display_name if self.source else str(_("Secretariat"))

    def current_revision(self):
        return self.revisions.order_by("-number").first()


class DocumentRevision(models.Model):
    """The original (number 0) and each revision, with its files in several languages."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"), default=0)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document revision")
        verbose_name_plural = _("document revisions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        symbol = self.document.symbol
        return symbol if self.number == 0 else f"{symbol}(Rev.{self.number})"


def document_upload_to(instance: DocumentFile, filename: str) -> str:
    document = instance.revision.document
    return (
        f"documents/{document.event_id}/{document.pk}/r{instance.revision.number}/"
        f"{instance.sha256[:16]}-{instance.language}.{instance.format}"
    )


class DocumentFile(models.Model):
    """One language version of one revision, as PDF or DOCX (checked by content)."""

    revision = models.ForeignKey(DocumentRevision, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    format = models.CharField(_("format"), max_length=5, choices=FileFormat.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pages_estimated = models.BooleanField(_("page count estimated"), default=False)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["revision", "language", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "language", "format"], name="one_file_per_language_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision.label} [{self.language}] {self.format}"


class DocumentStatusChange(models.Model):
    """The history of a document: published, moved, back on the agenda, regrouped…"""

    class Cause(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        CONSULTATION = "consultation", _("Consultation")
        REQUEST = "request", _("Request of a Council Member")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entity = models.ForeignKey(
        "council.Entity",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cause = models.CharField(_("cause"), max_length=14, choices=Cause.choices)
    status_from = models.CharField(max_length=12, choices=Document.Status.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=Document.Status.choices)
    group_from = models.PositiveSmallIntegerField(
        choices=DocumentGroup.choices, null=True, blank=True
    )
    group_to = models.PositiveSmallIntegerField(
        choices=DocumentGroup.choices, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document status change")
        verbose_name_plural = _("document status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document.symbol}: {self.status_from or '-'} → {self.status_to}"
