"""Shared helpers of the decisions views: who may do what, the procedure named in the URL."""

from __future__ import annotations

from functools import cached_property

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from vev.council.permissions import EventPermissionMixin, Perm, has_perm

from ..errors import DecisionsError
from ..models import WrittenProcedure
from ..services.access import acting_state

__all__ = ["DecisionsMixin", "EventTimeFormMixin", "ProcedureMixin"]


class EventTimeFormMixin:
    """Forms read and show times in the event's time zone.

    The template response is rendered inside the override too (it is lazy), so that initial
    values of datetime fields are shown in the event's zone, not in UTC. Put it after the event
    permission mixin in the bases, so that the event is loaded first.
    """

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(self.event.tz):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response


class DecisionsMixin(EventPermissionMixin):
    @cached_property
    def can_manage(self) -> bool:
        return has_perm(self.request.user, Perm.DECISIONS_MANAGE, self.event)

    @cached_property
    def can_monitor(self) -> bool:
        return has_perm(self.request.user, Perm.DECISIONS_MONITOR, self.event)

    @cached_property
    def state(self):
        """The Council Member State the user replies for, or None."""
        if not has_perm(self.request.user, Perm.DECISIONS_REPLY, self.event):
            return None
        try:
            return acting_state(self.request.user, self.event)
        except DecisionsError:
            return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(can_manage=self.can_manage, can_monitor=self.can_monitor, state=self.state)
        return context


class ProcedureMixin(DecisionsMixin):
    """Views of one procedure (``<int:number>`` in the URL). Drafts: the secretariat only."""

    @cached_property
    def procedure(self) -> WrittenProcedure:
        procedure = get_object_or_404(
            WrittenProcedure.objects.select_related(
                "event", "instructed_by", "launched_by", "drafted_by", "withdrawn_by"
            ),
            event=self.event,
            number=self.kwargs["number"],
        )
        if procedure.is_draft and not self.can_manage:
            raise Http404
        return procedure

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["procedure"] = self.procedure
        return context
