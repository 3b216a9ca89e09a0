"""Proposed conclusions, the chair's "any objection?" call, objections and every transition.

DM-20/1004 Annex 1 and Annex 4 (GR section 21, RoP 17-19): the virtual session reaches only
*proposed* conclusions; before one is reached the chair makes sure that no Council Member has a
formal and absolute objection; with one, the matter goes to the next physical meeting, to which
the proposed conclusions are forwarded for final decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.core.models import TimeStampedModel
from vev.council.models import AgendaItem, Entity, Event, Meeting


class ProposedConclusion(TimeStampedModel):
    class Kind(models.TextChoices):
        ITEM = "item", _("Proposed conclusion on an agenda item")
        PACKAGE_NOTE = "package_note", _("Documents noted en bloc (group 1 package)")
        PACKAGE_APPROVE = "package_approve", _("Documents approved en bloc (group 2 package)")
        ELECTION = "election", _("Election by acclamation")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CALLED = "called", _("Put to the meeting")
        AGREED = "agreed", _("Agreed (no objection)")
        DEFERRED = "deferred", _("Deferred to the next physical meeting")
        FORWARDED = "forwarded", _("Forwarded to the next physical meeting")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class DeferredBecause(models.TextChoices):
        NONE = "", _("Not deferred")
        OBJECTION = "objection", _("A Council Member objected")
        REQUEST = "request", _("A Council Member asked to defer the matter")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="conclusions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conclusions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ITEM)
    text = models.TextField(_("text of the proposed conclusion"))
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("documents"), blank=True, related_name="conclusions"
    )
    office = models.CharField(
        _("office (elections)"),
        max_length=20,
        blank=True,
        help_text=_("For an election: chair or vice_chair."),
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    number = models.PositiveIntegerField(
        _("number in the report"), null=True, blank=True, help_text=_("Given when agreed.")
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting where it was put"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conclusions",
    )
    call_seconds = models.PositiveIntegerField(
        _("length of the objection call (seconds)"), default=60
    )
    deferred_because = models.CharField(
        max_length=10, choices=DeferredBecause.choices, blank=True, default=""
    )
    absence_noted = models.JSONField(
        _("absent Council Members noted when recorded"), default=list, blank=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposed conclusion")
        verbose_name_plural = _("proposed conclusions")
        ordering = ["event", "number", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"],
                condition=models.Q(number__isnull=False),
                name="unique_conclusion_number",
            )
        ]

    def __str__(self) -> str:
        label = f"{self.agenda_item.code} " if self.agenda_item and self.agenda_item.code else ""
        return f"{label}{self.get_kind_display()}"


class ObjectionCall(models.Model):
    """One "any objection?" call of the chair on a proposed conclusion."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: any objection?")
        HELD = "held", _("Held: a Council Member is not connected")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("Not yet")
        AGREED = "agreed", _("No objection: agreed")
        AGREED_ABSENCE_NOTED = "agreed_absent", _("Agreed, the absence of Council Members noted")
        DEFERRED = "deferred", _("Objection: deferred")
        RECALLED = "recalled", _("Put to the meeting again")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    conclusion = models.ForeignKey(
        ProposedConclusion, on_delete=models.CASCADE, related_name="calls"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="objection_calls")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True, default="")
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the objection guard watches for lost connections from this time: the opening, or the
    #: chair's last "wait" on a held call (empty for calls opened before it existed: opened_at)
    watched_from = models.DateTimeField(null=True, blank=True)
    #: the objection guard's finding when the call ended without objection:
    #: {"absent": [State names], "dropped": [State names]}, and after the chair waited on a hold
    #: "waited": [{"absent": […], "dropped": […]}, …] (what each hold the chair waited on found)
    guard = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("objection call")
        verbose_name_plural = _("objection calls")
        ordering = ["opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(status__in=["open", "held"]),
                name="one_open_call_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.conclusion} @ {self.opened_at:%H:%M:%S}"


class Objection(models.Model):
    """A Council Member State's formal and absolute objection during a call."""

    call = models.ForeignKey(ObjectionCall, on_delete=models.CASCADE, related_name="objections")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason (optional)"), max_length=1000, blank=True)
    raised_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "entity"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_objection_per_state_and_call",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} objects to {self.call.conclusion}"


class ConclusionTransition(models.Model):
    """Every change of a conclusion's state, with who made it and when (the system: None)."""

    conclusion = models.ForeignKey(
        ProposedConclusion, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=10, choices=ProposedConclusion.State.choices)
    to_state = models.CharField(max_length=10, choices=ProposedConclusion.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name = _("change of a conclusion's state")
        verbose_name_plural = _("changes of conclusions' states")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.conclusion}: {self.from_state} → {self.to_state}"
