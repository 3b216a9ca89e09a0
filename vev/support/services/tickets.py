"""Support tickets of a session: reported from a meeting room, handled from the technical console.

A participant in the room reports a problem (a category, what happens); the ticket records
the context automatically (the meeting, the user, the browser's user agent, the socket's state,
the participant's seat and connections). Everyone with ``meeting.support`` (technicians,
moderators, the secretariat) sees the event's open tickets live and takes and resolves them;
the reporter sees the status. Tickets of a closed meeting are shown only to support staff
admitted to it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.council.models import CouncilMembership, Event, Meeting, StaffAssignment
from vev.council.permissions import Perm, has_perm, may_enter_closed_meeting
from vev.live.errors import LiveError
from vev.live.models import Connection, Participant
from vev.live.queries import entity_info
from vev.live.services.access import room_access
from vev.live.streams import record_user_event

from ..events import TicketChanged, TicketInfo
from ..models import DESCRIPTION_MAX, Ticket

ACTIVE = (Ticket.Status.OPEN, Ticket.Status.TAKEN)
#: Functions whose role holds ``meeting.support`` (council.permissions.ROLE_PERMISSIONS).
SUPPORT_FUNCTIONS = [
    StaffAssignment.Function.SECRETARIAT,
    StaffAssignment.Function.MODERATOR,
    StaffAssignment.Function.TECHNICIAN,
]


def _may_see(user, ticket: Ticket) -> bool:
    if not has_perm(user, Perm.MEETING_SUPPORT, ticket.event):
        return False
    return not ticket.meeting.is_closed or may_enter_closed_meeting(user, ticket.meeting)


def _require_support(user, event: Event) -> None:
    if not has_perm(user, Perm.MEETING_SUPPORT, event):
        raise LiveError(
            _("Only technicians, moderators and the secretariat handle support tickets."),
            code="denied",
        )


def report(
    meeting: Meeting,
    by,
    *,
    category: str,
    description: str,
    user_agent: str = "",
    connection_state: str = "",
) -> Ticket:
    """Open a ticket from the room; ``by`` must be a participant of the meeting."""
    description = (description or "").strip()
    if category not in Ticket.Category.values:
        raise LiveError(_("Choose what the problem concerns."), code="invalid")
    if not description:
        raise LiveError(_("Describe the problem in a few words."), code="invalid")
    if len(description) > DESCRIPTION_MAX:
        raise LiveError(
            _("A description has at most %(max)d characters; this one has %(length)d.")
            % {"max": DESCRIPTION_MAX, "length": len(description)},
            code="invalid",
        )
    room_access(by, meeting)  # raises LiveError when they may not be in the room
    participant = (
        Participant.objects.select_related("entity").filter(meeting=meeting, user=by).first()
    )
    if participant is None:
        raise LiveError(_("Enter the meeting room to report a problem from it."), code="denied")
    connections = participant.connections.all()
    context = {
        "meeting": meeting.code,
        "user_id": by.pk,
        "participant_id": participant.pk,
        "mode": participant.mode,
        "status": participant.status,
        "connections": connections.count(),
        "drops": connections.exclude(close_reason__in=["", Connection.Reason.LEFT]).count(),
        "open_connections": connections.filter(closed_at__isnull=True).count(),
    }
    with transaction.atomic():
        ticket = Ticket.objects.create(
            event=meeting.event,
            meeting=meeting,
            reporter=by,
            reporter_name=participant.name,
            reporter_entity=participant.entity,
            category=category,
            description=description,
            user_agent=(user_agent or "")[:500],
            connection_state=(connection_state or "")[:40],
            context=context,
        )
        _publish(ticket, "support.ticket_opened")
    return ticket


def _locked(by, ticket_id: int, event: Event) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("meeting", "event")
        .filter(event=event, pk=ticket_id)
        .first()
    )
    if ticket is None or not _may_see(by, ticket):
        raise LiveError(_("There is no such support ticket."))
    return ticket


def take(event: Event, by, ticket_id: int) -> Ticket:
    """``by`` handles the ticket (also taking it over from a colleague)."""
    _require_support(by, event)
    with transaction.atomic():
        ticket = _locked(by, ticket_id, event)
        if ticket.status == Ticket.Status.RESOLVED:
            raise LiveError(_("This ticket is already resolved."))
        ticket.status = Ticket.Status.TAKEN
        ticket.assignee = by
        ticket.assignee_name = by.display_name
        ticket.taken_at = timezone.now()
        ticket.save(update_fields=["status", "assignee", "assignee_name", "taken_at"])
        _publish(ticket, "support.ticket_taken")
    return ticket


def resolve(event: Event, by, ticket_id: int, *, resolution: str = "") -> Ticket:
    _require_support(by, event)
    with transaction.atomic():
        ticket = _locked(by, ticket_id, event)
        if ticket.status == Ticket.Status.RESOLVED:
            raise LiveError(_("This ticket is already resolved."))
        ticket.status = Ticket.Status.RESOLVED
        if ticket.assignee_id is None:
            ticket.assignee = by
            ticket.assignee_name = by.display_name
        ticket.resolved_at = timezone.now()
        ticket.resolution = (resolution or "").strip()[:500]
        ticket.save(
            update_fields=["status", "assignee", "assignee_name", "resolved_at", "resolution"]
        )
        _publish(ticket, "support.ticket_resolved")
    return ticket


def open_tickets(event: Event, user) -> list[dict]:
    """The event's tickets not yet resolved that ``user`` (support staff) may see, oldest first."""
    _require_support(user, event)
    rows = Ticket.objects.filter(event=event, status__in=ACTIVE).select_related(
        "meeting", "event", "reporter_entity"
    )
    members = council_member_ids_of(event)
    return [ticket_info(t, members).model_dump(mode="json") for t in rows if _may_see(user, t)]


