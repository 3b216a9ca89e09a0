import pytest
from django.core import mail

from tests import factories
from vev.core.audit import verify_chain
from vev.core.models import AuditEntry
from vev.council.errors import CouncilError
from vev.council.models import Registration
from vev.council.permissions import Perm, Role, event_roles, has_perm
from vev.council.services import registrations
from vev.notifications.models import Notification


def test_member_state_delegate_registers_and_is_approved(
    event, role_users, django_capture_on_commit_callbacks
):
    user = factories.create_user("new@example.org")
    entity = factories.member_entity(event, 2)
    registration = registrations.register(user, event, entity=entity, role="councillor")
    assert registration.status == Registration.Status.PENDING
    assert not has_perm(user, Perm.EVENT_VIEW, event)

    with django_capture_on_commit_callbacks(execute=True):
        registrations.decide(registration, by=role_users["secretariat"], approve=True)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    assert Role.COUNCILLOR in event_roles(user, event)
    assert has_perm(user, Perm.MEETING_DECIDE, event)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "approved" in mail.outbox[0].subject
    # The decision is also in the user's in-app list, the e-mail sent from it.
    notice = Notification.objects.get(user=user)
    assert notice.kind == "council.registration_approved" and notice.emailed_at is not None
    assert "as Councillor of Japan is approved" in notice.body
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions[-2:] == [
        "vev.council.registration.requested",
        "vev.council.registration.approved",
    ]
    assert verify_chain() == []


def test_observer_state_cannot_register_as_councillor(event):
    user = factories.create_user()
    with pytest.raises(CouncilError, match="not a Council Member"):
        registrations.register(
            user, event, entity=factories.observer_entity(event), role="councillor"
        )


def test_member_state_cannot_register_as_observer(event):
    with pytest.raises(CouncilError, match="is a Council Member"):
        registrations.register(
            factories.create_user(), event, entity=factories.member_entity(event), role="observer"
        )


def test_observers_do_not_decide(event, role_users):
    assert has_perm(role_users["observer"], Perm.MEETING_ATTEND, event)
    assert not has_perm(role_users["observer"], Perm.MEETING_DECIDE, event)
    assert not has_perm(role_users["adviser"], Perm.MEETING_DECIDE, event)
    assert has_perm(role_users["head_of_delegation"], Perm.MEETING_DECIDE, event)


def test_declining_needs_a_reason(event, role_users, django_capture_on_commit_callbacks):
    registration = Registration.objects.get(user=role_users["pending"])
    with pytest.raises(CouncilError, match="reason"):
        registrations.decide(registration, by=role_users["secretariat"], approve=False)
    with django_capture_on_commit_callbacks(execute=True):
        registrations.decide(
            registration,
            by=role_users["secretariat"],
            approve=False,
            note="Not accredited by the Member State",
        )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED
    assert "declined" in mail.outbox[-1].subject
    assert "Reason: Not accredited by the Member State" in mail.outbox[-1].body
    notice = Notification.objects.get(user=role_users["pending"])
    assert notice.kind == "council.registration_declined"
    assert "Not accredited by the Member State" in notice.body


def test_a_request_notifies_who_can_decide_it(
    event, role_users, django_capture_on_commit_callbacks
):
    """The secretariat and the focal point of the delegation, in the app and by e-mail."""
    other_focal_point = factories.create_user("focal-france@example.org")
    factories.register(
        other_focal_point, event, factories.member_entity(event, 0), focal_point=True
    )
    user = factories.create_user("kenyan@example.org", full_name="Amina Otieno")
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(
            user, event, entity=factories.member_entity(event, 1), role="adviser"
        )
    notified = Notification.objects.filter(kind="council.registration_requested")
    # Kenya's focal point and the secretariat; not France's focal point, not the registrant.
    assert {n.user for n in notified} == {role_users["focal_point"], role_users["secretariat"]}
    notice = notified.first()
    assert notice.title == "Registration to decide: Amina Otieno (Kenya)"
    assert "kenyan@example.org" in notice.body and "as Adviser of Kenya" in notice.body
    assert notice.url == f"/events/{event.slug}/registrations/"
    assert sorted(m.to[0] for m in mail.outbox) == ["focal@example.org", "secretariat@example.org"]


def test_a_registration_is_decided_once(event, role_users):
    registration = Registration.objects.get(user=role_users["pending"])
    registrations.decide(registration, by=role_users["secretariat"], approve=True)
    with pytest.raises(CouncilError, match="already decided"):
        registrations.decide(registration, by=role_users["secretariat"], approve=True)


def test_focal_point_approves_own_delegation_only(event, role_users):
    own = Registration.objects.get(user=role_users["pending"])  # member 1 = focal point's
    registrations.decide(own, by=role_users["focal_point"], approve=True)
    stranger = factories.register(
        factories.create_user(), event, factories.member_entity(event, 0), approved=False
    )
    with pytest.raises(CouncilError, match="may not decide"):
        registrations.decide(stranger, by=role_users["focal_point"], approve=True)


def test_nobody_decides_their_own_registration(event, role_users):
    own = factories.register(
        factories.create_user(), event, factories.member_entity(event, 1), approved=False
    )
    with pytest.raises(CouncilError):
        registrations.decide(own, by=own.user, approve=True)


def test_closed_registration_refuses(event):
    event.registration_open = False
    event.save()
    with pytest.raises(CouncilError, match="closed"):
        registrations.register(
            factories.create_user(), event, entity=factories.member_entity(event), role="councillor"
        )


def test_declined_user_may_register_again(event, role_users):
    registration = Registration.objects.get(user=role_users["pending"])
    registrations.decide(registration, by=role_users["secretariat"], approve=False, note="typo")
    again = registrations.register(
        role_users["pending"], event, entity=factories.member_entity(event, 1), role="adviser"
    )
    assert again.pk == registration.pk
    assert again.status == Registration.Status.PENDING
    with pytest.raises(CouncilError, match="already registered"):
        registrations.register(
            role_users["pending"], event, entity=factories.member_entity(event, 1), role="adviser"
        )
