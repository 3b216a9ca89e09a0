"""The event's support contact, shown in every meeting room (``Event.support_contact``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Event
from vev.council.permissions import Perm, has_perm
from vev.live.errors import LiveError


@transaction.atomic
def set_contact(event: Event, by, contact: str, *, request=None) -> Event:
    if not has_perm(by, Perm.EVENT_MANAGE, event):
        raise LiveError(_("Only the secretariat changes the support contact."), code="denied")
    contact = (contact or "").strip()
    before = event.support_contact
    event.support_contact = contact
    event.save(update_fields=["support_contact"])
    log_action(
        "vev.support.contact.changed",
        actor=by,
        event=event,
        target=event,
        data={"before": before, "after": contact},
        request=request,
    )
    return event
