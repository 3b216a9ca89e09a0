from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests import factories


def code_for_secret(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def sign_in(page, user, *, code_offset: int = 0) -> None:
    """Password, then (for users with an authenticator) the TOTP step."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if "/accounts/2fa/authenticate" in page.url:
        page.get_by_label("Code").fill(factories.totp_code(user, code_offset))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
