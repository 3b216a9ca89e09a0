"""Join links of a meeting on an external platform, per audience (panelists, interpreters…)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.council.models import Meeting


class MeetingJoinLink(models.Model):
    """A link for one audience; without one, the audience uses ``Meeting.join_url``.

    External platforms often give interpreters, speakers and listeners different links (an
    Interprefy interpreter console, a Zoom panelist link, a webcast page).
    """

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Councillors and advisers of Council Members")
        OBSERVERS = "observers", _("Observers")
        STAFF = "staff", _("Chair, secretariat and meeting staff")
        INTERPRETERS = "interpreters", _("Interpreters")
        CAPTIONERS = "captioners", _("Captioners")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="join_links")
    audience = models.CharField(_("for"), max_length=12, choices=Audience.choices)
    url = models.URLField(_("join link"), max_length=500)

    class Meta:
        verbose_name = _("join link")
        verbose_name_plural = _("join links")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "audience"], name="one_link_per_audience")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_audience_display()}"
