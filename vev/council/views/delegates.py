"""Non-public pages of an event, for approved participants and staff."""

from __future__ import annotations

from django.views.generic import TemplateView

from ..models import CouncilMembership, Meeting, Registration
from ..permissions import EventPermissionMixin, Perm, can_see_meeting
from ..services.participants import representation, representations


class DelegateAreaView(EventPermissionMixin, TemplateView):
    """The event's private page: your delegation, meetings with join links, support."""

    template_name = "council/delegate_area.html"
    permission = Perm.EVENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            me=representation(user, self.event),
            registration=Registration.objects.filter(event=self.event, user=user)
            .select_related("entity")
            .first(),
            meetings=[
                m
                for m in self.event.meetings.exclude(status=Meeting.Status.CANCELLED)
                if can_see_meeting(user, m)
            ],
        )
        return context


class ParticipantsView(EventPermissionMixin, TemplateView):
    template_name = "council/participants.html"
    permission = Perm.PARTICIPANTS_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reps = representations(self.event)
        membership = dict(
            CouncilMembership.objects.filter(event=self.event).values_list("entity_id", "status")
        )
        by_entity: dict = {}
        staff = []
        for rep in sorted(reps.values(), key=lambda r: (r.entity.name if r.entity else "", r.name)):
            if rep.entity is not None and rep.entity.pk in membership:
                by_entity.setdefault(rep.entity, []).append(rep)
            else:
                staff.append(rep)
        context.update(
            delegations=[
                (entity, membership[entity.pk], people) for entity, people in by_entity.items()
            ],
            staff=staff,
            member_count=sum(
                1 for s in membership.values() if s == CouncilMembership.Status.MEMBER
            ),
        )
        return context
