from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from .forms import ProfileForm


class ProfileView(LoginRequiredMixin, UpdateView):
    """Signed-in users: name, language and time zone; their registrations are listed."""

    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")
    permission = None  # any signed-in user, for their own account only

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["time_zones"] = sorted(zoneinfo.available_timezones())
        context["registrations"] = self.request.user.registrations.select_related("event", "entity")
        context["assignments"] = self.request.user.staff_assignments.select_related("event")
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        translation.activate(form.instance.preferred_language)
        response.set_cookie("django_language", form.instance.preferred_language, samesite="Lax")
        messages.success(self.request, _("Your profile was saved."))
        return response
