"""The written procedure (Council Rules of Procedure, Rule 3.2; DM-20/1004 Annex 1 §2).

Urgent decisions that cannot wait for the next physical meeting are taken by correspondence:
the secretariat, on the chair's instruction, circulates a proposal to every Council Member with
a deadline; each Council Member State replies agree, object or abstain; at the deadline the
result follows from the procedure's outcome rule (``WrittenProcedure.Rule``, computed in
``services.outcome``). Every reply and every change of a reply is kept (``WrittenReplyChange``),
so is every extension of the deadline (``WrittenDeadlineChange``) and every reply refused for
arriving late (``LateWrittenReply``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel


class WrittenProcedure(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for replies")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Rule(models.TextChoices):
        SILENCE = (
            "silence",
            _("Silence procedure: adopted unless a Council Member objects by the deadline"),
        )
        MAJORITY_OF_REPLIES = (
            "majority_of_replies",
            _("Majority of the replies: more agree than object (abstentions not counted)"),
        )
        MAJORITY_OF_MEMBERS = (
            "majority_of_members",
            _("Majority of the Council Members: more than half of them agree"),
        )

    class Result(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    event = models.ForeignKey(
        "council.Event", on_delete=models.CASCADE, related_name="written_procedures"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text of the proposal"))
    rule = models.CharField(
        _("outcome rule"), max_length=24, choices=Rule.choices, default=Rule.SILENCE
    )
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("related documents"),
        blank=True,
        related_name="written_procedures",
    )
    deadline = models.DateTimeField(_("deadline for replies"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The chair (or vice-chair) on whose instruction the secretariat runs the procedure.
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    instructed_at = models.DateTimeField(_("instructed at"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    launched_at = models.DateTimeField(_("launched"), null=True, blank=True)
    #: SHA-256 of the proposal as circulated (title, text, documents, attachments); see
    #: ``services.procedures.content_digest``. Also in the audit entry of the launch.
    content_sha256 = models.CharField(max_length=64, blank=True)
    #: The deadline the 24-hour reminder was sent for (a changed deadline is reminded again).
    reminded_for = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    #: Why (a code of ``services.outcome.Reason``) and the counts the result rests on.
    result_reason = models.CharField(max_length=24, blank=True)
    tally = models.JSONField(default=dict, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for the withdrawal"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("written procedure")
        verbose_name_plural = _("written procedures")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"], name="unique_written_procedure_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", kwargs={"event": self.event.slug, "number": self.number})

    @property
    def reference(self) -> str:
        """“WP 3”: how the procedure is cited in notices, exports and the audit log."""
        return f"WP {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def adopted(self) -> bool:
        return self.result == self.Result.ADOPTED


def attachment_upload_to(instance: WrittenProcedureAttachment, filename: str) -> str:
    procedure = instance.procedure
    return f"decisions/{procedure.event_id}/{procedure.pk}/{instance.sha256[:16]}.{instance.format}"


class WrittenProcedureAttachment(models.Model):
    """A PDF or DOCX circulated with the proposal (checked by content, as documents are)."""

    procedure = models.ForeignKey(
        WrittenProcedure, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=300)
    format = models.CharField(_("format"), max_length=5)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or f"{self.sha256[:12]}.{self.format}"


class ReplyChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    OBJECT = "object", _("Object")
    ABSTAIN = "abstain", _("Abstain")


class WrittenReply(models.Model):
    """The current reply of one Council Member State (the last one it gave before closing)."""

    Choice = ReplyChoice

    procedure = models.ForeignKey(
        WrittenProcedure, on_delete=models.CASCADE, related_name="replies"
    )
    entity = models.ForeignKey(
        "council.Entity", verbose_name=_("Member State"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("reply"), max_length=8, choices=ReplyChoice.choices)
    statement = models.TextField(_("statement"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied"))
    changes = models.PositiveIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("reply to a written procedure")
        verbose_name_plural = _("replies to written procedures")
        ordering = ["entity__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "entity"], name="one_written_reply_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.reference} {self.entity}: {self.choice}"


class WrittenReplyChange(models.Model):
    """Every reply and every change of a reply, in order (who, when, for which State)."""

    procedure = models.ForeignKey(
        WrittenProcedure, on_delete=models.CASCADE, related_name="reply_history"
    )
    entity = models.ForeignKey("council.Entity", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("reply"), max_length=8, choices=ReplyChoice.choices)
    statement = models.TextField(_("statement"), blank=True)
    previous_choice = models.CharField(
        _("previous reply"), max_length=8, choices=ReplyChoice.choices, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("reply history entry")
        verbose_name_plural = _("reply history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.procedure.reference} {self.entity}: {self.previous_choice}→{self.choice}"


class LateWrittenReply(models.Model):
    """A reply refused because the deadline had passed, kept so the text is not lost."""

    procedure = models.ForeignKey(
        WrittenProcedure, on_delete=models.CASCADE, related_name="late_replies"
    )
    entity = models.ForeignKey("council.Entity", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("reply"), max_length=8, choices=ReplyChoice.choices, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("late reply (refused)")
        verbose_name_plural = _("late replies (refused)")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.procedure.reference} {self.entity}: late {self.choice}"


class WrittenDeadlineChange(models.Model):
    """The deadline was extended before it passed (recorded with the reason)."""

    procedure = models.ForeignKey(
        WrittenProcedure, on_delete=models.CASCADE, related_name="deadline_changes"
    )
    previous = models.DateTimeField(_("previous deadline"))
    new = models.DateTimeField(_("new deadline"))
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        fmt = "%Y-%m-%d %H:%M"
        return f"{self.procedure.reference}: {self.previous:{fmt}} → {self.new:{fmt}}"
