"""What Council Members write about a document: clarification questions (groups 1 and 2) and
comments for the summary record (group 2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import Document


class Clarification(models.Model):
    """A question for clarification and the secretariat's answer, both published."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="clarifications")
    entity = models.ForeignKey(
        "council.Entity", verbose_name=_("Member State"), on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for clarification")
        verbose_name_plural = _("requests for clarification")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.document.symbol}: {self.question[:40]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class SummaryComment(models.Model):
    """A Member State's comment on a group 2 document, to be recorded in the summary record.

    One per State and document: filing again before the deadline replaces the text (the audit
    log keeps every version).
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    entity = models.ForeignKey(
        "council.Entity", verbose_name=_("Member State"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"))

    class Meta:
        verbose_name = _("comment for the summary record")
        verbose_name_plural = _("comments for the summary record")
        ordering = ["document", "entity__name"]
        constraints = [
            models.UniqueConstraint(fields=["document", "entity"], name="one_comment_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} – {self.entity}"


class CommentDraft(models.Model):
    """A comment being written: saved while typing, kept when a deadline or a limit refuses it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_drafts"
    )
    text = models.TextField(_("draft"), blank=True)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("comment draft")
        verbose_name_plural = _("comment drafts")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="one_draft_per_user")
        ]

    def __str__(self) -> str:
        return f"draft {self.document_id}/{self.user_id}"
