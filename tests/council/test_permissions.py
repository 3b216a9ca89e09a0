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
