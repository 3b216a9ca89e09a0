"""Side meetings: booked in a meeting room's time slots, private, for invitees only.

Booking rules (refused on the server with a message that says which one):

* a slot lies within the room's daily opening hours (event time zone) on a day of the event,
  starts on the room's slot grid (planned meetings) and is not in the past;
* the room is not booked at that time (double booking);
* neither the organiser nor an invitee who accepted is in another side meeting at that time;
* the room has a seat for everybody invited;
* each invitee accepts invitations from the organiser (privacy settings, blocks, do-not-disturb).

Each act runs in one transaction that first locks the room's row and the participants' venue
settings rows (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite transactions take the write lock
at their start), so two bookings of the same slot cannot both succeed.

**The audit log does not say who meets whom** (:func:`_audit_room`): a side meeting is
private, and an entry naming its organiser, or one per invitee who answers, would show the
readers of the audit log who meets whom. The log records that a room's slot was taken or freed
— the room, the times, how many were invited, the side meeting's number — with no person, no
session or address, and not the side meeting itself as target (whose label is its subject).
Answers to invitations are personal choices and are not audited. Only a cancellation by the
secretariat of someone else's meeting names its actor: that is an act of the secretariat.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vev.core.audit import log_action
from vev.council.models import Event
from vev.council.permissions import Perm, has_perm
from vev.notifications.services import notify

from ..errors import BookingConflict, VenueError
from ..models import Area, Invitation, SideMeeting, VenueProfile
from . import privacy

#: A side meeting's call opens this long before its start.
CALL_OPENS_BEFORE = timedelta(minutes=10)
MAX_SLOTS = 4  # at most two hours in 30-minute slots


def _fmt(moment: datetime, event) -> str:
    """The moment in the event's zone, in the active language (weekday and month names)."""
    local = moment.astimezone(event.tz)
    with timezone.override(event.tz):
        return f"{date_format(local, 'D j M Y, H:i')} {local.tzname()}"


def _lock_people(event: Event, user_ids: Iterable[int]) -> None:
    """Serialise bookings that involve the same people (rows created on first use)."""
    ids = sorted(set(user_ids))
    for user_id in ids:
        VenueProfile.objects.get_or_create(event=event, user_id=user_id)
    list(VenueProfile.objects.select_for_update().filter(event=event, user_id__in=ids))


def _audit_room(action: str, meeting: SideMeeting, *, actor=None, request=None) -> None:
    """Audit a side meeting's slot without naming anybody in it (see the module's docstring).

    ``actor`` and ``request`` are given only for an act of the secretariat on someone else's
    side meeting.
    """
    log_action(
        action,
        actor=actor,
        event=meeting.event,
        target=meeting.room,
        data={
            "side_meeting": meeting.pk,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "invited": meeting.invitations.exclude(user_id=meeting.organiser_id).count(),
            "origin": meeting.origin,
        },
        request=request if actor is not None else None,
    )


def busy(user_id: int, starts_at: datetime, ends_at: datetime, *, exclude: int | None = None):
    """Scheduled side meetings overlapping [starts_at, ends_at) the user organises or accepted."""
    meetings = SideMeeting.objects.filter(
        status=SideMeeting.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).filter(
        Q(organiser_id=user_id)
        | Q(invitations__user_id=user_id, invitations__status=Invitation.Status.ACCEPTED)
    )
    if exclude:
        meetings = meetings.exclude(pk=exclude)
    return meetings.distinct()


