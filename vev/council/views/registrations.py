"""Registering for an event and reviewing registrations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from ..errors import CouncilError
from ..forms import DecisionForm, RegistrationForm
from ..models import Registration
from ..permissions import EventPermissionMixin, Perm, has_perm
from ..services import registrations as registration_service


class RegisterView(LoginRequiredMixin, EventPermissionMixin, FormView):
    template_name = "council/register.html"
    form_class = RegistrationForm
    permission = Perm.EVENT_REGISTER

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registration"] = (
            Registration.objects.filter(event=self.event, user=self.request.user)
            .select_related("entity")
            .first()
        )
        return context

    def form_valid(self, form):
        try:
            registration_service.register(
                self.request.user,
                self.event,
                entity=form.cleaned_data["entity"],
                role=form.cleaned_data["role"],
                job_title=form.cleaned_data["job_title"],
                request=self.request,
            )
        except CouncilError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your registration was sent. You will receive an e-mail once it is decided."),
        )
        return redirect("council:register", event=self.event.slug)


class WithdrawRegistrationView(LoginRequiredMixin, EventPermissionMixin, View):
    permission = Perm.EVENT_REGISTER

    def post(self, request, *args, **kwargs):
        registration = get_object_or_404(Registration, event=self.event, user=request.user)
        registration_service.withdraw(registration, by=request.user, request=request)
        messages.success(request, _("Your registration was withdrawn."))
        return redirect("council:register", event=self.event.slug)


class RegistrationReviewView(EventPermissionMixin, TemplateView):
    """The secretariat sees every registration; a focal point those of their delegation."""

    template_name = "council/registration_review.html"
    permission = Perm.REGISTRATION_REVIEW_OWN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = Registration.objects.filter(event=self.event).select_related(
            "user", "entity", "decided_by"
        )
        if not has_perm(self.request.user, Perm.REGISTRATION_REVIEW, self.event):
            own = Registration.objects.filter(
                event=self.event,
                user=self.request.user,
                is_focal_point=True,
                status=Registration.Status.APPROVED,
            ).values_list("entity_id", flat=True)
            registrations = registrations.filter(entity_id__in=list(own))
        status = self.request.GET.get("status", "pending")
        if status in Registration.Status.values:
            registrations = registrations.filter(status=status)
        context.update(
            registrations=registrations.order_by("entity__name", "user__full_name"),
            status=status,
            statuses=Registration.Status.choices,
            form=DecisionForm(),
        )
        return context


class DecideRegistrationView(EventPermissionMixin, View):
    permission = Perm.REGISTRATION_REVIEW_OWN

    def post(self, request, *args, **kwargs):
        registration = get_object_or_404(Registration, event=self.event, pk=kwargs["pk"])
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to approve or decline."))
        else:
            try:
                registration_service.decide(
                    registration,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except CouncilError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Registration of %(name)s: %(status)s.")
                    % {
                        "name": registration.user.display_name,
                        "status": Registration.objects.get(pk=registration.pk).get_status_display(),
                    },
                )
        return redirect("council:registration_review", event=self.event.slug)
