"""Registering for an event and deciding registrations."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vev.core.audit import log_action
from vev.notifications.services import notify

from ..errors import CouncilError
from ..models import Entity, Event, Registration, StaffAssignment
from ..permissions import Perm, forget_roles, has_perm, is_council_member

MEMBER_ROLES = {
    Registration.Role.HEAD_OF_DELEGATION,
    Registration.Role.COUNCILLOR,
    Registration.Role.ADVISER,
}


def allowed_roles(event: Event, entity: Entity) -> set[str]:
    """Delegates of Council Members are heads, councillors or advisers; all others observe."""
    if is_council_member(event, entity.pk):
        return set(MEMBER_ROLES)
    return {Registration.Role.OBSERVER}


def check_role_fits_entity(event: Event, entity: Entity, role: str) -> None:
    if entity.kind == Entity.Kind.SECRETARIAT:
        raise CouncilError(_("The secretariat is not a delegation; ask for a staff function."))
    if role not in allowed_roles(event, entity):
        if is_council_member(event, entity.pk):
            raise CouncilError(
                _(
                    "%(entity)s is a Council Member: register as head of delegation, councillor "
                    "or adviser."
                )
                % {"entity": entity.display_name}
            )
        raise CouncilError(
            _(
                "%(entity)s is not a Council Member in this session: its delegates register "
                "as observers."
            )
            % {"entity": entity.display_name}
        )


@transaction.atomic
def register(
    user, event: Event, *, entity: Entity, role: str, job_title: str = "", request=None
) -> Registration:
    """Ask to take part in ``event`` for ``entity``; a declined request may be made again."""
    if not event.registration_open:
        raise CouncilError(_("Registration for this event is closed."))
    check_role_fits_entity(event, entity, role)
    registration = Registration.objects.select_for_update().filter(event=event, user=user).first()
    if registration is not None and registration.status in (
        Registration.Status.PENDING,
        Registration.Status.APPROVED,
    ):
        raise CouncilError(_("You are already registered for this event."))
    if registration is None:
        registration = Registration(event=event, user=user)
    registration.entity = entity
    registration.role = role
    registration.job_title = job_title
    registration.status = Registration.Status.PENDING
    registration.decided_by = None
    registration.decided_at = None
    registration.decision_note = ""
    registration.save()
    log_action(
        "vev.council.registration.requested",
        actor=user,
        event=event,
        target=registration,
        data={"entity": entity.name, "role": role},
        request=request,
    )
    _notify_deciders(registration)
    return registration


def deciders(registration: Registration):
    """Who may decide ``registration``: the event's secretariat and the delegation's focal
    points (approved, flagged by the secretariat), never the registrant."""
    event = registration.event
    secretariat = StaffAssignment.objects.filter(
        event=event, function=StaffAssignment.Function.SECRETARIAT
    ).values_list("user_id", flat=True)
    focal_points = Registration.objects.filter(
        event=event,
        entity_id=registration.entity_id,
        status=Registration.Status.APPROVED,
        is_focal_point=True,
    ).values_list("user_id", flat=True)
    ids = (set(secretariat) | set(focal_points)) - {registration.user_id}
    return get_user_model().objects.filter(pk__in=ids).order_by("pk")


def _notify_deciders(registration: Registration) -> None:
    event = registration.event
    notify(
        deciders(registration),
        kind="council.registration_requested",
        title=gettext_lazy("Registration to decide: %(name)s (%(entity)s)"),
        body=gettext_lazy(
            "%(name)s (%(email)s) asks to take part in %(event)s as %(role)s of %(entity)s."
        ),
        params={
            "name": registration.user.display_name,
            "email": registration.user.email,
            "event": event.title,
            "role": Registration.Role(registration.role).label,
            "entity": registration.entity.display_name,
        },
        url=reverse("council:registration_review", kwargs={"event": event.slug}),
        event=event,
    )


def _notify_decision(registration: Registration) -> None:
    """The registrant learns the decision in the app and by e-mail (the notifications task)."""
    event = registration.event
    params = {
        "event": event.title,
        "role": Registration.Role(registration.role).label,
        "entity": registration.entity.display_name,
        "reason": registration.decision_note,
    }
    if registration.status == Registration.Status.APPROVED:
        kind = "council.registration_approved"
        title = gettext_lazy("Your registration for %(event)s is approved")
        body = gettext_lazy(
            "Your registration for %(event)s as %(role)s of %(entity)s is approved.\n\n"
            "Your role requires two-factor authentication: you will be asked to set up an "
            "authenticator app when you next sign in."
        )
    else:
        kind = "council.registration_declined"
        title = gettext_lazy("Your registration for %(event)s was declined")
        body = gettext_lazy(
            "Your registration for %(event)s as %(role)s of %(entity)s was declined.\n\n"
            "Reason: %(reason)s\n\nYou may correct it and register again."
        )
    notify(
        [registration.user],
        kind=kind,
        title=title,
        body=body,
        params=params,
        url=event.get_absolute_url(),
        event=event,
    )


def can_decide(user, registration: Registration) -> bool:
    event = registration.event
    if has_perm(user, Perm.REGISTRATION_REVIEW, event):
        return True
    if registration.user_id == user.pk or not has_perm(user, Perm.REGISTRATION_REVIEW_OWN, event):
        return False
    own = Registration.objects.filter(
        event=event, user=user, status=Registration.Status.APPROVED, is_focal_point=True
    ).values_list("entity_id", flat=True)
    return registration.entity_id in set(own)


@transaction.atomic
def decide(
    registration: Registration, *, by, approve: bool, note: str = "", request=None
) -> Registration:
    registration = (
        Registration.objects.select_for_update()
        .select_related("event", "entity")
        .get(pk=registration.pk)
    )
    if not can_decide(by, registration):
        raise CouncilError(_("You may not decide this registration."))
    if registration.status != Registration.Status.PENDING:
        raise CouncilError(
            _("This registration was already decided (%(status)s).")
            % {"status": registration.get_status_display()}
        )
    if not approve and not note.strip():
        raise CouncilError(_("Give a reason when you decline a registration."))
    registration.status = Registration.Status.APPROVED if approve else Registration.Status.REJECTED
    registration.decided_by = by
    registration.decided_at = timezone.now()
    registration.decision_note = note.strip()
    registration.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    forget_roles(registration.user)
    log_action(
        "vev.council.registration." + ("approved" if approve else "declined"),
        actor=by,
        event=registration.event,
        target=registration,
        data={
            "user": registration.user.email,
            "entity": registration.entity.name,
            "note": registration.decision_note,
        },
        request=request,
    )
    _notify_decision(registration)
    return registration


@transaction.atomic
def set_focal_point(registration: Registration, *, by, value: bool, request=None) -> None:
    if not has_perm(by, Perm.REGISTRATION_REVIEW, registration.event):
        raise CouncilError(_("Only the secretariat names focal points."))
    registration.is_focal_point = value
    registration.save(update_fields=["is_focal_point", "updated_at"])
    log_action(
        "vev.council.registration.focal_point_" + ("set" if value else "cleared"),
        actor=by,
        event=registration.event,
        target=registration,
        request=request,
    )


@transaction.atomic
def withdraw(registration: Registration, *, by, request=None) -> None:
    if registration.user_id != by.pk and not has_perm(
        by, Perm.REGISTRATION_REVIEW, registration.event
    ):
        raise CouncilError(_("You may not withdraw this registration."))
    if registration.status == Registration.Status.WITHDRAWN:
        return
    registration.status = Registration.Status.WITHDRAWN
    registration.save(update_fields=["status", "updated_at"])
    forget_roles(registration.user)
    log_action(
        "vev.council.registration.withdrawn",
        actor=by,
        event=registration.event,
        target=registration,
        request=request,
    )
