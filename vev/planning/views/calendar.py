"""Calendar subscriptions: personal feed addresses with a secret token, and its reset."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from vev.council.models import Event

from ..services import calendar as calendar_service
from .plan import ics_response


class CalendarSettingsView(LoginRequiredMixin, TemplateView):
    """Signed-in users: their feed addresses (all events, each event) and a reset button."""

    template_name = "planning/calendar.html"
    permission = None  # any signed-in user, for their own feeds only

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        token = calendar_service.feed_token(user).token
        context.update(
            all_url=calendar_service.absolute(
                reverse("planning:user_calendar", kwargs={"token": token})
            ),
            events=[
                (
                    event,
                    calendar_service.absolute(
                        reverse(
                            "planning:user_event_calendar",
                            kwargs={"token": token, "event": event.slug},
                        )
                    ),
                )
                for event in calendar_service.user_events(user)
            ],
        )
        return context


class CalendarResetView(LoginRequiredMixin, View):
    permission = None  # own account only

    def post(self, request, *args, **kwargs):
        calendar_service.reset_feed_token(request.user, request=request)
        messages.success(
            request,
            _("Your calendar addresses were changed; the old ones no longer work."),
        )
        return redirect("planning:calendar_settings")


class UserCalendarView(View):
    """A user's feed of every event they take part in; the token in the address is the key."""

    permission = None  # the secret token identifies the user; meetings filtered as for them

    def get(self, request, token, *args, **kwargs):
        user = calendar_service.user_for_token(token)
        if user is None:
            raise Http404
        events = calendar_service.user_events(user)
        # Calendar applications fetch the feed without the user's cookie: use their profile.
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = calendar_service.build_calendar(events, user, name=_("vev: my meetings"))
        return ics_response(body, "vev-meetings")


class UserEventCalendarView(View):
    """A user's feed of one event: public events, or events the user is registered for."""

    permission = None  # the secret token identifies the user; meetings filtered as for them

    def get(self, request, token, event, *args, **kwargs):
        user = calendar_service.user_for_token(token)
        if user is None:
            raise Http404
        event_obj = get_object_or_404(Event, slug=event)
        if not calendar_service.may_subscribe(user, event_obj):
            raise Http404
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = calendar_service.build_calendar([event_obj], user, name=event_obj.title)
        return ics_response(body, event_obj.slug)
