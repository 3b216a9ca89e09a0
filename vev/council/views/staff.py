"""The secretariat gives and removes event functions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from ..errors import CouncilError
from ..forms import StaffAssignmentForm
from ..models import StaffAssignment
from ..permissions import EventPermissionMixin, Perm
from ..services import staff as staff_service


class StaffView(EventPermissionMixin, FormView):
    template_name = "council/staff.html"
    form_class = StaffAssignmentForm
    permission = Perm.STAFF_MANAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = self.event.staff.select_related("user", "entity")
        return context

    def form_valid(self, form):
        try:
            staff_service.assign(
                self.event,
                form.user,
                form.cleaned_data["function"],
                by=self.request.user,
                languages=form.cleaned_data["languages"],
                request=self.request,
            )
        except CouncilError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Function assigned."))
        return redirect("council:staff", event=self.event.slug)


class RemoveStaffView(EventPermissionMixin, View):
    permission = Perm.STAFF_MANAGE

    def post(self, request, *args, **kwargs):
        assignment = get_object_or_404(StaffAssignment, event=self.event, pk=kwargs["pk"])
        try:
            staff_service.unassign(assignment, by=request.user, request=request)
        except CouncilError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Function removed."))
        return redirect("council:staff", event=self.event.slug)
