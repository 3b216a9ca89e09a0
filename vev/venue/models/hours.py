"""Daily opening hours, in the event's time zone, on the event's days."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpeningHours(models.Model):
    """Open every day of the event from ``opens_at`` to ``closes_at`` (event time zone)."""

    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(20, 0))

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("It must close after it opens.")})

    def hours_on(self, day, tz) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.opens_at, tzinfo=tz),
            datetime.combine(day, self.closes_at, tzinfo=tz),
        )

    def is_open_between(self, event, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies within one day's opening hours, on a day of the event."""
        tz = event.tz
        local_start = start.astimezone(tz)
        day = local_start.date()
        if day < event.first_day or day > event.last_day:
            return False
        opens, closes = self.hours_on(day, tz)
        return opens <= start and end <= closes

    def is_open_at(self, event, moment: datetime) -> bool:
        return self.is_open_between(event, moment, moment + timedelta(seconds=1))
