"""Side meetings and robot slots in iCalendar, with the writer of ``planning.services.calendar``.

They join the personal feeds (``FEED_SOURCES``), so one subscription carries every meeting of
every event, side meetings and robot slots included; and each side meeting has its own
invitation (``METHOD:REQUEST``, the organiser and the attendees with their answers).
"""

from __future__ import annotations

from datetime import UTC

import icalendar
from django.utils.translation import gettext as _

from vev.planning.services import calendar as writer

from ..models import Invitation, RobotBooking, SideMeeting

_PARTSTAT = {
    Invitation.Status.PENDING: "NEEDS-ACTION",
    Invitation.Status.ACCEPTED: "ACCEPTED",
    Invitation.Status.DECLINED: "DECLINED",
}


def side_meeting_vevent(meeting: SideMeeting, *, with_attendees: bool) -> icalendar.Event:
    tz = meeting.event.tz
    vevent = icalendar.Event()
    vevent.add("uid", writer.uid("side-meeting", meeting.pk))
    vevent.add("dtstamp", writer.stamp())
    vevent.add("last-modified", meeting.updated_at.astimezone(UTC).replace(microsecond=0))
    vevent.add("dtstart", meeting.starts_at.astimezone(tz))
    vevent.add("dtend", meeting.ends_at.astimezone(tz))
    vevent.add("sequence", meeting.calendar_sequence)
    vevent.add("summary", meeting.title)
    call = writer.absolute(meeting.get_absolute_url() + "call/")
    vevent.add(
        "description",
        "\n".join(
            [
                _("Side meeting at %(event)s") % {"event": meeting.event.title},
                _("Room: %(room)s (%(space)s)")
                % {"room": meeting.room.name, "space": meeting.room.space.name},
                _("Join: %(url)s") % {"url": call},
            ]
        ),
    )
    vevent.add("location", f"{meeting.room.name}, {meeting.room.space.name}")
    vevent.add("url", writer.absolute(meeting.get_absolute_url()))
    vevent.add(
        "conference",
        call,
        parameters={"VALUE": "URI", "FEATURE": "AUDIO,VIDEO,CHAT", "LABEL": _("Join")},
    )
    vevent.add("class", "PRIVATE")
    vevent.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if with_attendees:
        organiser = icalendar.vCalAddress(f"mailto:{meeting.organiser.email}")
        organiser.params["CN"] = icalendar.vText(meeting.organiser.display_name)
        vevent.add("organizer", organiser)
        for invitation in meeting.invitations.select_related("user"):
            attendee = icalendar.vCalAddress(f"mailto:{invitation.user.email}")
            attendee.params["CN"] = icalendar.vText(invitation.user.display_name)
            attendee.params["PARTSTAT"] = icalendar.vText(_PARTSTAT[invitation.status])
            attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
            vevent.add("attendee", attendee, encode=0)
    return vevent


def robot_vevent(booking: RobotBooking) -> icalendar.Event:
    tz = booking.robot.event.tz
    vevent = icalendar.Event()
    vevent.add("uid", writer.uid("robot-booking", booking.pk))
    vevent.add("dtstamp", writer.stamp())
    vevent.add("dtstart", booking.starts_at.astimezone(tz))
    vevent.add("dtend", booking.ends_at.astimezone(tz))
    vevent.add("summary", _("Telepresence robot: %(name)s") % {"name": booking.robot.name})
    vevent.add("url", writer.absolute(booking.robot.get_absolute_url()))
    vevent.add("class", "PRIVATE")
    vevent.add(
        "status", "CANCELLED" if booking.status == RobotBooking.Status.CANCELLED else "CONFIRMED"
    )
    return vevent


def feed_entries(user, events):
    """``planning`` feed source: the user's side meetings and robot slots in ``events``."""
    if not getattr(user, "is_authenticated", False):
        return []
    entries = []
    invitations = (
        Invitation.objects.filter(user=user, side_meeting__event__in=list(events))
        .exclude(status=Invitation.Status.DECLINED)
        .select_related(
            "side_meeting__room__space", "side_meeting__event", "side_meeting__organiser"
        )
    )
    for invitation in invitations:
        entries.append(side_meeting_vevent(invitation.side_meeting, with_attendees=False))
    bookings = RobotBooking.objects.filter(
        user=user,
        robot__event__in=list(events),
        status__in=[*RobotBooking.ACTIVE, RobotBooking.Status.DONE],
    ).select_related("robot__event")
    entries.extend(robot_vevent(b) for b in bookings)
    return entries


def invitation_ics(meeting: SideMeeting) -> bytes:
    """The invitation of one side meeting (RFC 5546 REQUEST, or CANCEL once cancelled)."""
    calendar = writer.new_calendar(
        meeting.title, method="CANCEL" if meeting.is_cancelled else "REQUEST"
    )
    calendar.add_component(side_meeting_vevent(meeting, with_attendees=True))
    writer.finish(calendar, [meeting.starts_at])
    return calendar.to_ical()
