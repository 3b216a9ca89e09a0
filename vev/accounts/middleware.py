"""Send users whose role requires two-factor authentication to enrol before anything else."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .policies import has_second_factor, requires_mfa

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/favicon", "/captions/")


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not getattr(request, "_vev_mfa_checked", False)
        ):
            request._vev_mfa_checked = True
            if requires_mfa(user) and not has_second_factor(user):
                messages.warning(
                    request,
                    _(
                        "Your role in an event requires two-factor authentication. "
                        "Set up an authenticator app to continue."
                    ),
                )
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return self.get_response(request)
