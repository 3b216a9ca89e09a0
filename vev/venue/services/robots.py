"""Telepresence robots: slots, check-in, hand-over, a queue when busy, the holder's link.

* A delegate books one of the robot's slots (its daily hours, event time zone, event days);
  the robot cannot be booked twice at once, nor a delegate hold two robots at once, and a
  delegate books at most ``MAX_SLOTS_PER_DAY`` slots a day (robots are scarce).
* The holder checks in from ``CHECK_IN_BEFORE`` before the slot until ``CHECK_IN_GRACE``
  after its start; a booking not checked in by then is *missed* and the robot is free.
* Only the delegate holding the robot now (checked in, within the slot) sees its control link.
* When the robot is busy, others join its queue. When the holder hands over (or the slot ends,
  or a booking is missed), the first in the queue gets the robot until the next booking (at
  most one slot) and is notified; they check in like any booking.

Every act locks the robot's row first, in one transaction; :func:`sweep` brings the state up
to date (also run every minute by the worker, ``tasks.sweep_robots``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vev.core.audit import log_action
from vev.council.permissions import Perm, has_perm
from vev.notifications.services import notify

from ..errors import BookingConflict, VenueError
from ..models import Robot, RobotBooking, RobotQueueEntry

CHECK_IN_BEFORE = timedelta(minutes=5)
CHECK_IN_GRACE = timedelta(minutes=10)
MAX_SLOTS_PER_DAY = 2
MIN_QUEUE_TURN = timedelta(minutes=5)

Status = RobotBooking.Status


def _fmt(moment: datetime, event) -> str:
    """The moment in the event's zone, in the active language (weekday and month names)."""
    local = moment.astimezone(event.tz)
    with timezone.override(event.tz):
        return f"{date_format(local, 'D j M, H:i')} {local.tzname()}"


def _lock(robot: Robot) -> Robot:
    return Robot.objects.select_for_update(of=("self",)).select_related("event").get(pk=robot.pk)


def active_bookings(robot: Robot):
    return robot.bookings.filter(status__in=RobotBooking.ACTIVE)


def holder(robot: Robot, now: datetime | None = None) -> RobotBooking | None:
    """The booking holding the robot now: checked in, within its slot, not handed over."""
    now = now or timezone.now()
    return (
        robot.bookings.filter(status=Status.CHECKED_IN, starts_at__lte=now, ends_at__gt=now)
        .select_related("user")
        .first()
    )


def current_booking(robot: Robot, now: datetime | None = None) -> RobotBooking | None:
    """The active booking covering now (checked in or still within its check-in time)."""
    now = now or timezone.now()
    return (
        active_bookings(robot)
        .filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("user")
        .first()
    )


