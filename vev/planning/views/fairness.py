"""Time-zone fairness of the daily window: who meets at night, and better windows."""

from __future__ import annotations

from datetime import timedelta

from django.views.generic import TemplateView

from vev.council.permissions import EventPermissionMixin, Perm

from ..forms import FairnessForm
from ..services import fairness


class FairnessView(EventPermissionMixin, TemplateView):
    template_name = "planning/fairness.html"
    permission = Perm.EVENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.event
        initial = {"start": event.daily_window_start, "end": event.daily_window_end}
        form = FairnessForm(self.request.GET or None, initial=initial)
        start, end, members_only = event.daily_window_start, event.daily_window_end, False
        if self.request.GET:
            if form.is_valid():
                start, end = form.cleaned_data["start"], form.cleaned_data["end"]
                members_only = form.cleaned_data["members_only"]
            else:
                context.update(form=form, report=None)
                return context
        report = fairness.assess(event, start, end, members_only=members_only)
        original = None
        if event.date_shift_days:
            # A demo moved in time: the same window on the original dates (e.g. June 2020).
            shift = timedelta(days=event.date_shift_days)
            original = fairness.assess(
                event,
                start,
                end,
                members_only=members_only,
                days=[day - shift for day in fairness.meeting_days(event)],
            )
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        context.update(
            form=form,
            report=report,
            is_event_window=(start, end) == (event.daily_window_start, event.daily_window_end),
            suggestions=fairness.suggest(
                event, length, members_only=members_only, prefer=event.daily_window_start
            ),
            members_only=members_only,
            original=original,
        )
        return context
