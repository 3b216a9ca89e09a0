from django.urls import reverse

from tests import factories


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_password_then_totp(client, db):
    user = factories.create_user("two@example.org")
    response = login(client, user.email, factories.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code" in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code(user)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_repeated_failures_lock_the_account(client, db):
    user = factories.create_user("target@example.org")
    for _ in range(5):
        response = login(client, user.email, "wrong-password")
        assert "not correct" in response.content.decode()
    response = login(client, user.email, factories.PASSWORD)  # right password, still locked
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()


def test_a_role_that_acts_must_enrol_a_second_factor(client, event, role_users):
    login(client, role_users["no_mfa_councillor"].email, factories.PASSWORD)
    response = client.get(reverse("council:delegate_area", kwargs={"event": event.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_people_without_a_role_are_not_forced(client, role_users):
    client.force_login(role_users["authenticated"])
    assert client.get(reverse("home")).status_code == 200
