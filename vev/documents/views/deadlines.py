"""Deadlines of the event: countdowns for everybody, setting and extending for the secretariat."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from vev.council.permissions import Perm

from ..errors import DocumentsError
from ..forms import DeadlineForm, ExtensionForm
from ..models import Deadline, DeadlineExtension
from ..services import deadlines
from .base import DocumentsMixin, EventTimeFormMixin


class DeadlinesView(DocumentsMixin, EventTimeFormMixin, TemplateView):
    template_name = "documents/deadlines.html"
    permission = Perm.EVENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deadlines"] = deadlines.deadlines_for(self.event, self.state)
        context["state"] = self.state
        if self.can_manage:
            context.update(
                deadline_form=kwargs.get("deadline_form") or DeadlineForm(),
                extension_form=kwargs.get("extension_form") or ExtensionForm(event=self.event),
                extensions=DeadlineExtension.objects.filter(deadline__event=self.event)
                .select_related("deadline", "entity", "granted_by")
                .order_by("-granted_at"),
                missing=[
                    label
                    for kind, label in Deadline.Kind.choices
                    if not Deadline.objects.filter(event=self.event, kind=kind).exists()
                ],
            )
        return context


class SetDeadlineView(DocumentsMixin, EventTimeFormMixin, View):
    permission = Perm.DOCUMENTS_MANAGE

    def post(self, request, *args, **kwargs):
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                deadlines.set_deadline(
                    self.event,
                    form.cleaned_data["kind"],
                    form.cleaned_data["due_at"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except DocumentsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Deadline saved."))
                return redirect("documents:deadlines", event=self.event.slug)
        view = DeadlinesView()
        view.setup(request, *args, **kwargs)
        view.event = self.event
        return view.render_to_response(view.get_context_data(deadline_form=form))


class GrantExtensionView(DocumentsMixin, EventTimeFormMixin, View):
    permission = Perm.DOCUMENTS_MANAGE

    def post(self, request, *args, **kwargs):
        form = ExtensionForm(request.POST, event=self.event)
        if form.is_valid():
            try:
                deadlines.grant_extension(
                    form.cleaned_data["deadline"],
                    until=form.cleaned_data["until"],
                    reason=form.cleaned_data["reason"],
                    entity=form.cleaned_data["entity"],
                    by=request.user,
                    request=request,
                )
            except DocumentsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Extension granted and recorded."))
                return redirect("documents:deadlines", event=self.event.slug)
        view = DeadlinesView()
        view.setup(request, *args, **kwargs)
        view.event = self.event
        return view.render_to_response(view.get_context_data(extension_form=form))
