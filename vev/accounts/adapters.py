from __future__ import annotations

import base64
import hashlib
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.conf import settings
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """No second password prompt for the first authenticator right after signing in.

        Roles that act in meetings must enrol a second factor before anything else; asking for
        the password again seconds after it was typed only adds friction. Any later change to
        authenticators (adding, removing, recovery codes) still asks for reauthentication.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        request = context.request
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or Authenticator.objects.filter(user=user).exists()
        ):
            return required
        records = get_authentication_records(request, user)
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        if records:
            last = records[-1]["at"]
        else:  # signing in right after sign-up records no method; last_login is set then
            last = user.last_login.timestamp() if user.last_login else 0
        return time.time() - last >= timeout

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        language = translation.get_language() or "en"
        user.preferred_language = "zh-hans" if language.startswith("zh") else language[:2]
        if commit:
            user.save()
        return user


class MFAAdapter(DefaultMFAAdapter):
    """Keeps authenticator secrets encrypted at rest (Fernet, key derived from SECRET_KEY)."""

    def _fernet(self) -> Fernet:
        digest = hashlib.sha256(b"vev.mfa.secrets:" + settings.SECRET_KEY.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._fernet().decrypt(encrypted_text.encode()).decode()
