"""The secretariat's venue pages: set-up of spaces, areas, exhibits, sponsors and robots;
join links per audience for meetings on external platforms; participation counts."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from vev.council.models import Meeting
from vev.council.permissions import EventPermissionMixin, Perm

from ..errors import VenueError
from ..forms import AreaForm, ExhibitForm, JoinLinkForm, RobotForm, SpaceForm, SponsorForm
from ..models import Area, Exhibit, MeetingJoinLink, Robot, Space, Sponsor, Venue
from ..services import analytics, setup

KINDS = {
    "space": (Space, SpaceForm, gettext_lazy("space"), ["background", "panorama_poster"]),
    "area": (Area, AreaForm, gettext_lazy("area"), []),
    "exhibit": (Exhibit, ExhibitForm, gettext_lazy("exhibit"), ["file"]),
    "sponsor": (Sponsor, SponsorForm, gettext_lazy("sponsor"), ["logo"]),
    "robot": (Robot, RobotForm, gettext_lazy("robot"), []),
}


def _queryset(kind: str, event):
    model = KINDS[kind][0]
    if model is Space:
        return Space.objects.filter(venue__event=event)
    if model in (Area, Exhibit):
        return model.objects.filter(space__venue__event=event)
    return model.objects.filter(event=event)


class ManageView(EventPermissionMixin, TemplateView):
    template_name = "venue/manage.html"
    permission = Perm.VENUE_MANAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            venue=Venue.objects.filter(event=self.event).first(),
            spaces=_queryset("space", self.event),
            areas=_queryset("area", self.event).select_related("space"),
            exhibits=_queryset("exhibit", self.event).select_related("space"),
            sponsors=_queryset("sponsor", self.event),
            robots=_queryset("robot", self.event),
            external_meetings=self.event.meetings.exclude(platform=Meeting.Platform.VEV),
        )
        return context

    def post(self, request, *args, **kwargs):
        setup.require_manage(request.user, self.event)
        setup.ensure_venue(self.event, by=request.user)
        messages.success(request, _("The venue is open. Add its spaces."))
        return redirect("venue:manage", event=self.event.slug)


class EditView(EventPermissionMixin, TemplateView):
    """Create or change one object of the venue (``kind`` in the address)."""

    template_name = "venue/manage_edit.html"
    permission = Perm.VENUE_MANAGE

    def setup_object(self):
        kind = self.kwargs["kind"]
        if kind not in KINDS:
            raise Http404
        model, form_class, label, file_fields = KINDS[kind]
        pk = self.kwargs.get("pk")
        if pk is None:
            venue = setup.ensure_venue(self.event, by=self.request.user)
            obj = model(venue=venue) if model is Space else model()
            if hasattr(obj, "event_id") and model is not Space:
                obj.event = self.event
        else:
            obj = get_object_or_404(_queryset(kind, self.event), pk=pk)
        return kind, obj, form_class, label, file_fields

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        kind, obj, form_class, label, _files = self.setup_object()
        context.update(
            kind=kind,
            obj=obj,
            label=label,
            form=form or form_class(instance=obj, event=self.event),
        )
        return context

    def post(self, request, *args, **kwargs):
        _kind, obj, form_class, _label, file_fields = self.setup_object()
        data = request.POST
        form = form_class(data, instance=obj, event=self.event)
        for name in file_fields:
            form.fields[name].required = False
        uploads = {name: request.FILES.get(name) for name in file_fields}
        if form.is_valid():
            obj = form.save(commit=False)  # files come through the service's checks
            try:
                setup.save(obj, by=request.user, event=self.event, uploads=uploads, request=request)
            except VenueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved."))
                return redirect("venue:manage", event=self.event.slug)
        return self.render_to_response(self.get_context_data(form=form), status=422)


class DeleteView(EventPermissionMixin, View):
    permission = Perm.VENUE_MANAGE

    def post(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in KINDS:
            raise Http404
        obj = get_object_or_404(_queryset(kind, self.event), pk=kwargs["pk"])
        try:
            setup.delete(obj, by=request.user, event=self.event, request=request)
        except VenueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Removed."))
        return redirect("venue:manage", event=self.event.slug)


class JoinLinksView(EventPermissionMixin, TemplateView):
    """Links of a meeting on an external platform, per audience."""

    template_name = "venue/join_links.html"
    permission = Perm.VENUE_MANAGE

    def meeting(self) -> Meeting:
        return get_object_or_404(Meeting, event=self.event, slug=self.kwargs["meeting"])

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting()
        context.update(
            meeting=meeting,
            links=meeting.join_links.all(),
            form=form or JoinLinkForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.meeting()
        if request.POST.get("remove"):
            link = get_object_or_404(MeetingJoinLink, meeting=meeting, pk=request.POST["remove"])
            setup.delete(link, by=request.user, event=self.event, request=request)
            messages.success(request, _("Link removed."))
            return redirect("venue:join_links", event=self.event.slug, meeting=meeting.slug)
        existing = meeting.join_links.filter(audience=request.POST.get("audience")).first()
        form = JoinLinkForm(request.POST, instance=existing or MeetingJoinLink(meeting=meeting))
        if form.is_valid():
            try:
                setup.save(form.save(commit=False), by=request.user, event=self.event)
            except VenueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Link saved."))
                return redirect("venue:join_links", event=self.event.slug, meeting=meeting.slug)
        return self.render_to_response(self.get_context_data(form=form), status=422)


class AnalyticsView(EventPermissionMixin, TemplateView):
    template_name = "venue/analytics.html"
    permission = Perm.VENUE_MANAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            spaces=analytics.space_report(self.event),
            meetings=analytics.meeting_report(self.event),
            side=analytics.side_meeting_report(self.event),
            regions=[label for _code, label in analytics.REGIONS],
            min_shown=analytics.MIN_SHOWN,
        )
        return context


class AnalyticsCsvView(EventPermissionMixin, View):
    permission = Perm.VENUE_MANAGE

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.event.slug}-venue-counts.csv"'
        )
        writer = csv.writer(response)
        regions = [label for _code, label in analytics.REGIONS]
        writer.writerow([_("What"), _("Name"), _("Total"), _("Peak at once"), *regions])
        for row in analytics.space_report(self.event):
            writer.writerow(
                [_("Space"), row["space"].name, row["arrivals"], row["peak"]]
                + [n for _label, n in row["by_region"]]
            )
        for row in analytics.meeting_report(self.event):
            writer.writerow(
                [_("Meeting: people who joined"), row["meeting"].code, row["joins"], ""]
                + [n for _label, n in row["by_region"]]
            )
            if row["room"]:
                writer.writerow(
                    [
                        _("Meeting: in vev's room"),
                        row["meeting"].code,
                        row["room"]["attended"],
                        row["room"]["peak"],
                    ]
                    + [n for _label, n in row["room"]["by_region"]]
                )
        return response
