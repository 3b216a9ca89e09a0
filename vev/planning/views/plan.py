"""The published plan: page, history of versions, PDF and the event's iCalendar feed."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from vev.council.models import AgendaAllocation, Meeting
from vev.council.permissions import EventPermissionMixin, Perm, can_see_meeting

from ..forms import valid_zone
from ..models import PlanVersion
from ..services import calendar as calendar_service
from ..services.pdf import render_pdf


def published_meetings(event, user):
    """The published meetings ``user`` may see, grouped by day: [(day, [meetings])]."""
    meetings = (
        event.meetings.exclude(status=Meeting.Status.CANCELLED)
        .select_related("committee")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=AgendaAllocation.objects.select_related("item").order_by("position"),
            )
        )
        .order_by("starts_at")
    )
    days: dict = {}
    for meeting in meetings:
        if can_see_meeting(user, meeting):
            days.setdefault(meeting.starts_at.astimezone(event.tz).date(), []).append(meeting)
    return list(days.items())


def _plan_context(event, user) -> dict:
    current = event.plan_versions.filter(status=PlanVersion.Status.PUBLISHED).first()
    approved = (
        event.plan_versions.filter(approved_at__isnull=False)
        .select_related("approved_by", "approved_in")
        .first()
    )
    return {
        "days": published_meetings(event, user),
        "current": current,
        "approved": approved,
        "changes": current.changes.all() if current else [],
    }


class PlanView(EventPermissionMixin, TemplateView):
    """The time-management plan as published, in the event's zone and the viewer's."""

    template_name = "planning/plan.html"
    permission = Perm.EVENT_VIEW_PUBLIC

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_plan_context(self.event, self.request.user))
        return context


class HistoryView(EventPermissionMixin, TemplateView):
    """Published versions of the plan with their change logs."""

    template_name = "planning/history.html"
    permission = Perm.EVENT_VIEW_PUBLIC

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = (
            self.event.plan_versions.exclude(
                status__in=[PlanVersion.Status.DRAFT, PlanVersion.Status.DISCARDED]
            )
            .select_related("published_by", "approved_by", "approved_in")
            .prefetch_related("changes")
        )
        return context


class PlanPdfView(EventPermissionMixin, View):
    """The plan as a PDF; ``?tz=Area/City`` (or the profile's zone) adds local times."""

    permission = Perm.EVENT_VIEW_PUBLIC

    def get(self, request, *args, **kwargs):
        user = request.user
        local_tz = valid_zone(request.GET.get("tz", "")) or (
            getattr(user, "time_zone", "") if user.is_authenticated else ""
        )
        if local_tz == self.event.time_zone:
            local_tz = ""
        context = {
            **_plan_context(self.event, user),
            "event": self.event,
            "local_tz": local_tz,
            "site_url": calendar_service.absolute(""),
        }
        html = render_to_string("planning/plan_pdf.html", context, request=request)
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{slugify(self.event.slug)}-plan.pdf"'
        return response


class EventCalendarView(EventPermissionMixin, View):
    """The event's feed, as the signed-in (or anonymous) visitor may see it."""

    permission = Perm.EVENT_VIEW_PUBLIC

    def get(self, request, *args, **kwargs):
        body = calendar_service.build_calendar([self.event], request.user, name=self.event.title)
        return ics_response(body, self.event.slug)


def ics_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slugify(name)}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
