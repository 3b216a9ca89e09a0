"""Who may enter a meeting's room, in which capacity, and what they may do there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vev.council.models import Meeting, Registration
from vev.council.permissions import (
    Perm,
    Role,
    event_roles,
    has_perm,
    may_enter_closed_meeting,
)
from vev.council.services.participants import representation

from ..errors import LiveError
from ..models import Participant

#: Delegates may enter a scheduled meeting's room this long before it starts (to test their
#: connection, DM-20/1004 Annex 2); staff may enter at any time before it ends.
ENTRY_OPENS_MINUTES = 60

PRESIDING_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR})


@dataclass(frozen=True)
class RoomAccess:
    kind: str  # Participant.Kind
    name: str
    capacity: str
    entity_id: int | None
    may_preside: bool  # call items, open and close the meeting (chair, vice-chair)
    may_moderate: bool  # list of speakers, floor, mute, remove, lock (+ moderator, secretariat)
    may_support: bool  # support requests, connection log (technician, moderator, secretariat)
    may_decide: bool  # acts of a Council Member State (head of delegation, councillor)
    is_secretariat: bool
    is_technician: bool


def room_access(user, meeting: Meeting) -> RoomAccess:
    """The user's capacity in the room, or ``LiveError`` saying why they may not enter."""
    event = meeting.event
    if not getattr(user, "is_authenticated", False):
        raise LiveError(_("Sign in to enter the meeting room."), code="unauthenticated")
    if not has_perm(user, Perm.MEETING_ATTEND, event):
        raise LiveError(
            _("Only approved participants of this session may enter its meetings."),
            code="not_registered",
        )
    if meeting.is_closed and not may_enter_closed_meeting(user, meeting):
        raise LiveError(
            _(
                "This is a closed meeting: only Councillors and the staff the secretariat "
                "named for it may enter."
            ),
            code="closed_meeting",
        )
    roles = event_roles(user, event)
    staff_roles = roles & {
        Role.SECRETARIAT,
        Role.CHAIR,
        Role.VICE_CHAIR,
        Role.MODERATOR,
        Role.INTERPRETER,
        Role.CAPTIONER,
        Role.TECHNICIAN,
    }
    _check_timing(meeting, staff=bool(staff_roles))
    registered = Registration.objects.filter(
        event=event, user=user, status=Registration.Status.APPROVED
    ).exists()
    if roles & PRESIDING_ROLES or (staff_roles and not registered):
        kind = Participant.Kind.STAFF
    elif roles & {Role.HEAD_OF_DELEGATION, Role.COUNCILLOR, Role.ADVISER}:
        kind = Participant.Kind.MEMBER
    else:
        kind = Participant.Kind.OBSERVER
    who = representation(user, event)
    capacity = who.capacity
    if meeting.is_closed and kind == Participant.Kind.STAFF:
        # Named staff are shown to the closed meeting by the function they were named for.
        named = meeting.closed_staff.filter(user=user).values_list("function", flat=True).first()
        capacity = named or capacity
    return RoomAccess(
        kind=kind,
        name=who.name,
        capacity=capacity,
        entity_id=who.entity.pk if who.entity else None,
        may_preside=has_perm(user, Perm.MEETING_PRESIDE, event),
        may_moderate=has_perm(user, Perm.MEETING_MODERATE, event),
        may_support=has_perm(user, Perm.MEETING_SUPPORT, event),
        may_decide=has_perm(user, Perm.MEETING_DECIDE, event),
        is_secretariat=Role.SECRETARIAT in roles,
        is_technician=Role.TECHNICIAN in roles,
    )


def _check_timing(meeting: Meeting, *, staff: bool) -> None:
    if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise LiveError(
            _("This meeting has ended; its record is on the meeting's page.")
            if meeting.status == Meeting.Status.ENDED
            else _("This meeting was cancelled."),
            code="ended",
        )
    if meeting.status != Meeting.Status.SCHEDULED or staff:
        return
    opens = meeting.starts_at - timedelta(minutes=ENTRY_OPENS_MINUTES)
    if timezone.now() < opens:
        raise LiveError(
            ngettext(
                "The room opens %(minutes)d minute before the meeting starts.",
                "The room opens %(minutes)d minutes before the meeting starts.",
                ENTRY_OPENS_MINUTES,
            )
            % {"minutes": ENTRY_OPENS_MINUTES},
            code="not_open_yet",
        )


# -- acting on someone in the room (moderation, the floor's microphones) ------------------------
def moderator_label(meeting: Meeting, by) -> str:
    """How ``by`` is named when they moderate ``meeting``; refused unless they may moderate."""
    if not room_access(by, meeting).may_moderate:
        raise LiveError(
            _("Only the chair, or those assisting the chair, may do this."), code="denied"
        )
    participant = Participant.objects.filter(meeting=meeting, user=by).first()
    return participant.label if participant else by.display_name


def locked_participant(
    meeting: Meeting, participant_id: int, *, statuses: tuple[str, ...] | None = None
) -> Participant:
    """The participant a moderator acts on, locked for the act (in one of ``statuses``)."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("entity")
        .filter(meeting=meeting, pk=participant_id)
        .first()
    )
    if participant is None or (statuses is not None and participant.status not in statuses):
        raise LiveError(_("This participant is not in the room."))
    return participant
