"""Who acts for which Member State, and who manages documents."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vev.council.models import Entity, Event, Registration
from vev.council.permissions import Perm, has_perm, is_council_member

from ..errors import DocumentsError


def acting_state(user, event: Event, perm: Perm) -> Entity:
    """The Council Member State ``user`` acts for (head of delegation or councillor).

    Raises :class:`DocumentsError` when the user may not act for a State in this event.
    """
    if not has_perm(user, perm, event):
        raise DocumentsError(
            _("Only the head of delegation or a councillor of a Council Member may do this.")
        )
    registration = (
        Registration.objects.filter(event=event, user=user, status=Registration.Status.APPROVED)
        .select_related("entity")
        .first()
    )
    if registration is None or not is_council_member(event, registration.entity_id):
        raise DocumentsError(
            _("Only the head of delegation or a councillor of a Council Member may do this.")
        )
    return registration.entity


def own_state(user, event: Event) -> Entity | None:
    """The delegation of an approved participant, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    registration = (
        Registration.objects.filter(event=event, user=user, status=Registration.Status.APPROVED)
        .select_related("entity")
        .first()
    )
    return registration.entity if registration else None


def require_manage(user, event: Event) -> None:
    if user is None or not has_perm(user, Perm.DOCUMENTS_MANAGE, event):
        raise DocumentsError(_("Only the secretariat may do this."))
