"""Issue 2: register, be approved, enrol TOTP, sign out, sign in with a code, see the
private page; a wrong code is refused."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import code_for_secret, sign_in
from vev.council.models import Registration


def test_register_approve_enrol_totp_and_sign_in_again(new_page, event):
    secretariat = factories.create_user("secretariat@example.org", full_name="Sam Secretariat")
    factories.assign(secretariat, event, "secretariat")
    france = factories.member_entity(event, 0)

    delegate = new_page()
    delegate.goto("/accounts/signup/")
    delegate.get_by_label("Full name").fill("Claire Delegate")
    delegate.get_by_label("Email").fill("claire@example.org")
    delegate.get_by_label("Password:", exact=True).fill("correct horse battery staple")
    delegate.get_by_label("Password (again)").fill("correct horse battery staple")
    delegate.get_by_role("button", name="Sign Up").click()
    # E-mail verification by code.
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)
    delegate.get_by_label("Code").fill(code)
    delegate.get_by_role("button", name="Confirm").click()

    delegate.goto(f"/events/{event.slug}/")
    delegate.get_by_role("link", name="Register for this event").click()
    delegate.get_by_label("Delegation", exact=True).select_option(label=france.name)
    delegate.get_by_label("Role in the delegation").select_option(label="Councillor")
    delegate.get_by_role("button", name="Send registration").click()
    expect(delegate.get_by_text("Awaiting approval")).to_be_visible()
    refused = delegate.goto(f"/events/{event.slug}/delegates/")
    assert refused.status == 403
    expect(delegate.get_by_role("heading", name="Access refused")).to_be_visible()

    staff = new_page()
    sign_in(staff, secretariat)
    staff.goto(f"/events/{event.slug}/registrations/")
    staff.get_by_role("button", name="Approve Claire Delegate").click()
    expect(staff.get_by_text("Registration of Claire Delegate: Approved.")).to_be_visible()
    assert Registration.objects.get(user__email="claire@example.org").status == "approved"

    # Approved: the private page first asks for a second factor.
    delegate.goto(f"/events/{event.slug}/delegates/")
    expect(delegate).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = delegate.locator("#authenticator_secret").input_value()
    delegate.get_by_label("Authenticator code").fill(code_for_secret(secret))
    delegate.get_by_role("button", name="Activate").click()
    delegate.goto(f"/events/{event.slug}/delegates/")
    expect(delegate.get_by_role("heading", name="Delegates' area")).to_be_visible()

    delegate.get_by_role("button", name="Sign out").click()
    delegate.goto("/accounts/login/")
    delegate.get_by_label("Email").fill("claire@example.org")
    delegate.get_by_label("Password:", exact=True).fill("correct horse battery staple")
    delegate.get_by_role("button", name="Sign In").click()
    expect(delegate).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    delegate.get_by_label("Code").fill("000000")
    delegate.get_by_role("button", name="Sign In").click()
    expect(delegate.get_by_text("Incorrect code")).to_be_visible()
    delegate.get_by_label("Code").fill(code_for_secret(secret, offset=1))
    delegate.get_by_role("button", name="Sign In").click()
    delegate.goto(f"/events/{event.slug}/delegates/")
    expect(delegate.get_by_role("heading", name="Delegates' area")).to_be_visible()
    expect(delegate.locator(".signed-in-as")).to_have_text("Signed in as Claire Delegate (France)")
    expect(delegate.get_by_text("Claire Delegate", exact=True)).to_be_visible()
