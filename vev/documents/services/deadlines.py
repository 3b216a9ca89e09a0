"""Deadlines: set by the secretariat, extended for one delegation or all, enforced here.

Every submission service calls :func:`check_open` inside its transaction, so a late act is
refused on the server whatever the page showed. The message states the deadline in the event's
time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Entity, Event

from ..errors import DeadlinePassed, DocumentsError
from ..models import Deadline, DeadlineExtension
from .access import require_manage


def format_in_zone(value: datetime, tz_name: str) -> str:
    """“Sun 17 May 2020, 23:59 CEST”: 24-hour clock, in the given zone."""
    import zoneinfo

    from vev.core.templatetags.vev_time import _format

    return _format(value, zoneinfo.ZoneInfo(tz_name), "DATETIME_FORMAT")


#: :func:`format_in_zone` when it is rendered: for texts translated per reader (notifications).
format_in_zone_lazy = lazy(format_in_zone, str)


def get_deadline(event: Event, kind: str) -> Deadline | None:
    return Deadline.objects.filter(event=event, kind=kind).first()


def effective_due(deadline: Deadline, entity: Entity | None = None) -> datetime:
    """The latest of the deadline and the extensions that apply to ``entity``."""
    scope = Q(entity__isnull=True)
    if entity is not None:
        scope |= Q(entity=entity)
    latest = (
        deadline.extensions.filter(scope).order_by("-until").values_list("until", flat=True).first()
    )
    return max(deadline.due_at, latest) if latest else deadline.due_at


def check_open(
    event: Event, kind: str, entity: Entity | None = None, *, now: datetime | None = None
) -> Deadline | None:
    """Raise :class:`DeadlinePassed` if the deadline of ``kind`` has passed for ``entity``.

    Without a deadline of that kind the act is open (the secretariat has not set one).
    """
    deadline = get_deadline(event, kind)
    if deadline is None:
        return None
    now = now or timezone.now()
    due = effective_due(deadline, entity)
    if now > due:
        raise DeadlinePassed(
            _("%(what)s: the deadline passed on %(when)s. Late submissions are refused.")
            % {
                "what": deadline.get_kind_display(),
                "when": format_in_zone(due, event.time_zone),
            },
            deadline=deadline,
            due_at=due,
        )
    return deadline


def is_open(event: Event, kind: str, entity: Entity | None = None) -> bool:
    try:
        check_open(event, kind, entity)
    except DeadlinePassed:
        return False
    return True


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    due_at: datetime  # effective for the viewer's delegation
    extended: bool
    passed: bool


def deadlines_for(event: Event, entity: Entity | None = None) -> list[DeadlineView]:
    now = timezone.now()
    result = []
    for deadline in Deadline.objects.filter(event=event).prefetch_related("extensions"):
        due = effective_due(deadline, entity)
        result.append(DeadlineView(deadline, due, due != deadline.due_at, now > due))
    return result


@transaction.atomic
def set_deadline(event: Event, kind: str, due_at: datetime, *, by, note: str = "", request=None):
    require_manage(by, event)
    if kind not in Deadline.Kind.values:
        raise DocumentsError(_("Unknown kind of deadline."))
    if timezone.is_naive(due_at):
        raise DocumentsError(_("Give the deadline with its time zone."))
    deadline, created = Deadline.objects.update_or_create(
        event=event, kind=kind, defaults={"due_at": due_at, "note": note}
    )
    deadline.reminders.all().delete()  # a moved deadline is reminded again
    log_action(
        "vev.documents.deadline." + ("set" if created else "changed"),
        actor=by,
        event=event,
        target=deadline,
        data={"kind": kind, "due_at": due_at.isoformat(), "note": note},
        request=request,
    )
    return deadline


@transaction.atomic
def grant_extension(
    deadline: Deadline,
    *,
    until: datetime,
    reason: str,
    by,
    entity: Entity | None = None,
    request=None,
) -> DeadlineExtension:
    event = deadline.event
    require_manage(by, event)
    if not reason.strip():
        raise DocumentsError(_("Give the reason for the extension; it is recorded."))
    if until <= deadline.due_at:
        raise DocumentsError(
            _("An extension must end after the deadline (%(when)s).")
            % {"when": format_in_zone(deadline.due_at, event.time_zone)}
        )
    if entity is not None and not event.memberships.filter(entity=entity).exists():
        raise DocumentsError(_("This delegation does not take part in the event."))
    extension = DeadlineExtension.objects.create(
        deadline=deadline, entity=entity, until=until, reason=reason.strip(), granted_by=by
    )
    log_action(
        "vev.documents.deadline.extended",
        actor=by,
        event=event,
        target=deadline,
        data={
            "kind": deadline.kind,
            "entity": entity.name if entity else None,
            "until": until.isoformat(),
            "reason": extension.reason,
        },
        request=request,
    )
    return extension
