"""Who is told about a written procedure, and how its times are written for each recipient.

Notices go through ``vev.notifications.services.notify`` (in the app and by e-mail, after the
commit). Each recipient gets the times in the event's time zone and in their own: the time zone
of their profile or, without one, the time zone of the delegation they represent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from vev.council.models import CouncilMembership, Entity, Event, Registration, StaffAssignment
from vev.documents.services.deadlines import format_in_zone
from vev.notifications.services import notify

Recipient = tuple[Any, Entity | None]  # (user, the entity they represent in the event)


def local_zone(user, entity: Entity | None) -> tuple[str, str] | None:
    """(zone, label) of ``user``'s local time: the profile's zone, else the delegation's."""
    if getattr(user, "time_zone", ""):
        return user.time_zone, _("your time")
    if entity is not None and entity.time_zone and entity.time_zone != "UTC":
        return entity.time_zone, _("time in %(place)s") % {"place": entity.display_name}
    return None


def local_suffix(value: datetime, event: Event, user, entity: Entity | None = None) -> str:
    """“ (your time: Wed 17 Jun 2020, 05:59 JST)”, or "" when it is the event's zone."""
    zone = local_zone(user, entity)
    if zone is None or zone[0] == event.time_zone:
        return ""
    other = format_in_zone(value, zone[0])
    if other == format_in_zone(value, event.time_zone):
        return ""
    return f" ({zone[1]}: {other})"


def council_member_actors(event: Event, *, exclude_entities: Iterable[int] = ()) -> list[Recipient]:
    """Heads of delegation and councillors of every Council Member State of ``event``."""
    members = CouncilMembership.objects.filter(
        event=event, status=CouncilMembership.Status.MEMBER
    ).values("entity_id")
    registrations = (
        Registration.objects.filter(
            event=event,
            status=Registration.Status.APPROVED,
            entity_id__in=members,
            role__in=[Registration.Role.HEAD_OF_DELEGATION, Registration.Role.COUNCILLOR],
            user__is_active=True,
        )
        .exclude(entity_id__in=list(exclude_entities))
        .select_related("user", "entity")
        .order_by("entity__name", "user__full_name")
    )
    return [(r.user, r.entity) for r in registrations]


def secretariat_and_chairs(event: Event) -> list[Recipient]:
    functions = [
        StaffAssignment.Function.SECRETARIAT,
        StaffAssignment.Function.CHAIR,
        StaffAssignment.Function.VICE_CHAIR,
    ]
    assignments = StaffAssignment.objects.filter(
        event=event, function__in=functions, user__is_active=True
    ).select_related("user", "entity")
    return [(a.user, a.entity or event.secretariat) for a in assignments]


def notify_recipients(
    recipients: Iterable[Recipient],
    *,
    event: Event,
    kind: str,
    title: Any,
    body: Any,
    url: str,
    params: Mapping[str, Any] | None = None,
    times: Mapping[str, datetime] | None = None,
) -> int:
    """Notify each recipient once, with ``times`` written for them; returns how many.

    For every ``name`` in ``times`` the texts may use ``%(name)s`` (event zone) and
    ``%(name_local)s`` (their local time in brackets, or nothing). A value of ``params`` may be
    a callable of (user, entity), evaluated in the recipient's language.
    """
    seen: set[int] = set()
    count = 0
    for user, entity in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(user.preferred_language or "en"):
            values: dict[str, str] = {}
            for key, value in (params or {}).items():
                values[key] = str(value(user, entity) if callable(value) else value)
            for key, moment in (times or {}).items():
                values[key] = format_in_zone(moment, event.time_zone)
                values[f"{key}_local"] = local_suffix(moment, event, user, entity)
        count += len(
            notify([user], kind=kind, title=title, body=body, url=url, event=event, params=values)
        )
    return count
