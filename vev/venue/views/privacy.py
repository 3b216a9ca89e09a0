"""A participant's privacy in the venue: settings, people (search, block, report), their data;
and the moderators' list of reports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from vev.council.permissions import Perm

from ..errors import VenueError
from ..forms import HandleReportForm, PrivacyForm, ReportForm
from ..models import Block, Report
from ..services import privacy
from .base import ServiceActionMixin, VenueMixin


class PrivacyView(VenueMixin, FormView):
    template_name = "venue/privacy.html"
    permission = Perm.VENUE_ENTER
    form_class = PrivacyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = privacy.profile(self.request.user, self.event)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocks"] = Block.objects.filter(blocker=self.request.user).select_related(
            "blocked"
        )
        return context

    def form_valid(self, form):
        try:
            privacy.update_settings(
                self.request.user,
                self.event,
                visibility=form.cleaned_data["visibility"],
                do_not_disturb=form.cleaned_data["do_not_disturb"],
                invites_from=form.cleaned_data["invites_from"],
            )
        except VenueError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Your venue settings were saved."))
        return redirect("venue:privacy", event=self.event.slug)


class PeopleView(VenueMixin, TemplateView):
    """Find a participant (as you may see them) to invite, block or report."""

    template_name = "venue/people.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")[:100]
        context.update(
            query=query,
            results=privacy.search(self.event, self.request.user, query) if query else [],
            blocked=set(
                Block.objects.filter(blocker=self.request.user).values_list("blocked_id", flat=True)
            ),
        )
        return context


class BlockView(VenueMixin, ServiceActionMixin, View):
    permission = Perm.VENUE_ENTER

    def act(self, request):
        privacy.block(request.user, self.event, self.kwargs["user"])
        return _("Blocked. You no longer see each other in the venue.")

    def next_url(self):
        return self.request.POST.get("next") or f"/events/{self.event.slug}/venue/privacy/"


class UnblockView(VenueMixin, ServiceActionMixin, View):
    permission = Perm.VENUE_ENTER

    def act(self, request):
        privacy.unblock(request.user, self.kwargs["user"])
        return _("Unblocked.")

    def next_url(self):
        return f"/events/{self.event.slug}/venue/privacy/"


class ReportView(VenueMixin, FormView):
    template_name = "venue/report.html"
    permission = Perm.VENUE_ENTER
    form_class = ReportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = privacy.personas(self.event, [self.kwargs["user"]])
        if self.kwargs["user"] not in people:
            raise Http404
        context["subject"] = people[self.kwargs["user"]]
        return context

    def form_valid(self, form):
        try:
            privacy.report(
                self.request.user,
                self.event,
                self.kwargs["user"],
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                request=self.request,
            )
        except VenueError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Thank you. The secretariat received your report and will act on it.")
        )
        return redirect("venue:home", event=self.event.slug)


class ExportView(VenueMixin, View):
    permission = Perm.VENUE_ENTER

    def get(self, request, *args, **kwargs):
        data = privacy.export_data(request.user, self.event)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="vev-venue-{self.event.slug}.json"'
        return response


class DeleteDataView(VenueMixin, View):
    permission = Perm.VENUE_ENTER

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that your venue data is erased."))
            return redirect("venue:privacy", event=self.event.slug)
        privacy.delete_data(request.user, self.event, request=request)
        messages.success(request, _("Your venue data for this event was erased."))
        return redirect("venue:privacy", event=self.event.slug)


class ReportsView(VenueMixin, TemplateView):
    template_name = "venue/reports.html"
    permission = Perm.VENUE_MODERATE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = Report.objects.filter(event=self.event).select_related(
            "reporter", "reported", "handled_by"
        )
        context["form"] = HandleReportForm()
        return context


class HandleReportView(VenueMixin, View):
    permission = Perm.VENUE_MODERATE

    def post(self, request, *args, **kwargs):
        row = get_object_or_404(Report, event=self.event, pk=kwargs["pk"])
        form = HandleReportForm(request.POST)
        try:
            if not form.is_valid():
                raise VenueError(_("Record what was done about the report."))
            privacy.handle_report(
                row, by=request.user, outcome=form.cleaned_data["outcome"], request=request
            )
        except VenueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report is marked as handled."))
        return redirect("venue:reports", event=self.event.slug)
