"""The list of speakers and the digital nameplate of a meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.council.models import AgendaAllocation, Entity, Meeting

from .participants import Participant


class SpeakerRequest(models.Model):
    """A request for the floor: a raised hand, a right of reply, or a raised nameplate.

    Points of order and procedural motions (the nameplate) come before the ordinary list, in
    the order of precedence of ``MOTION_PRECEDENCE`` (see docs/procedures.md); the ordinary list
    is kept in ``position`` order, which the chair may change.
    """

    class Kind(models.TextChoices):
        SPEAK = "speak", _("Request to speak")
        REPLY = "reply", _("Right of reply")
        POINT_OF_ORDER = "point_of_order", _("Point of order")
        MOTION = "motion", _("Procedural motion")

    class Motion(models.TextChoices):
        NONE = "", _("None")
        SUSPENSION = "suspension", _("Suspension of the meeting")
        ADJOURNMENT = "adjournment", _("Adjournment of the meeting")
        ADJOURN_DEBATE = "adjourn_debate", _("Adjournment of the debate on the question")
        CLOSURE = "closure", _("Closure of the debate on the question")
        LIMIT_TIME = "limit_time", _("Limitation of speaking time")
        CLOSE_LIST = "close_list", _("Closure of the list of speakers")
        OTHER = "other", _("Other procedural motion")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Has the floor")
        DONE = "done", _("Spoke")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISMISSED = "dismissed", _("Not taken")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speaker_requests")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="speaker_requests"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SPEAK)
    motion = models.CharField(max_length=20, choices=Motion.choices, blank=True, default="")
    note = models.CharField(_("what it is about"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    position = models.PositiveIntegerField(default=0)
    allocation = models.ForeignKey(
        AgendaAllocation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    floor_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(default=0)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ruling = models.CharField(_("the chair's ruling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("request for the floor")
        verbose_name_plural = _("requests for the floor")
        ordering = ["meeting", "requested_at"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.participant}"

    @property
    def is_nameplate(self) -> bool:
        return self.kind in (self.Kind.POINT_OF_ORDER, self.Kind.MOTION)


#: Order of precedence of the nameplate (ITU General Rules, the order of procedural motions;
#: DM-20/1004 Annex 4 names GR 96-107 among the rules the 2020 platform could not apply).
#: Equal ranks are taken in the order they were raised.
MOTION_PRECEDENCE = {
    (SpeakerRequest.Kind.POINT_OF_ORDER, ""): 0,
    (SpeakerRequest.Kind.MOTION, SpeakerRequest.Motion.SUSPENSION): 1,
    (SpeakerRequest.Kind.MOTION, SpeakerRequest.Motion.ADJOURNMENT): 2,
    (SpeakerRequest.Kind.MOTION, SpeakerRequest.Motion.ADJOURN_DEBATE): 3,
    (SpeakerRequest.Kind.MOTION, SpeakerRequest.Motion.CLOSURE): 4,
    (SpeakerRequest.Kind.MOTION, SpeakerRequest.Motion.LIMIT_TIME): 5,
    (SpeakerRequest.Kind.MOTION, SpeakerRequest.Motion.CLOSE_LIST): 5,
    (SpeakerRequest.Kind.MOTION, SpeakerRequest.Motion.OTHER): 5,
}
