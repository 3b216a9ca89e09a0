"""Requests of Council Members about a document: discuss, defer, move to another group."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .documents import Document, DocumentGroup


class DocumentRequest(models.Model):
    class Kind(models.TextChoices):
        DISCUSS = "discuss", _("Discuss in the virtual session")
        DEFER = "defer", _("Defer to the next physical session")
        REGROUP = "regroup", _("Move to another group")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the secretariat's decision")
        APPLIED = "applied", _("Applied")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="requests")
    entity = models.ForeignKey(
        "council.Entity", verbose_name=_("Member State"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("request"), max_length=8, choices=Kind.choices)
    target_group = models.PositiveSmallIntegerField(
        _("to group"), choices=DocumentGroup.choices, null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("request about a document")
        verbose_name_plural = _("requests about documents")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.document.symbol} {self.entity}: {self.kind}"
