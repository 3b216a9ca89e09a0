"""Proposed conclusions of a session: the list by agenda item with their history, and the
drafting acts of the secretariat and the presiding officers (the call is in the room)."""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from vev.council.models import AgendaItem, Entity
from vev.council.permissions import Perm, has_perm

from ..errors import DecisionsError
from ..models import ProposedConclusion
from ..services import conclusions
from .base import DecisionsMixin


class DraftForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label=gettext_lazy("Agenda item"), queryset=AgendaItem.objects.none()
    )
    text = forms.CharField(
        label=gettext_lazy("Text of the proposed conclusion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
    )
    call_seconds = forms.IntegerField(
        label=gettext_lazy("Length of the objection call (seconds)"),
        min_value=conclusions.MIN_CALL_SECONDS,
        max_value=conclusions.MAX_CALL_SECONDS,
        initial=60,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = event.agenda_items.filter(status="on_agenda")


class ElectionForm(forms.Form):
    office = forms.ChoiceField(
        label=gettext_lazy("Office"),
        choices=[("chair", gettext_lazy("Chair")), ("vice_chair", gettext_lazy("Vice-Chair"))],
    )
    candidate = forms.CharField(label=gettext_lazy("Candidate"), max_length=200)
    entity = forms.ModelChoiceField(
        label=gettext_lazy("Member State of the candidate"),
        queryset=Entity.objects.none(),
        required=False,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.filter(
            memberships__event=event, memberships__status="member"
        ).order_by("name")


class ConclusionsView(DecisionsMixin, TemplateView):
    """Every proposed conclusion of the session by agenda item, with its history."""

    template_name = "decisions/conclusions.html"
    permission = Perm.EVENT_VIEW

    @cached_property
    def can_draft(self) -> bool:
        return conclusions.may_draft(self.request.user, self.event)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = conclusions.visible_to(
            self.request.user,
            self.event,
            ProposedConclusion.objects.filter(event=self.event)
            .select_related("agenda_item", "meeting", "drafted_by")
            .prefetch_related("transitions__by", "calls__objections__entity", "documents")
            .order_by("agenda_item__position", "created_at"),
        )
        context.update(
            can_report=has_perm(self.request.user, Perm.RECORDS_EDIT, self.event),
            conclusions=rows,
            can_draft=self.can_draft,
            draft_form=kwargs.get("draft_form") or DraftForm(event=self.event),
            election_form=kwargs.get("election_form") or ElectionForm(event=self.event),
            agreed_count=sum(1 for c in rows if c.state == "agreed"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_draft:  # reading needs event.view; drafting more
            raise PermissionDenied
        action = request.POST.get("action", "")
        user = request.user
        try:
            if action == "draft":
                form = DraftForm(request.POST, event=self.event)
                if not form.is_valid():
                    return self._again(draft_form=form)
                conclusions.draft(
                    self.event,
                    user,
                    text=form.cleaned_data["text"],
                    agenda_item=form.cleaned_data["agenda_item"],
                    call_seconds=form.cleaned_data["call_seconds"],
                    request=request,
                )
                messages.success(request, _("The proposed conclusion was drafted."))
            elif action in ("package_1", "package_2"):
                conclusions.draft_package(self.event, user, group=int(action[-1]), request=request)
                messages.success(request, _("The package's proposed conclusion was drafted."))
            elif action == "election":
                form = ElectionForm(request.POST, event=self.event)
                if not form.is_valid():
                    return self._again(election_form=form)
                conclusions.draft_election(
                    self.event,
                    user,
                    office=form.cleaned_data["office"],
                    candidate=form.cleaned_data["candidate"],
                    entity=form.cleaned_data["entity"],
                    request=request,
                )
                messages.success(request, _("The election by acclamation was drafted."))
            elif action in ("edit", "withdraw", "defer"):
                conclusion = ProposedConclusion.objects.filter(
                    event=self.event, pk=request.POST.get("conclusion")
                ).first()
                if conclusion is None:
                    raise DecisionsError(_("There is no such proposed conclusion."))
                note = request.POST.get("note", "")[:1000]
                if action == "edit":
                    conclusions.edit(
                        conclusion, user, text=request.POST.get("text", ""), request=request
                    )
                elif action == "withdraw":
                    conclusions.withdraw(conclusion.pk, user, reason=note, request=request)
                else:
                    conclusions.defer_by_request(conclusion.pk, user, note=note, request=request)
                messages.success(request, _("Done."))
            elif action == "forward":
                count = conclusions.forward_agreed(self.event, user, request=request)
                messages.success(
                    request,
                    ngettext(
                        "%(n)d agreed conclusion was forwarded to the next physical meeting.",
                        "%(n)d agreed conclusions were forwarded to the next physical meeting.",
                        count,
                    )
                    % {"n": count},
                )
            else:
                raise DecisionsError(_("Choose what to do."))
        except DecisionsError as error:
            messages.error(request, str(error))
            return self._again(status=422)
        return redirect("decisions:conclusions", event=self.event.slug)

    def _again(self, status: int = 422, **forms_):
        response = self.render_to_response(self.get_context_data(**forms_))
        response.status_code = status
        return response
