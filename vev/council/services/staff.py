"""Giving and removing event functions (secretariat, chair, interpreters…)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vev.core.audit import log_action

from ..errors import CouncilError
from ..models import OFFICIAL_LANGUAGES, Event, StaffAssignment
from ..permissions import Perm, forget_roles, has_perm


@transaction.atomic
def assign(
    event: Event,
    user,
    function: str,
    *,
    by,
    languages: list[str] | None = None,
    entity=None,
    request=None,
) -> StaffAssignment:
    if by is not None and not has_perm(by, Perm.STAFF_MANAGE, event):
        raise CouncilError(_("Only the secretariat assigns functions."))
    if function not in StaffAssignment.Function.values:
        raise CouncilError(_("Unknown function."))
    languages = list(languages or [])
    if unknown := [code for code in languages if code not in OFFICIAL_LANGUAGES]:
        raise CouncilError(
            _("Unknown language codes: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
        )
    if function == StaffAssignment.Function.INTERPRETER and not languages:
        raise CouncilError(_("An interpreter needs at least the language of their booth."))
    assignment, created = StaffAssignment.objects.get_or_create(
        event=event,
        user=user,
        function=function,
        defaults={"languages": languages, "entity": entity, "assigned_by": by},
    )
    if not created:
        assignment.languages = languages
        assignment.entity = entity
        assignment.save(update_fields=["languages", "entity", "updated_at"])
    forget_roles(user)
    log_action(
        "vev.council.staff.assigned",
        actor=by,
        event=event,
        target=assignment,
        data={"user": user.email, "function": function, "languages": languages},
        request=request,
    )
    return assignment


@transaction.atomic
def unassign(assignment: StaffAssignment, *, by, request=None) -> None:
    if not has_perm(by, Perm.STAFF_MANAGE, assignment.event):
        raise CouncilError(_("Only the secretariat removes functions."))
    if assignment.user_id == by.pk and assignment.function == StaffAssignment.Function.SECRETARIAT:
        raise CouncilError(_("You cannot remove your own secretariat function."))
    log_action(
        "vev.council.staff.removed",
        actor=by,
        event=assignment.event,
        target=assignment,
        data={"user": assignment.user.email, "function": assignment.function},
        request=request,
    )
    forget_roles(assignment.user)
    assignment.delete()
