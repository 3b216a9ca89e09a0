"""The chair's running order of a meeting: planned times, and time used once it runs."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView, View

from vev.council.models import AgendaAllocation, Meeting
from vev.council.permissions import EventPermissionMixin, Perm, can_see_meeting, has_perm

from ..errors import PlanningError
from ..services import agenda as agenda_service
from ..services.durations import item_minutes


class RunningOrderView(EventPermissionMixin, TemplateView):
    template_name = "planning/running_order.html"
    permission = Perm.MEETING_RUNNING_ORDER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(
            Meeting.objects.select_related("committee"), event=self.event, slug=kwargs["meeting"]
        )
        if not can_see_meeting(self.request.user, meeting):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        rows = []
        start = meeting.starts_at
        planned_total = used_total = 0
        for allocation in meeting.allocations.select_related("item").order_by("position", "id"):
            planned = allocation.planned_minutes or item_minutes(allocation.item)
            used = allocation.used_minutes
            rows.append(
                {
                    "allocation": allocation,
                    "planned": planned,
                    "planned_start": start,
                    "used": used,
                    "difference": None if used is None else used - planned,
                }
            )
            start += timedelta(minutes=planned)
            planned_total += planned
            used_total += used or 0
        context.update(
            meeting=meeting,
            rows=rows,
            planned_total=planned_total,
            used_total=used_total,
            any_used=any(row["used"] is not None for row in rows),
            window_minutes=meeting.duration_minutes,
            can_reorder=has_perm(self.request.user, Perm.AGENDA_MANAGE, self.event)
            and meeting.status not in (Meeting.Status.ENDED, Meeting.Status.CANCELLED),
        )
        return context


class MoveView(EventPermissionMixin, View):
    permission = Perm.AGENDA_MANAGE

    def post(self, request, *args, **kwargs):
        allocation = get_object_or_404(
            AgendaAllocation.objects.select_related("meeting"),
            meeting__event=self.event,
            meeting__slug=kwargs["meeting"],
            pk=kwargs["pk"],
        )
        offset = -1 if request.POST.get("direction") == "up" else 1
        try:
            agenda_service.move_allocation(
                allocation, by=request.user, offset=offset, request=request
            )
        except PlanningError as error:
            messages.error(request, str(error))
        url = redirect(
            "planning:running_order", event=self.event.slug, meeting=kwargs["meeting"]
        ).url
        return redirect(f"{url}#allocation-{allocation.pk}")
