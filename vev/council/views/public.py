"""Pages anyone may see: the list of events, an event's public page, a meeting's page."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from ..models import AgendaAllocation, Event, Meeting, Registration
from ..permissions import (
    EventPermissionMixin,
    Perm,
    can_see_meeting,
    has_perm,
    has_registration,
)


class HomeView(TemplateView):
    """Public: upcoming and current events, the next one with its meetings."""

    template_name = "council/home.html"
    permission = None  # public page (role matrix: everyone gets 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = Q(is_public=True)
        if user.is_authenticated:
            visible |= Q(registrations__user=user) | Q(staff__user=user)
        events = list(
            Event.objects.filter(visible).distinct().select_related("parent").order_by("first_day")
        )
        today = timezone.localdate()
        upcoming = [e for e in events if e.last_day >= today]
        featured = next((e for e in upcoming if e.kind == Event.Kind.COUNCIL_SESSION), None) or (
            upcoming[0] if upcoming else None
        )
        meetings = []
        if featured is not None:
            meetings = [
                m
                for m in featured.meetings.exclude(status=Meeting.Status.CANCELLED).select_related(
                    "committee"
                )
                if can_see_meeting(user, m)
            ]
        registrations = {}
        if user.is_authenticated:
            registrations = {
                r.event_id: r
                for r in Registration.objects.filter(user=user).select_related("entity")
            }
        context.update(
            events=upcoming,
            past_events=[e for e in events if e.last_day < today],
            featured=featured,
            meetings=meetings,
            registrations=registrations,
        )
        return context


class EventDetailView(EventPermissionMixin, TemplateView):
    """An event's page. A non-public event's page also admits whoever registered for it, so a
    pending or declined registrant sees where their registration stands; what else it shows
    (meetings, links) is filtered by the viewer's permissions as for anyone."""

    template_name = "council/event_detail.html"
    permission = Perm.EVENT_VIEW_PUBLIC

    def permitted(self, user) -> bool:
        return super().permitted(user) or has_registration(user, self.event)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meetings = [
            m
            for m in self.event.meetings.exclude(status=Meeting.Status.CANCELLED)
            .select_related("committee")
            .prefetch_related(
                Prefetch("allocations", queryset=AgendaAllocation.objects.select_related("item"))
            )
            if can_see_meeting(user, m)
        ]
        registration = None
        if user.is_authenticated:
            registration = (
                Registration.objects.filter(event=self.event, user=user)
                .select_related("entity")
                .first()
            )
        context.update(
            meetings=meetings,
            registration=registration,
            can_view_private=has_perm(user, Perm.EVENT_VIEW, self.event),
            # distinct(): the join on registrations repeats a public child once per registration.
            children=(
                self.event.children.filter(is_public=True)
                | self.event.children.filter(registrations__user_id=user.pk or 0)
            ).distinct(),
        )
        return context


class MeetingDetailView(EventPermissionMixin, TemplateView):
    """A meeting's page: public meetings to anyone, closed ones to those admitted."""

    template_name = "council/meeting_detail.html"
    permission = Perm.EVENT_VIEW_PUBLIC

    def get(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("committee", "event"),
            event=self.event,
            slug=kwargs["meeting"],
        )
        if not can_see_meeting(request.user, self.meeting):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            meeting=self.meeting,
            allocations=self.meeting.allocations.select_related("item"),
            can_attend=has_perm(
                self.request.user,
                Perm.MEETING_ATTEND_CLOSED if self.meeting.is_closed else Perm.MEETING_ATTEND,
                self.event,
            ),
        )
        return context
