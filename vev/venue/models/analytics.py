"""Counts for the secretariat, never who: arrivals and peak presence per space and hour,
people who joined each meeting, by ITU region. No user is referenced by any row.

To count each person once per meeting, :class:`MeetingJoinMark` keeps a keyed hash of
(meeting, user) — not the user — until the meeting is over, then it is deleted
(``services.analytics.forget_join_marks``) and only the counts remain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.council.models import Meeting

from .spaces import Space


class SpaceTally(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="tallies")
    hour = models.DateTimeField(_("hour (UTC)"))
    region = models.CharField(_("ITU region"), max_length=1, blank=True)  # "" = no region
    arrivals = models.PositiveIntegerField(default=0)
    #: Most people present at once in the space during the hour (all regions), kept on the
    #: row with region "".
    peak = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("space count")
        verbose_name_plural = _("space counts")
        constraints = [
            models.UniqueConstraint(fields=["space", "hour", "region"], name="one_tally_per_hour")
        ]

    def __str__(self) -> str:
        return f"{self.space} {self.hour:%Y-%m-%d %H}h {self.region}"


class MeetingJoinTally(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    region = models.CharField(_("ITU region"), max_length=1, blank=True)
    #: People of the region who used the join button for the meeting, each counted once.
    joins = models.PositiveIntegerField(_("people who joined"), default=0)

    class Meta:
        verbose_name = _("meeting join count")
        verbose_name_plural = _("meeting join counts")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "region"], name="one_join_tally_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.region}: {self.joins}"


class MeetingJoinMark(models.Model):
    """“Already counted” for one person and meeting, while the meeting runs: a keyed hash of
    the meeting and the user (``salted_hmac``), so the row does not name anybody; deleted once
    the meeting is over."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("meeting join mark")
        verbose_name_plural = _("meeting join marks")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key"], name="one_join_mark_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.key[:8]}"
