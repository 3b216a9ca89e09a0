"""An open rehearsal room for the demo session (receiver of ``council.signals.demo_loaded``).

DM-20/1004 Annex 2 plans a rehearsal before the session so that delegates test their
connection. The demo opens one at once — in session from the moment the demo is loaded, with
the session's first agenda items — so that every demo account can try the room, the list of
speakers, the nameplate and the chair's console without waiting for the shifted dates.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from vev.council.models import AgendaAllocation, Event, Meeting

REHEARSAL_ROOM_SLUG = "rehearsal-room"


def open_rehearsal_room(session: Event) -> Meeting | None:
    rehearsal = session.children.filter(kind=Event.Kind.REHEARSAL).first()
    if rehearsal is None:
        return None
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    meeting = Meeting.objects.create(
        event=rehearsal,
        code="Rehearsal room",
        slug=REHEARSAL_ROOM_SLUG,
        title="Connection test and rehearsal (open now)",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        access=Meeting.Access.PRIVATE,
        status=Meeting.Status.LIVE,
    )
    items = list(rehearsal.agenda_items.order_by("position")[:3])
    if not items:  # the rehearsal rehearses the session's agenda: copy its first items
        for position, item in enumerate(session.agenda_items.order_by("position")[:3]):
            items.append(
                rehearsal.agenda_items.create(
                    code=item.code, title=item.title, kind=item.kind, position=position
                )
            )
    for position, item in enumerate(items):
        AgendaAllocation.objects.create(meeting=meeting, item=item, position=position)
    return meeting