def slots(robot: Robot, day, *, now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    event = robot.event
    opens, closes = robot.hours_on(day, event.tz)
    step = timedelta(minutes=robot.slot_minutes)
    taken = list(
        active_bookings(robot)
        .filter(starts_at__lt=closes, ends_at__gt=opens)
        .values_list("starts_at", "ends_at", "user_id")
    )
    result = []
    start = opens
    while start + step <= closes:
        end = start + step
        owner = next((u for a, b, u in taken if a < end and b > start), None)
        result.append(
            {
                "starts_at": start,
                "ends_at": end,
                "free": owner is None and end > now,
                "mine_user": owner,
                "past": end <= now,
            }
        )
        start = end
    return result


def _serve_queue(robot: Robot, now: datetime) -> RobotBooking | None:
    """Give a free robot to the first one waiting, until the next booking (one slot at most)."""
    if current_booking(robot, now) is not None or not robot.is_open_at(robot.event, now):
        return None
    entry = robot.queue.filter(status=RobotQueueEntry.Status.WAITING).select_related("user").first()
    if entry is None:
        return None
    next_start = (
        active_bookings(robot)
        .filter(starts_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    _opens, closes = robot.hours_on(now.astimezone(robot.event.tz).date(), robot.event.tz)
    end = min(now + timedelta(minutes=robot.slot_minutes), closes)
    if next_start is not None:
        end = min(end, next_start)
    if end - now < MIN_QUEUE_TURN:
        return None
    entry.status = RobotQueueEntry.Status.SERVED
    entry.save(update_fields=["status"])
    booking = RobotBooking.objects.create(
        robot=robot, user=entry.user, starts_at=now, ends_at=end, from_queue=True
    )
    log_action(
        "vev.venue.robot.queue_served", event=robot.event, target=booking, data={"robot": robot.pk}
    )
    notify(
        [entry.user],
        kind="venue.robot.your_turn",
        title=gettext_lazy("%(robot)s is yours until %(until)s: check in within 10 minutes"),
        params={"robot": robot.name, "until": _fmt(end, robot.event)},
        url=robot.get_absolute_url(),
        event=robot.event,
    )
    return booking


def _sweep_locked(robot: Robot, now: datetime) -> None:
    robot.bookings.filter(status=Status.BOOKED, starts_at__lt=now - CHECK_IN_GRACE).update(
        status=Status.MISSED, updated_at=now
    )
    robot.bookings.filter(status=Status.BOOKED, ends_at__lte=now).update(
        status=Status.MISSED, updated_at=now
    )
    ended = robot.bookings.filter(status=Status.CHECKED_IN, ends_at__lte=now)
    for booking in ended:
        booking.status = Status.DONE
        booking.released_at = booking.ends_at
        booking.save(update_fields=["status", "released_at", "updated_at"])
    _serve_queue(robot, now)


@transaction.atomic
def sweep(robot: Robot, now: datetime | None = None) -> None:
    _sweep_locked(_lock(robot), now or timezone.now())


def _require(user, robot: Robot) -> None:
    if not has_perm(user, Perm.VENUE_ENTER, robot.event):
        raise VenueError(_("Only participants of this event use the robots."))
    if not robot.is_active:
        raise VenueError(_("This robot is out of service."))


@transaction.atomic
def book(robot: Robot, user, starts_at: datetime, *, request=None) -> RobotBooking:
    robot = _lock(robot)
    _require(user, robot)
    now = timezone.now()
    _sweep_locked(robot, now)
    event = robot.event
    ends_at = starts_at + timedelta(minutes=robot.slot_minutes)
    if ends_at <= now:
        raise BookingConflict(_("This slot is in the past."))
    if not robot.is_open_between(event, starts_at, ends_at):
        raise BookingConflict(
            _("%(robot)s can be booked from %(opens)s to %(closes)s (%(zone)s) on the event days.")
            % {
                "robot": robot.name,
                "opens": f"{robot.opens_at:%H:%M}",
                "closes": f"{robot.closes_at:%H:%M}",
                "zone": event.time_zone,
            }
        )
    opens, _closes = robot.hours_on(starts_at.astimezone(event.tz).date(), event.tz)
    if ((starts_at - opens).total_seconds() / 60) % robot.slot_minutes:
        raise BookingConflict(_("Choose one of the slots shown."))
    if active_bookings(robot).filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise BookingConflict(
            _("%(robot)s is already booked at %(start)s. Join the queue or choose another slot.")
            % {"robot": robot.name, "start": _fmt(starts_at, event)}
        )
    mine = RobotBooking.objects.filter(user=user, status__in=RobotBooking.ACTIVE)
    if mine.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise BookingConflict(_("You already hold a robot at that time."))
    day = starts_at.astimezone(event.tz).date()
    day_start, day_end = robot.hours_on(day, event.tz)
    if (
        mine.filter(robot=robot, starts_at__gte=day_start, starts_at__lt=day_end).count()
        >= MAX_SLOTS_PER_DAY
    ):
        raise BookingConflict(
            _("You can book at most %(n)d slots a day on %(robot)s, so that others get a turn.")
            % {"n": MAX_SLOTS_PER_DAY, "robot": robot.name}
        )
    booking = RobotBooking.objects.create(
        robot=robot, user=user, starts_at=starts_at, ends_at=ends_at
    )
    log_action(
        "vev.venue.robot.booked",
        actor=user,
        event=event,
        target=booking,
        data={"robot": robot.pk, "starts_at": starts_at.isoformat()},
        request=request,
    )
    return booking


def _own(booking: RobotBooking, user) -> RobotBooking:
    row = RobotBooking.objects.select_related("robot__event").get(pk=booking.pk)
    if row.user_id != user.pk:
        raise VenueError(_("This booking is not yours."))
    return row


@transaction.atomic
def cancel(booking: RobotBooking, user, *, request=None) -> RobotBooking:
    robot = _lock(booking.robot)
    row = _own(booking, user)
    if row.status != Status.BOOKED:
        raise VenueError(_("Only a booking not yet in use can be cancelled."))
    row.status = Status.CANCELLED
    row.save(update_fields=["status", "updated_at"])
    log_action(
        "vev.venue.robot.cancelled", actor=user, event=robot.event, target=row, request=request
    )
    _serve_queue(robot, timezone.now())
    return row


@transaction.atomic
def check_in(booking: RobotBooking, user, *, request=None) -> RobotBooking:
    robot = _lock(booking.robot)
    now = timezone.now()
    _sweep_locked(robot, now)
    row = _own(booking, user)
    if row.status == Status.CHECKED_IN:
        return row
    if row.status != Status.BOOKED:
        raise VenueError(_("This booking is no longer active."))
    if now < row.starts_at - CHECK_IN_BEFORE:
        raise VenueError(
            _("Check-in opens at %(at)s.")
            % {"at": _fmt(row.starts_at - CHECK_IN_BEFORE, robot.event)}
        )
    other = holder(robot, now)
    if other is not None and other.pk != row.pk:
        raise VenueError(
            _("%(robot)s is still in use: wait for the hand-over.") % {"robot": robot.name}
        )
    row.status = Status.CHECKED_IN
    row.checked_in_at = now
    row.save(update_fields=["status", "checked_in_at", "updated_at"])
    log_action(
        "vev.venue.robot.checked_in", actor=user, event=robot.event, target=row, request=request
    )
    return row


@transaction.atomic
def hand_over(booking: RobotBooking, user, *, request=None) -> RobotBooking:
    """The holder releases the robot before the end of the slot; the queue is served."""
    robot = _lock(booking.robot)
    row = _own(booking, user)
    if row.status != Status.CHECKED_IN:
        raise VenueError(_("You are not holding this robot."))
    now = timezone.now()
    row.status = Status.DONE
    row.released_at = now
    row.ends_at = max(min(row.ends_at, now), row.starts_at + timedelta(seconds=1))
    row.save(update_fields=["status", "released_at", "ends_at", "updated_at"])
    log_action(
        "vev.venue.robot.handed_over", actor=user, event=robot.event, target=row, request=request
    )
    _serve_queue(robot, now)
    return row


@transaction.atomic
def join_queue(robot: Robot, user, *, request=None) -> RobotQueueEntry:
    robot = _lock(robot)
    _require(user, robot)
    now = timezone.now()
    _sweep_locked(robot, now)
    current = current_booking(robot, now)
    if current is None:
        raise VenueError(_("%(robot)s is free now: book the current slot.") % {"robot": robot.name})
    if current.user_id == user.pk:
        raise VenueError(_("You hold this robot now."))
    entry, created = RobotQueueEntry.objects.get_or_create(
        robot=robot,
        user=user,
        status=RobotQueueEntry.Status.WAITING,
        defaults={"joined_at": now},
    )
    if created:
        log_action(
            "vev.venue.robot.queued", actor=user, event=robot.event, target=entry, request=request
        )
    return entry


@transaction.atomic
def leave_queue(robot: Robot, user) -> None:
    _lock(robot)
    robot.queue.filter(user=user, status=RobotQueueEntry.Status.WAITING).update(
        status=RobotQueueEntry.Status.LEFT
    )


def queue_position(robot: Robot, user) -> int | None:
    waiting = list(
        robot.queue.filter(status=RobotQueueEntry.Status.WAITING).values_list("user_id", flat=True)
    )
    return waiting.index(user.pk) + 1 if user.pk in waiting else None


def control_link(robot: Robot, user, now: datetime | None = None) -> str:
    """The robot's control link, for the delegate holding it now and nobody else."""
    current = holder(robot, now)
    if current is None or current.user_id != user.pk:
        raise VenueError(_("The control link is shown only to the delegate holding the robot."))
    return robot.control_url
