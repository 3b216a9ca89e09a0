"""The secretariat sets the venue up: spaces, areas, exhibits, sponsors, robots, join links.

One function saves any of these objects (validated, audited); uploads are checked first.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Event
from vev.council.permissions import Perm, has_perm
from vev.documents.services.files import atomic_storage

from ..errors import VenueError
from ..models import Exhibit, Space, Venue
from . import files


def require_manage(user, event: Event) -> None:
    if user is None or not has_perm(user, Perm.VENUE_MANAGE, event):
        raise VenueError(_("Only the secretariat sets up the venue."))


@transaction.atomic
def ensure_venue(event: Event, *, by=None) -> Venue:
    venue, created = Venue.objects.get_or_create(event=event, defaults={"name": event.title})
    if created:
        log_action("vev.venue.venue.created", actor=by, event=event, target=venue)
    return venue


def _label(obj) -> str:
    return obj._meta.model_name


@transaction.atomic
def save(obj, *, by, event: Event, uploads: dict | None = None, request=None):
    """Validate and save ``obj`` (new or changed); ``uploads`` maps file fields to files."""
    require_manage(by, event)
    checked_uploads = {}
    for field, upload in (uploads or {}).items():
        if upload is None:
            continue
        if isinstance(obj, Exhibit) and field == "file":
            checked_uploads[field] = files.check_exhibit_file(upload)
            obj.file_format = checked_uploads[field].format
        else:
            checked_uploads[field] = files.check_image(upload)
    # Files are stored once all are checked, and removed again if the object is refused.
    with atomic_storage() as stored:
        for field, checked in checked_uploads.items():
            field_file = getattr(obj, field)
            field_file.save(checked.content.name, checked.content, save=False)
            stored.append(field_file.name)
        try:
            obj.full_clean()
        except ValidationError as error:
            raise VenueError(" ".join(error.messages)) from None
        created = obj.pk is None
        obj.save()
    log_action(
        f"vev.venue.{_label(obj)}.{'created' if created else 'changed'}",
        actor=by,
        event=event,
        target=obj,
        data={"name": str(obj)},
        request=request,
    )
    return obj


@transaction.atomic
def delete(obj, *, by, event: Event, request=None) -> None:
    require_manage(by, event)
    if isinstance(obj, Space) and obj.areas.filter(side_meetings__isnull=False).exists():
        raise VenueError(
            _("Side meetings were booked in this space's rooms: rename the space instead.")
        )
    label, pk, name = _label(obj), obj.pk, str(obj)
    try:
        obj.delete()
    except Exception as error:  # ProtectedError: side meetings hold the room
        from django.db.models import ProtectedError

        if isinstance(error, ProtectedError):
            raise VenueError(
                _("Side meetings were booked in this room; it cannot be removed.")
            ) from None
        raise
    log_action(
        f"vev.venue.{label}.deleted",
        actor=by,
        event=event,
        data={"id": pk, "name": name},
        request=request,
    )
