"""The consultation: each Council Member says keep or move for each document."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import Document


class ConsultationReply(models.Model):
    class Choice(models.TextChoices):
        KEEP = "keep", _("Keep on the virtual agenda")
        MOVE = "move", _("Move to the next physical session")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="consultation_replies"
    )
    entity = models.ForeignKey(
        "council.Entity", verbose_name=_("Member State"), on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField(_("reply"), max_length=4, choices=Choice.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("consultation reply")
        verbose_name_plural = _("consultation replies")
        constraints = [
            models.UniqueConstraint(fields=["document", "entity"], name="one_reply_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} {self.entity}: {self.choice}"
