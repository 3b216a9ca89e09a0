"""The unified schedule (all the user's events) and the join button's redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from vev.council.models import Meeting
from vev.council.permissions import EventPermissionMixin, Perm, can_see_meeting
from vev.planning.services import calendar as planning_calendar

from ..services import schedule


class ScheduleView(LoginRequiredMixin, TemplateView):
    """One page for every meeting of every event the user takes part in, whatever platform."""

    template_name = "venue/schedule.html"
    permission = None  # any signed-in user, their own schedule only

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        show_past = self.request.GET.get("past") == "1"
        entries = schedule.schedule_for(user, include_past=show_past)
        days: dict = {}
        for entry in entries:
            day = entry.starts_at.astimezone(entry.event.tz).date()
            days.setdefault(day, []).append(entry)
        token = planning_calendar.feed_token(user).token
        context.update(
            days=sorted(days.items()),
            show_past=show_past,
            now=timezone.now(),
            opens_minutes=int(schedule.JOIN_OPENS_BEFORE.total_seconds() // 60),
            feed_url=planning_calendar.absolute(
                reverse("planning:user_calendar", kwargs={"token": token})
            ),
            events=schedule.user_events(user),
        )
        return context


class JoinView(EventPermissionMixin, View):
    """Sends the user where their role joins, while the meeting is open for joining (refused
    with the reason outside that window), and counts them (once, by region only)."""

    permission = Perm.MEETING_VIEW

    def get(self, request, *args, **kwargs):
        meeting = get_object_or_404(
            Meeting.objects.select_related("event"), event=self.event, slug=kwargs["meeting"]
        )
        if not can_see_meeting(request.user, meeting):
            raise Http404
        refusal = schedule.join_refusal(meeting)
        if refusal:
            messages.error(request, refusal)
            return redirect("venue:schedule")
        target = schedule.join_target(request.user, meeting)
        if schedule.may_attend(request.user, meeting):
            schedule.count_join(request.user, meeting)
        return redirect(target.url)
