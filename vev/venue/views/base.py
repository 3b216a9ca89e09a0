"""Shared helpers of the venue views."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from vev.council.permissions import EventPermissionMixin

from ..errors import VenueError
from ..models import Sponsor, Venue


class VenueMixin(EventPermissionMixin):
    """Views of an event's venue; 404 when the event has none."""

    @cached_property
    def venue(self) -> Venue:
        venue = Venue.objects.filter(event=self.event).select_related("host_country").first()
        if venue is None:
            raise Http404
        return venue

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["venue"] = self.venue
        return context


def sponsors_by_level(event) -> list[Sponsor]:
    return sorted(Sponsor.objects.filter(event=event), key=lambda s: (s.rank, s.name))


class ServiceActionMixin:
    """POST-only views: call a service, show its error or success, go back."""

    success_message = ""

    def act(self, request):  # pragma: no cover - every subclass implements it
        raise NotImplementedError

    def next_url(self):  # pragma: no cover
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            result = self.act(request)
        except VenueError as error:
            messages.error(request, str(error))
        else:
            message = result if isinstance(result, str) else self.success_message
            if message:
                messages.success(request, message)
        return redirect(self.next_url())
