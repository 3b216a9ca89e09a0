"""A meeting's summary record: read (published: registrants; drafts: the secretariat), edit,
versions with their differences, publish."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from vev.council.models import Meeting
from vev.council.permissions import EventPermissionMixin, Perm, can_see_meeting, has_perm

from ..forms import SummaryRecordForm
from ..services import summary


class MeetingRecordMixin(EventPermissionMixin):
    permission = Perm.RECORDS_EDIT

    def dispatch(self, request, *args, **kwargs):
        self.meeting_slug = kwargs["meeting"]
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def meeting(self) -> Meeting:
        meeting = get_object_or_404(
            Meeting.objects.select_related("event"), event=self.event, slug=self.meeting_slug
        )
        if not can_see_meeting(self.request.user, meeting):
            raise PermissionDenied
        return meeting

    @cached_property
    def can_edit(self) -> bool:
        return has_perm(self.request.user, Perm.RECORDS_EDIT, self.event)

    @cached_property
    def record(self):
        return summary.record_of(self.meeting)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.meeting, record=self.record, can_edit=self.can_edit)
        return context


class SummaryRecordView(MeetingRecordMixin, TemplateView):
    """The published version for the event's registrants; the secretariat also sees the
    current draft and the record as the room assembles it."""

    permission = Perm.EVENT_VIEW
    template_name = "records/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.record
        context["published"] = record.published_version if record else None
        if self.can_edit:
            body = summary.assemble(self.meeting)
            assembled = summary.render_text(body)
            current = record.current_version if record else None
            context.update(
                current=current,
                assembled=assembled,
                body=body,
                unpublished=bool(current and record.published_version_id != current.pk),
            )
            if current is not None and current.body:
                changes = summary.diff(summary.render_text(current.body), assembled)
                context["room_changes"] = changes
        return context


class SummaryEditView(MeetingRecordMixin, TemplateView):
    template_name = "records/summary_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            text, base = summary.starting_text(self.meeting, self.record)
            context["form"] = SummaryRecordForm(initial={"text": text, "base_version": base})
        try:
            context["base_number"] = int(context["form"]["base_version"].value() or 0)
        except (TypeError, ValueError):
            context["base_number"] = 0
        return context

    def post(self, request, *args, **kwargs):
        form = SummaryRecordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = summary.save_version(
                    self.meeting,
                    request.user,
                    text=data["text"],
                    base_version=data["base_version"],
                    note=data["note"],
                    request=request,
                )
            except summary.RecordConflict as conflict:
                # keep the editor's text; the next save starts from the version now current
                form = SummaryRecordForm(
                    {**request.POST.dict(), "base_version": conflict.current.number}
                )
                form.is_valid()
                form.add_error(None, str(conflict))
                theirs = summary.diff(conflict.current.text, data["text"])
                context = self.get_context_data(form=form, conflict=conflict, theirs=theirs)
                return self.render_to_response(context, status=409)
            except summary.RecordError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Version %(n)s of the summary record is saved (not yet published).")
                    % {"n": version.number},
                )
                return redirect("records:summary", event=self.event.slug, meeting=self.meeting.slug)
        return self.render_to_response(self.get_context_data(form=form), status=422)


class SummaryPublishView(MeetingRecordMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            summary.publish(self.meeting, request.user, version=version, request=request)
        except summary.RecordError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Version %(n)s of the summary record is published to the event's participants.")
                % {"n": version},
            )
        return redirect("records:summary", event=self.event.slug, meeting=self.meeting.slug)


class SummaryVersionsView(MeetingRecordMixin, TemplateView):
    """Every version, and the differences between two of them (``?a=1&b=2``)."""

    template_name = "records/summary_versions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(self.record.versions.select_related("author")) if self.record else []
        context["versions"] = versions[::-1]
        by_number = {v.number: v for v in versions}
        if len(versions) >= 2:
            default_b = versions[-1].number
            default_a = versions[-2].number
        else:
            default_a = default_b = versions[-1].number if versions else 0
        try:
            a = int(self.request.GET.get("a", default_a))
            b = int(self.request.GET.get("b", default_b))
        except ValueError as error:
            raise Http404 from error
        if versions and (a not in by_number or b not in by_number):
            raise Http404
        if versions:
            context.update(
                a=by_number[a],
                b=by_number[b],
                changes=summary.diff(by_number[a].text, by_number[b].text),
            )
        return context
