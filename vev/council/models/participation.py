"""Who takes part in an event and in which capacity.

A *registration* is a delegate's request to attend as a member of a delegation (an entity),
approved by the secretariat or the delegation's focal point. A *staff assignment* gives an event
function (secretariat, chair, interpreter…) that is not a delegation role. Permissions are
derived from both in ``council.permissions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vev.core.models import TimeStampedModel

from .entities import Entity
from .events import Event


class Registration(TimeStampedModel):
    class Role(models.TextChoices):
        HEAD_OF_DELEGATION = "head", _("Head of delegation")
        COUNCILLOR = "councillor", _("Councillor")
        ADVISER = "adviser", _("Adviser")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("registration status", "Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("delegation"), on_delete=models.PROTECT, related_name="registrations"
    )
    role = models.CharField(_("role in the delegation"), max_length=12, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    is_focal_point = models.BooleanField(
        _("focal point of the delegation"),
        default=False,
        help_text=_("A focal point may approve the registrations of their own delegation."),
    )
    job_title = models.CharField(_("title or function"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["entity__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.entity} ({self.get_role_display()})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class StaffAssignment(TimeStampedModel):
    class Function(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-Chair")
        MODERATOR = "moderator", _("Moderator")
        INTERPRETER = "interpreter", _("Interpreter")
        CAPTIONER = "captioner", _("Captioner")
        TECHNICIAN = "technician", _("Technician")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments"
    )
    function = models.CharField(_("function"), max_length=12, choices=Function.choices)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("For interpreters: the booth language first, then other working languages."),
    )
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Left empty, the event's secretariat is shown."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        ordering = ["function", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user", "function"], name="one_assignment_per_function"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_function_display()}"
