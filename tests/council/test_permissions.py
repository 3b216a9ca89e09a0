from tests import factories
from vev.accounts.policies import requires_mfa
from vev.council.permissions import ROLE_PERMISSIONS, Perm, Role, event_roles, has_perm


def test_acting_roles_count_only_with_a_second_factor(event, role_users):
    user = role_users["no_mfa_councillor"]
    assert requires_mfa(user)
    assert event_roles(user, event) == {Role.AUTHENTICATED}
    assert not has_perm(user, Perm.MEETING_ATTEND, event)


def test_roles_are_derived_from_registrations_and_functions(event, role_users):
    assert Role.COUNCILLOR in event_roles(role_users["councillor"], event)
    assert Role.OBSERVER in event_roles(role_users["observer"], event)
    assert {Role.HEAD_OF_DELEGATION, Role.FOCAL_POINT} <= event_roles(
        role_users["focal_point"], event
    )
    assert Role.INTERPRETER in event_roles(role_users["interpreter"], event)
    assert event_roles(None, event) == {Role.ANONYMOUS}


def test_roles_do_not_leak_between_events(event, role_users):
    other = factories.create_event("other-session")
    assert event_roles(role_users["councillor"], other) == {Role.AUTHENTICATED}


def test_pending_registrants_need_no_second_factor_yet(role_users):
    assert not requires_mfa(role_users["pending"])
    assert not requires_mfa(role_users["authenticated"])


def test_every_role_has_a_permission_set():
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert all(isinstance(p, Perm) for perms in ROLE_PERMISSIONS.values() for p in perms)


def test_only_approved_registrants_see_a_non_public_events_pages(db):
    """A pending, declined or withdrawn registration grants nothing on a non-public event."""
    from vev.council.models import Registration
    from vev.council.permissions import has_registration

    private = factories.create_event("private-session", is_public=False)
    users = factories.create_role_users(private)
    for status in ("rejected", "withdrawn"):
        user = factories.create_user(f"{status}@example.org", mfa=False)
        factories.register(user, private, factories.member_entity(private, 1), approved=False)
        Registration.objects.filter(user=user).update(status=status)
        users[status] = user
    for role in ("pending", "rejected", "withdrawn"):
        assert not has_perm(users[role], Perm.EVENT_VIEW_PUBLIC, private), role
        assert has_registration(users[role], private)  # the event page still admits them
    assert not has_perm(users["authenticated"], Perm.EVENT_VIEW_PUBLIC, private)
    assert not has_registration(users["authenticated"], private)
    for role in ("councillor", "observer", "adviser", "interpreter", "secretariat"):
        assert has_perm(users[role], Perm.EVENT_VIEW_PUBLIC, private), role
    public = factories.create_event("public-session")
    assert has_perm(users["pending"], Perm.EVENT_VIEW_PUBLIC, public)
    assert has_perm(None, Perm.EVENT_VIEW_PUBLIC, public)


def test_the_staff_functions_holding_a_permission_come_from_the_role_map():
    from vev.council.permissions import functions_with

    assert functions_with(Perm.VENUE_MODERATE) == ["secretariat", "moderator"]
    assert "technician" in functions_with(Perm.MEETING_SUPPORT)
    assert "captioner" not in functions_with(Perm.VENUE_MODERATE)
