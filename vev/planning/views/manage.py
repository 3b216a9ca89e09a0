"""The secretariat's planning pages: agenda, computing, versions, publishing, approval."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from vev.core import plurals
from vev.council.models import AgendaItem
from vev.council.permissions import EventPermissionMixin, Perm, has_perm

from ..errors import PlanningError
from ..forms import AgendaItemForm, PlanForm, PlanningSettingsForm
from ..models import PlannedSlot, PlanVersion
from ..services import agenda as agenda_service
from ..services import planner, publishing, validation
from ..services.durations import default_minutes, item_minutes


class ManageView(EventPermissionMixin, TemplateView):
    template_name = "planning/manage.html"
    permission = Perm.AGENDA_MANAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.event
        items = list(
            event.agenda_items.select_related("committee", "pinned_meeting")
            .prefetch_related("must_follow", "documents")
            .order_by("position", "id")
        )
        on_agenda = [i for i in items if i.status == AgendaItem.Status.ON_AGENDA]
        context.update(
            rows=[
                {
                    "item": item,
                    "minutes": item_minutes(item),
                    "is_default": not item.estimated_minutes,
                    "default": default_minutes(item),
                }
                for item in items
            ],
            total_minutes=sum(item_minutes(i) for i in on_agenda),
            on_agenda_count=len(on_agenda),
            versions=event.plan_versions.select_related("created_by")[:20],
            current=event.plan_versions.filter(status=PlanVersion.Status.PUBLISHED).first(),
            plan_form=kwargs.get("plan_form") or PlanForm(initial={"keep_published": True}),
            settings_form=kwargs.get("settings_form")
            or PlanningSettingsForm(instance=planner.settings_for(event)),
            reasons=kwargs.get("reasons", []),
            reasons_title=kwargs.get("reasons_title", ""),
        )
        return context


class ComputeView(ManageView):
    """POST: compute a draft; on failure the page explains why, keeping what was typed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = PlanForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(plan_form=form), status=422)
        try:
            version = planner.compute_plan(
                self.event,
                by=request.user,
                keep_published=form.cleaned_data["keep_published"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except PlanningError as error:
            context = self.get_context_data(
                plan_form=form, reasons=error.reasons, reasons_title=str(error)
            )
            return self.render_to_response(context, status=422)
        messages.success(
            request,
            _("Draft version %(number)s computed: %(days)s.")
            % {"number": version.number, "days": plurals.meeting_days(version.day_count)},
        )
        return redirect("planning:version", event=self.event.slug, number=version.number)


class SettingsView(ManageView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = PlanningSettingsForm(request.POST, instance=planner.settings_for(self.event))
        if form.is_valid():
            try:
                agenda_service.update_settings(
                    self.event, by=request.user, data=form.cleaned_data, request=request
                )
            except PlanningError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Planning settings saved."))
                return redirect("planning:manage", event=self.event.slug)
        return self.render_to_response(self.get_context_data(settings_form=form), status=422)


def version_meetings(version: PlanVersion):
    return version.meetings.select_related("committee", "meeting").prefetch_related(
        Prefetch("slots", queryset=PlannedSlot.objects.select_related("item", "item__committee"))
    )


class VersionView(EventPermissionMixin, TemplateView):
    template_name = "planning/version.html"
    permission = Perm.AGENDA_MANAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = get_object_or_404(
            PlanVersion.objects.select_related("based_on", "created_by", "published_by"),
            event=self.event,
            number=kwargs["number"],
        )
        meetings = list(version_meetings(version))
        days: dict = {}
        for planned in meetings:
            days.setdefault(planned.day, []).append(planned)
        context.update(
            version=version,
            days=list(days.items()),
            changes=version.changes.all(),
            problems=validation.problems(version),
            can_approve=has_perm(self.request.user, Perm.PLAN_APPROVE, self.event),
            any_approved=self.event.plan_versions.filter(approved_at__isnull=False).exists(),
            stages=version.solver_stats.get("stages", []),
        )
        return context


class PublishView(EventPermissionMixin, View):
    permission = Perm.AGENDA_MANAGE

    def post(self, request, *args, **kwargs):
        version = get_object_or_404(PlanVersion, event=self.event, number=kwargs["number"])
        try:
            publishing.publish_version(version, by=request.user, request=request)
        except PlanningError as error:
            messages.error(request, " ".join([str(error), *error.reasons]))
            return redirect("planning:version", event=self.event.slug, number=version.number)
        messages.success(
            request,
            _("Version %(number)d is published: meetings and calendars are updated.")
            % {"number": version.number},
        )
        return redirect("planning:plan", event=self.event.slug)


class ApproveView(EventPermissionMixin, View):
    """Record that the opening plenary approved the current version."""

    permission = Perm.PLAN_APPROVE

    def post(self, request, *args, **kwargs):
        version = get_object_or_404(PlanVersion, event=self.event, number=kwargs["number"])
        try:
            publishing.approve_version(version, by=request.user, request=request)
        except PlanningError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Version %(number)d is recorded as approved by the opening plenary.")
                % {"number": version.number},
            )
        return redirect("planning:plan", event=self.event.slug)


class ItemFormView(EventPermissionMixin, TemplateView):
    """Add or edit an agenda item: estimate, constraints, status (defer, withdraw)."""

    template_name = "planning/item_form.html"
    permission = Perm.AGENDA_MANAGE

    def get_item(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(AgendaItem, event=self.event, pk=self.kwargs["pk"])

    def get_form(self, data=None):
        item = self.get_item()
        return AgendaItemForm(
            data,
            instance=item,
            event=self.event,
            default_minutes=default_minutes(item) if item else None,
            initial={} if item else {"status": AgendaItem.Status.ON_AGENDA},
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            must_follow = data.pop("must_follow")
            pinned = data.pop("pinned_meeting")
            try:
                item = agenda_service.save_item(
                    self.event,
                    self.get_item(),
                    by=request.user,
                    data=data,
                    must_follow=must_follow,
                    pinned_meeting=pinned,
                    request=request,
                )
            except PlanningError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(item)s saved. Compute the plan again to take it into account.")
                    % {"item": item.label},
                )
                return redirect("planning:manage", event=self.event.slug)
        return self.render_to_response(self.get_context_data(form=form), status=422)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.get_item()
        return context
