"""iCalendar feeds of the published plan (RFC 5545, with RFC 7986 URL and CONFERENCE).

Each meeting is a VEVENT whose DTSTART/DTEND carry the event's time zone (TZID, with its
VTIMEZONE), so calendar applications show it in the delegate's own zone and get daylight-saving
changes right. The UID is built from the meeting id, which publishing keeps stable; SEQUENCE is
``Meeting.calendar_sequence``, raised whenever a meeting moves or is cancelled. Cancelled
meetings stay in the feed with STATUS:CANCELLED so subscribed calendars remove them.

Per-user feeds are reached with a secret token in the address (calendar applications cannot
sign in); the user resets it to revoke old addresses. Who sees which meeting is decided by the
same rules as the pages (``council.permissions.can_see_meeting``).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.i18n import day_time_format
from vev.council.models import AgendaAllocation, Event, Meeting, Registration
from vev.council.permissions import Perm, can_see_meeting, has_perm

from ..models import CalendarFeedToken, new_feed_token

PRODID = "-//vev//Council time-management plan//EN"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


#: Other apps may say where “Join” takes a user: ``link(user, meeting)`` returns an absolute
#: address, or "" to leave it to the next (the venue's join address, which sends each role to
#: its own link, is registered by ``vev.venue``).
JOIN_LINKS: list = []


def join_url(meeting: Meeting, user=None) -> str:
    """Where ``user`` joins: a registered ``JOIN_LINKS`` answer; else the external platform's
    link, or the meeting's page in vev."""
    for link in JOIN_LINKS:
        url = link(user, meeting)
        if url:
            return url
    if meeting.platform != Meeting.Platform.VEV and meeting.join_url:
        return meeting.join_url
    return absolute(meeting.get_absolute_url())


def _meetings(events: Iterable[Event], user) -> list[Meeting]:
    meetings = (
        Meeting.objects.filter(event__in=list(events))
        .exclude(status=Meeting.Status.CANCELLED, calendar_sequence=0)
        .select_related("event", "committee")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=AgendaAllocation.objects.select_related("item").order_by("position"),
            )
        )
        .order_by("starts_at")
    )
    return [m for m in meetings if can_see_meeting(user, m)]


def _description(meeting: Meeting, user) -> str:
    lines = []
    if meeting.title:
        lines.append(meeting.title)
    items = [str(a.item) for a in meeting.allocations.all()]
    if items:
        lines.append(_("Agenda:"))
        lines.extend(f"{index}. {text}" for index, text in enumerate(items, start=1))
    tz_name = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    if tz_name and tz_name != meeting.event.time_zone:
        local_tz = zoneinfo.ZoneInfo(tz_name)
        start = meeting.starts_at.astimezone(local_tz)
        end = meeting.ends_at.astimezone(local_tz)
        lines.append(
            _("Your time (%(zone)s): %(start)s–%(end)s")
            % {
                "zone": tz_name,
                "start": date_format(start, day_time_format()),
                "end": end.strftime("%H:%M %Z"),
            }
        )
    lines.append(_("Join: %(url)s") % {"url": join_url(meeting, user)})
    support = meeting.event.support
    if support:
        lines.append(_("Support: %(contact)s") % {"contact": support})
    return "\n".join(lines)


def build_calendar(events: list[Event], user, *, name: str) -> bytes:
    """The feed of ``events`` as ``user`` may see them (anonymous: public meetings only)."""
    calendar = new_calendar(name)
    if len(events) == 1:
        calendar.add("x-wr-timezone", events[0].time_zone)
        calendar.add("url", absolute(reverse("planning:plan", kwargs={"event": events[0].slug})))
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    now = stamp()
    meetings = _meetings(events, user)
    for meeting in meetings:
        tz = meeting.event.tz
        vevent = icalendar.Event()
        vevent.add("uid", uid("meeting", meeting.pk))
        vevent.add("dtstamp", now)
        vevent.add("last-modified", meeting.updated_at.astimezone(UTC).replace(microsecond=0))
        vevent.add("dtstart", meeting.starts_at.astimezone(tz))
        vevent.add("dtend", meeting.ends_at.astimezone(tz))
        vevent.add("sequence", meeting.calendar_sequence)
        title = f"{meeting.code} – {meeting.event.title}"
        vevent.add("summary", title)
        vevent.add("description", _description(meeting, user))
        vevent.add("location", meeting.get_platform_display())
        vevent.add("url", absolute(meeting.get_absolute_url()))
        vevent.add(
            "conference",
            join_url(meeting, user),
            parameters={
                "VALUE": "URI",
                "FEATURE": "AUDIO,VIDEO",
                "LABEL": _("Join %(meeting)s") % {"meeting": meeting.code},
            },
        )
        vevent.add(
            "class",
            {
                Meeting.Access.PUBLIC: "PUBLIC",
                Meeting.Access.PRIVATE: "PRIVATE",
                Meeting.Access.CLOSED: "CONFIDENTIAL",
            }[meeting.access],
        )
        vevent.add(
            "status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
        )
        if meeting.committee:
            vevent.add("categories", [meeting.committee.code])
        calendar.add_component(vevent)
    starts = [m.starts_at for m in meetings]
    for source in FEED_SOURCES:
        for component in source(user, events):
            calendar.add_component(component)
            starts.append(component.decoded("dtstart"))
    finish(calendar, starts)
    return calendar.to_ical()


#: Other apps add their entries to the personal feeds: ``source(user, events)`` returns
#: ``icalendar.Event`` components (e.g. the venue's side meetings and robot bookings).
FEED_SOURCES: list = []


def finish(calendar: icalendar.Calendar, starts: list) -> None:
    """Add the VTIMEZONE of every TZID used, covering a year either side of the entries."""
    if starts:
        first = min(starts).date() - timedelta(days=366)
        last = max(starts).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)


def new_calendar(name: str, *, method: str = "PUBLISH") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)  # RFC 7986
    return calendar


def stamp() -> datetime:
    """Now, in UTC to the second (an entry's DTSTAMP)."""
    return timezone.now().astimezone(UTC).replace(microsecond=0)


def uid(kind: str, pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "vev"
    return f"{kind}-{pk}@{host}"


# --- per-user feeds ---------------------------------------------------------------------------


def feed_token(user) -> CalendarFeedToken:
    return CalendarFeedToken.objects.get_or_create(user=user)[0]


@transaction.atomic
def reset_feed_token(user, *, request=None) -> CalendarFeedToken:
    """A new secret: every address with the old one stops working."""
    token, created = CalendarFeedToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.save(update_fields=["token", "updated_at"])
    log_action("vev.planning.calendar_token.reset", actor=user, target=token, request=request)
    return token


def user_for_token(token: str):
    """The user a feed address belongs to, or None (unknown token, inactive user)."""
    if not token or len(token) > 64:
        return None
    row = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        return None
    return row.user


def user_events(user) -> list[Event]:
    """Events the user takes part in (approved registration or a staff function)."""
    return list(
        Event.objects.filter(
            Q(registrations__user=user, registrations__status=Registration.Status.APPROVED)
            | Q(staff__user=user)
        )
        .distinct()
        .order_by("first_day")
    )


def may_subscribe(user, event: Event) -> bool:
    """A personal feed of ``event``: public events, or registrants and staff of the event."""
    if event.is_public:
        return True
    return (
        has_perm(user, Perm.EVENT_VIEW, event)
        or Registration.objects.filter(
            event=event, user=user, status=Registration.Status.APPROVED
        ).exists()
    )