def room_bookings(room: Area, starts_at: datetime, ends_at: datetime):
    return SideMeeting.objects.filter(
        room=room,
        status=SideMeeting.Status.SCHEDULED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def slots(room: Area, day, *, now: datetime | None = None) -> list[dict]:
    """The room's slots on ``day`` (a date in the event's zone): start, end, free or not.

    Who booked a taken slot is not said: side meetings are private.
    """
    event = room.space.venue.event
    now = now or timezone.now()
    opens, closes = room.hours_on(day, event.tz)
    step = timedelta(minutes=room.slot_minutes)
    taken = list(room_bookings(room, opens, closes).values_list("starts_at", "ends_at"))
    result = []
    start = opens
    while start + step <= closes:
        end = start + step
        is_taken = any(a < end and b > start for a, b in taken)
        result.append(
            {
                "starts_at": start,
                "ends_at": end,
                "free": not is_taken and end > now,
                "past": end <= now,
            }
        )
        start = end
    return result


def _check_slot(room: Area, starts_at: datetime, ends_at: datetime, *, planned: bool) -> None:
    event = room.space.venue.event
    if ends_at <= starts_at:
        raise VenueError(_("A meeting must end after it starts."))
    if planned and starts_at < timezone.now() - timedelta(minutes=room.slot_minutes):
        raise BookingConflict(_("This slot is in the past."))
    if not room.is_open_between(event, starts_at, ends_at):
        raise BookingConflict(
            _(
                "%(room)s is open from %(opens)s to %(closes)s (%(zone)s) on the days of the "
                "event: %(start)s is outside its opening hours."
            )
            % {
                "room": room.name,
                "opens": f"{room.opens_at:%H:%M}",
                "closes": f"{room.closes_at:%H:%M}",
                "zone": event.time_zone,
                "start": _fmt(starts_at, event),
            }
        )
    if planned:
        opens, _closes = room.hours_on(starts_at.astimezone(event.tz).date(), event.tz)
        minutes = (starts_at - opens).total_seconds() / 60
        length = (ends_at - starts_at).total_seconds() / 60
        if minutes % room.slot_minutes or length % room.slot_minutes:
            raise BookingConflict(
                _("%(room)s is booked in slots of %(n)d minutes: choose one of the slots shown.")
                % {"room": room.name, "n": room.slot_minutes}
            )
        if length > room.slot_minutes * MAX_SLOTS:
            raise BookingConflict(_("A side meeting lasts at most %(n)d slots.") % {"n": MAX_SLOTS})


@transaction.atomic
def book(
    *,
    organiser,
    room: Area,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    invitee_ids: Iterable[int],
    origin: str = SideMeeting.Origin.PLANNED,
    request=None,
) -> SideMeeting:
    """Book ``room`` from ``starts_at`` to ``ends_at`` and invite ``invitee_ids``."""
    event = room.space.venue.event
    if not has_perm(organiser, Perm.VENUE_ENTER, event):
        raise VenueError(_("Only participants of this event book side meetings."))
    if not room.is_room:
        raise VenueError(_("Only meeting rooms can be booked."))
    title = (title or "").strip()
    if not title:
        raise VenueError(_("Give the meeting a subject (only invitees see it)."))
    invitee_ids = sorted({int(i) for i in invitee_ids} - {organiser.pk})
    if not invitee_ids:
        raise VenueError(_("Invite at least one person."))
    if len(invitee_ids) + 1 > room.capacity:
        raise BookingConflict(
            _("%(room)s seats %(n)d people: invite at most %(m)d.")
            % {"room": room.name, "n": room.capacity, "m": room.capacity - 1}
        )
    room = (
        Area.objects.select_for_update(of=("self",))
        .select_related("space__venue__event")
        .get(pk=room.pk)
    )
    _lock_people(event, [organiser.pk, *invitee_ids])
    _check_slot(room, starts_at, ends_at, planned=origin == SideMeeting.Origin.PLANNED)
    if room_bookings(room, starts_at, ends_at).exists():
        raise BookingConflict(
            _("%(room)s is already booked at %(start)s. Choose another slot or room.")
            % {"room": room.name, "start": _fmt(starts_at, event)}
        )
    if busy(organiser.pk, starts_at, ends_at).exists():
        raise BookingConflict(
            _("You are already in another side meeting at %(start)s.")
            % {"start": _fmt(starts_at, event)}
        )
    people = privacy.personas(event, [organiser.pk, *invitee_ids])
    me = people.get(organiser.pk)
    blocked = privacy.blocked_ids(organiser.pk)
    for invitee_id in invitee_ids:
        other = people.get(invitee_id)
        if other is None:
            raise VenueError(_("One of the people invited does not take part in this event."))
        refusal = privacy.invite_refusal(me, other, blocked)
        if refusal:
            raise VenueError(refusal)
        if busy(invitee_id, starts_at, ends_at).exists():
            raise BookingConflict(
                _("%(name)s is already booked at %(start)s.")
                % {"name": other.name, "start": _fmt(starts_at, event)}
            )
    meeting = SideMeeting.objects.create(
        event=event,
        room=room,
        organiser=organiser,
        title=title[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        origin=origin,
    )
    now = timezone.now()
    Invitation.objects.create(
        side_meeting=meeting, user=organiser, status=Invitation.Status.ACCEPTED, responded_at=now
    )
    Invitation.objects.bulk_create(
        [Invitation(side_meeting=meeting, user_id=uid) for uid in invitee_ids]
    )
    _audit_room("vev.venue.side_meeting.booked", meeting)
    notify(
        get_user_model().objects.filter(pk__in=invitee_ids),
        kind="venue.side_meeting.invited",
        title=gettext_lazy("%(name)s invites you to a side meeting on %(when)s"),
        params={"name": organiser.display_name, "when": _fmt(starts_at, event)},
        url=meeting.get_absolute_url(),
        event=event,
    )
    return meeting


@transaction.atomic
def respond(invitation: Invitation, *, user, accept: bool, request=None) -> Invitation:
    row = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("side_meeting__event")
        .get(pk=invitation.pk)
    )
    meeting = row.side_meeting
    if row.user_id != user.pk:
        raise VenueError(_("This invitation is not yours."))
    if meeting.is_cancelled:
        raise VenueError(_("This side meeting was cancelled."))
    if meeting.ends_at <= timezone.now():
        raise VenueError(_("This side meeting is over."))
    if meeting.organiser_id == user.pk:
        raise VenueError(_("You organise this meeting; cancel it instead."))
    _lock_people(meeting.event, [user.pk])
    if accept and busy(user.pk, meeting.starts_at, meeting.ends_at, exclude=meeting.pk).exists():
        raise BookingConflict(
            _("You are already in another side meeting at %(start)s.")
            % {"start": _fmt(meeting.starts_at, meeting.event)}
        )
    row.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    row.responded_at = timezone.now()
    row.save(update_fields=["status", "responded_at", "updated_at"])
    # Not audited: a personal answer, which would show who meets whom.
    notify(
        [meeting.organiser],
        kind="venue.side_meeting.answered",
        title=(
            gettext_lazy("%(name)s accepted your side meeting “%(title)s”")
            if accept
            else gettext_lazy("%(name)s declined your side meeting “%(title)s”")
        ),
        params={"name": user.display_name, "title": meeting.title},
        url=meeting.get_absolute_url(),
        event=meeting.event,
        email=False,
    )
    return row


@transaction.atomic
def cancel(meeting: SideMeeting, *, by, request=None) -> SideMeeting:
    row = SideMeeting.objects.select_for_update().get(pk=meeting.pk)
    if row.organiser_id != by.pk and not has_perm(by, Perm.VENUE_MANAGE, row.event):
        raise VenueError(_("Only the organiser can cancel this side meeting."))
    if row.is_cancelled:
        raise VenueError(_("This side meeting is already cancelled."))
    row.status = SideMeeting.Status.CANCELLED
    row.calendar_sequence += 1
    row.save(update_fields=["status", "calendar_sequence", "updated_at"])
    by_secretariat = row.organiser_id != by.pk
    _audit_room(
        "vev.venue.side_meeting.cancelled",
        row,
        actor=by if by_secretariat else None,
        request=request,
    )
    others = [
        i.user
        for i in row.invitations.exclude(user=by)
        .exclude(status=Invitation.Status.DECLINED)
        .select_related("user")
    ]
    notify(
        others,
        kind="venue.side_meeting.cancelled",
        title=gettext_lazy("The side meeting “%(title)s” on %(when)s was cancelled"),
        params={"title": row.title, "when": _fmt(row.starts_at, row.event)},
        url=row.get_absolute_url(),
        event=row.event,
    )
    return row


def free_room(space, starts_at: datetime, ends_at: datetime) -> Area | None:
    """A meeting room of the venue (this space first) open and free for the whole period."""
    event = space.venue.event
    rooms = sorted(
        Area.objects.filter(space__venue=space.venue, kind=Area.Kind.MEETING_ROOM).select_related(
            "space"
        ),
        key=lambda r: (r.space_id != space.pk, r.space.position, r.name),
    )
    for room in rooms:
        if (
            room.is_open_between(event, starts_at, ends_at)
            and not room_bookings(room, starts_at, ends_at).exists()
        ):
            return room
    return None


def start_from_bubble(*, organiser, space, member_ids: Iterable[int], request=None) -> SideMeeting:
    """A spontaneous side meeting: the conversation moves to a free room, starting now."""
    now = timezone.now().replace(microsecond=0)
    others = [m for m in member_ids if m != organiser.pk]
    for minutes in (30, 15):
        ends = now + timedelta(minutes=minutes)
        room = free_room(space, now, ends)
        if room is not None:
            return book(
                organiser=organiser,
                room=room,
                title=_("Conversation of %(name)s") % {"name": organiser.display_name},
                starts_at=now,
                ends_at=ends,
                invitee_ids=others,
                origin=SideMeeting.Origin.BUBBLE,
                request=request,
            )
    raise BookingConflict(_("No meeting room is free for the next 15 minutes."))


# --- who sees what ----------------------------------------------------------------------------


def invitation_of(meeting: SideMeeting, user) -> Invitation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return meeting.invitations.filter(user=user).first()


def may_see(meeting: SideMeeting, user) -> bool:
    """Side meetings are private: only the people invited know they exist."""
    return invitation_of(meeting, user) is not None


def may_join(meeting: SideMeeting, user, *, now: datetime | None = None) -> str | None:
    """Why ``user`` cannot enter the meeting's call now (None: they can)."""
    now = now or timezone.now()
    invitation = invitation_of(meeting, user)
    if invitation is None:
        return _("Only the people invited can join this side meeting.")
    if meeting.is_cancelled:
        return _("This side meeting was cancelled.")
    if invitation.status != Invitation.Status.ACCEPTED:
        return _("Accept the invitation to join.")
    if now < meeting.starts_at - CALL_OPENS_BEFORE:
        return _("The meeting opens %(n)d minutes before it starts.") % {
            "n": int(CALL_OPENS_BEFORE.total_seconds() // 60)
        }
    if now >= meeting.ends_at:
        return _("This side meeting is over.")
    return None


def for_user(user, event: Event | None = None):
    """Side meetings the user is invited to (any answer) or organises, soonest first."""
    meetings = SideMeeting.objects.filter(invitations__user=user).select_related(
        "room__space", "event", "organiser"
    )
    if event is not None:
        meetings = meetings.filter(event=event)
    return meetings.distinct().order_by("starts_at")
