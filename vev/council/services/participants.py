"""Who a user represents in an event: shown next to their name everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Entity, Event, Registration, StaffAssignment


@dataclass(frozen=True)
class Representation:
    name: str
    entity: Entity | None
    capacity: str  # e.g. "Councillor", "Chair", "Interpreter (fr)"

    @property
    def label(self) -> str:
        if self.entity is None:
            return self.name
        return f"{self.name} ({self.entity.display_name})"


def representation(user, event: Event) -> Representation:
    registration = (
        Registration.objects.filter(event=event, user=user, status=Registration.Status.APPROVED)
        .select_related("entity")
        .first()
    )
    functions = list(
        StaffAssignment.objects.filter(event=event, user=user).select_related("entity")
    )
    capacities = [a.get_function_display() for a in functions]
    if registration is not None:
        capacities.insert(0, registration.get_role_display())
        entity = registration.entity
    elif functions:
        entity = functions[0].entity or event.secretariat
    else:
        entity = None
    return Representation(user.display_name, entity, ", ".join(str(c) for c in capacities))


def representations(event: Event) -> dict[int, Representation]:
    """Every approved participant and staff member of ``event``, in two queries."""
    result: dict[int, Representation] = {}
    staff: dict[int, list[StaffAssignment]] = {}
    for assignment in StaffAssignment.objects.filter(event=event).select_related("user", "entity"):
        staff.setdefault(assignment.user_id, []).append(assignment)
    registrations = Registration.objects.filter(
        event=event, status=Registration.Status.APPROVED
    ).select_related("user", "entity")
    for registration in registrations:
        capacities = [registration.get_role_display()] + [
            a.get_function_display() for a in staff.pop(registration.user_id, [])
        ]
        result[registration.user_id] = Representation(
            registration.user.display_name,
            registration.entity,
            ", ".join(str(c) for c in capacities),
        )
    for user_id, functions in staff.items():
        result[user_id] = Representation(
            functions[0].user.display_name,
            functions[0].entity or event.secretariat,
            ", ".join(str(a.get_function_display()) for a in functions),
        )
    return result
