"""Who may act on written procedures: the secretariat manages, Council Member States reply."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vev.council.models import Entity, Event, StaffAssignment
from vev.council.permissions import Perm, has_perm
from vev.documents.errors import DocumentsError
from vev.documents.services import access as documents_access

from ..errors import DecisionsError


def require_manage(user, event: Event) -> None:
    if user is None or not has_perm(user, Perm.DECISIONS_MANAGE, event):
        raise DecisionsError(_("Only the secretariat may do this."))


def acting_state(user, event: Event, perm: Perm = Perm.DECISIONS_REPLY) -> Entity:
    """The Council Member State ``user`` acts for (its head of delegation or a councillor).

    The same rule as every other act of a State (``documents.services.access.acting_state``),
    with the permission ``decisions.reply`` unless told otherwise.
    """
    try:
        return documents_access.acting_state(user, event, perm)
    except DocumentsError as error:
        raise DecisionsError(str(error)) from error


def presiding_officers(event: Event):
    """Chair and vice-chair(s) of the event: who may instruct a written procedure."""
    return StaffAssignment.objects.filter(
        event=event,
        function__in=[StaffAssignment.Function.CHAIR, StaffAssignment.Function.VICE_CHAIR],
    ).select_related("user")


def presiding_assignment(event: Event, user) -> StaffAssignment | None:
    """The chair or vice-chair function of ``user`` in ``event`` (the chair first), or None."""
    if user is None:
        return None
    return presiding_officers(event).filter(user=user).order_by("function").first()


def presiding_capacity(event: Event, user) -> str | None:
    """“Chair” or “Vice-Chair” if ``user`` presides over ``event``; None otherwise."""
    assignment = presiding_assignment(event, user)
    return str(assignment.get_function_display()) if assignment else None