def my_tickets(meeting: Meeting, user, *, limit: int = 10) -> list[dict]:
    rows = (
        Ticket.objects.filter(meeting=meeting, reporter=user)
        .select_related("meeting", "reporter_entity")
        .order_by("-created_at", "-pk")[:limit]
    )
    members = council_member_ids_of(meeting.event)
    return [ticket_info(t, members).model_dump(mode="json") for t in reversed(rows)]


def council_member_ids_of(event: Event) -> set[int]:
    return set(
        CouncilMembership.objects.filter(
            event=event, status=CouncilMembership.Status.MEMBER
        ).values_list("entity_id", flat=True)
    )


def ticket_info(ticket: Ticket, members: set[int] | None = None) -> TicketInfo:
    if members is None:
        members = council_member_ids_of(ticket.event)
    return TicketInfo(
        id=ticket.pk,
        meeting_id=ticket.meeting_id,
        meeting=ticket.meeting.code,
        category=ticket.category,
        description=ticket.description,
        reporter_id=ticket.reporter_id,
        reporter=ticket.reporter_name,
        reporter_entity=entity_info(ticket.reporter_entity, members),
        user_agent=ticket.user_agent,
        connection_state=ticket.connection_state,
        context=ticket.context,
        status=ticket.status,
        assignee_id=ticket.assignee_id,
        assignee=ticket.assignee_name,
        created_at=ticket.created_at,
        taken_at=ticket.taken_at,
        resolved_at=ticket.resolved_at,
        resolution=ticket.resolution,
    )


def _publish(ticket: Ticket, kind: str) -> None:
    """On the own streams of the event's support staff in its rooms, and of the reporter."""
    event = TicketChanged(type=kind, ticket=ticket_info(ticket))
    # Only staff assignments (and superusers) give meeting.support: look at those, not at all.
    candidates = StaffAssignment.objects.filter(
        event_id=ticket.event_id, function__in=SUPPORT_FUNCTIONS
    ).values("user_id")
    staff = (
        Participant.objects.filter(meeting__event_id=ticket.event_id)
        .filter(Q(user_id__in=candidates) | Q(user__is_superuser=True))
        .exclude(status=Participant.Status.REMOVED)
        .exclude(meeting__status__in=[Meeting.Status.ENDED, Meeting.Status.CANCELLED])
        .select_related("user")
        .order_by("meeting_id", "user_id")
    )
    done: set[tuple[int, int]] = set()
    for participant in staff:
        if _may_see(participant.user, ticket):
            record_user_event(participant.meeting_id, participant.user_id, event)
            done.add((participant.meeting_id, participant.user_id))
    if (ticket.meeting_id, ticket.reporter_id) not in done:
        record_user_event(ticket.meeting_id, ticket.reporter_id, event)
