"""The signed-in user's notification list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from . import services
from .models import Notification


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/list.html"
    permission = None  # any signed-in user, their own notifications only

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = Notification.objects.filter(user=self.request.user).select_related("event")
        context["page"] = Paginator(queryset, 50).get_page(self.request.GET.get("page"))
        return context


class MarkReadView(LoginRequiredMixin, View):
    """POST ``id`` (one) or nothing (all); then follow ``next`` (a local address) if given."""

    permission = None  # any signed-in user, their own notifications only

    def post(self, request, *args, **kwargs):
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
        if ids:
            services.mark_read(request.user, ids)
        else:
            services.mark_all_read(request.user)
            messages.success(request, _("All notifications are marked as read."))
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("notifications:list")
