"""The unified schedule: every meeting of a delegate's events, on whatever platform, with
their side meetings and robot slots, and the one rule for where “Join” takes each role.

The join button is active from ``JOIN_OPENS_BEFORE`` before a meeting until its end (and while
the chair keeps it in session beyond its planned end); the join address refuses outside that
window (``join_refusal``), whoever follows it — the button, a bookmark or a calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vev.council.models import Event, Meeting
from vev.council.permissions import (
    Perm,
    Role,
    can_see_meeting,
    event_roles,
    has_perm,
    may_enter_closed_meeting,
)

from ..models import (
    Invitation,
    MeetingJoinLink,
    MeetingJoinMark,
    MeetingJoinTally,
    RobotBooking,
)
from . import analytics, privacy
from .robots import CHECK_IN_BEFORE
from .side_meetings import CALL_OPENS_BEFORE

JOIN_OPENS_BEFORE = timedelta(minutes=15)

Audience = MeetingJoinLink.Audience


@dataclass(frozen=True)
class JoinTarget:
    url: str
    #: vev's own: "room", "console", "tech", "booth", "captions", "webcast"; "external";
    #: "meeting_page"
    kind: str
    label: str
    external: bool = False


def join_state(
    starts_at: datetime,
    ends_at: datetime,
    *,
    now: datetime | None = None,
    cancelled: bool = False,
    opens_before: timedelta = JOIN_OPENS_BEFORE,
) -> str:
    """``open`` from ``opens_before`` (JOIN_OPENS_BEFORE) before the start until the end;
    else early/ended."""
    now = now or timezone.now()
    if cancelled:
        return "cancelled"
    if now < starts_at - opens_before:
        return "early"
    if now >= ends_at:
        return "ended"
    return "open"


def meeting_join_state(meeting: Meeting, *, now: datetime | None = None) -> str:
    """``join_state`` of a meeting: its times, and what the chair did (a meeting in session
    stays open beyond its planned end; one the chair closed is over)."""
    if meeting.status == Meeting.Status.CANCELLED:
        return "cancelled"
    if meeting.status == Meeting.Status.ENDED:
        return "ended"
    if meeting.status in (Meeting.Status.LIVE, Meeting.Status.SUSPENDED):
        return "open"
    return join_state(meeting.starts_at, meeting.ends_at, now=now)


def join_refusal(meeting: Meeting, *, now: datetime | None = None) -> str | None:
    """Why “Join” does not open ``meeting`` now (None: it does)."""
    state = meeting_join_state(meeting, now=now)
    if state == "open":
        return None
    if state == "cancelled":
        return _("%(m)s was cancelled.") % {"m": meeting.code}
    if state == "ended":
        return _("%(m)s has ended; its record is on the meeting's page.") % {"m": meeting.code}
    opens = (meeting.starts_at - JOIN_OPENS_BEFORE).astimezone(meeting.event.tz)
    minutes = int(JOIN_OPENS_BEFORE.total_seconds() // 60)
    return ngettext(
        "You can join %(m)s from %(time)s (%(zone)s), %(n)d minute before it starts.",
        "You can join %(m)s from %(time)s (%(zone)s), %(n)d minutes before it starts.",
        minutes,
    ) % {"m": meeting.code, "time": f"{opens:%H:%M}", "zone": meeting.event.time_zone, "n": minutes}


def audience(user, event: Event) -> str | None:
    """Which external link a user's role uses (None: the meeting's general link)."""
    roles = event_roles(user, event)
    if Role.INTERPRETER in roles:
        return Audience.INTERPRETERS
    if Role.CAPTIONER in roles:
        return Audience.CAPTIONERS
    if roles & {Role.SECRETARIAT, Role.CHAIR, Role.VICE_CHAIR, Role.MODERATOR, Role.TECHNICIAN}:
        return Audience.STAFF
    if roles & {Role.HEAD_OF_DELEGATION, Role.COUNCILLOR, Role.ADVISER}:
        return Audience.MEMBERS
    if Role.OBSERVER in roles:
        return Audience.OBSERVERS
    return None


def _booth_serves(user, meeting: Meeting) -> bool:
    """Whether the user interprets in a booth of this meeting (their booth language is one of
    the meeting's channels: ``media_access``, the rule the booth console itself applies)."""
    if not has_perm(user, Perm.MEDIA_INTERPRET, meeting.event):
        return False
    from vev.media.services.access import media_access

    return media_access(user, meeting).booth_language is not None


def _room_url(user, meeting: Meeting) -> tuple[str, str]:
    """vev's own room, or the console of the role: the chair's console for those who moderate
    the meeting (chair, vice-chair, secretariat, moderator), the technical console for
    technicians, the booth console for interpreters whose booth serves the meeting, the
    captioner's page for captioners."""
    kwargs = {"event": meeting.event.slug, "meeting": meeting.slug}
    event = meeting.event
    if has_perm(user, Perm.MEETING_MODERATE, event):
        return reverse("live:console", kwargs=kwargs), "console"
    if has_perm(user, Perm.MEETING_SUPPORT, event):
        return reverse("live:tech", kwargs=kwargs), "tech"
    if _booth_serves(user, meeting):
        return reverse("live:booth", kwargs=kwargs), "booth"
    if Role.CAPTIONER in event_roles(user, event):
        return reverse("live:captioner", kwargs=kwargs), "captions"
    return reverse("live:room", kwargs=kwargs), "room"


def may_attend(user, meeting: Meeting) -> bool:
    """The live room's rule: participants; a closed meeting only for Councillors, the
    presiding officers and the staff named for it (``may_enter_closed_meeting``)."""
    event = meeting.event
    if not has_perm(user, Perm.MEETING_ATTEND, event):
        return False
    if meeting.is_closed:
        return has_perm(user, Perm.MEETING_ATTEND_CLOSED, event) and may_enter_closed_meeting(
            user, meeting
        )
    return True


def join_target(user, meeting: Meeting) -> JoinTarget:
    """Where “Join” takes ``user`` for ``meeting``: the one place this is decided.

    * who may attend, on vev's platform: the live room, or the console of their role (the
      chair's console for who moderates, the technical console for technicians); on an
      external platform: the link for their role when the secretariat gave
      one (interpreters, captioners, staff, members, observers), else the meeting's link;
    * who may only follow (the public, a pending registration): on vev's platform the webcast
      (a closed meeting has none), else the meeting's page.
    """
    page = meeting.get_absolute_url()
    if not may_attend(user, meeting):
        follow = _("Follow %(m)s") % {"m": meeting.code}
        if (
            meeting.platform == Meeting.Platform.VEV
            and not meeting.is_closed
            and can_see_meeting(user, meeting)
        ):
            kwargs = {"event": meeting.event.slug, "meeting": meeting.slug}
            return JoinTarget(reverse("live:webcast", kwargs=kwargs), "webcast", follow)
        return JoinTarget(page, "meeting_page", follow)
    if meeting.platform == Meeting.Platform.VEV:
        url, kind = _room_url(user, meeting)
        return JoinTarget(url, kind, _("Join %(m)s") % {"m": meeting.code})
    url = meeting.join_url
    wanted = audience(user, meeting.event)
    if wanted:
        link = meeting.join_links.filter(audience=wanted).values_list("url", flat=True).first()
        url = link or url
    if not url:
        return JoinTarget(page, "meeting_page", _("Join %(m)s") % {"m": meeting.code})
    return JoinTarget(
        url,
        "external",
        _("Join %(m)s on %(platform)s")
        % {"m": meeting.code, "platform": meeting.get_platform_display()},
        external=True,
    )


def calendar_join_link(user, meeting: Meeting) -> str:
    """``planning`` join link: in the feeds of a participant of the event, the venue's join
    address for the meeting, which sends them where their role joins (``join_target``) while
    it is open — never the meeting's general link in place of their role's. Feeds of those
    who may not use that address (the public) keep planning's default."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if not has_perm(user, Perm.MEETING_VIEW, meeting.event) or not can_see_meeting(user, meeting):
        return ""
    from vev.planning.services.calendar import absolute

    return absolute(
        reverse("venue:join", kwargs={"event": meeting.event.slug, "meeting": meeting.slug})
    )


@transaction.atomic
def count_join(user, meeting: Meeting) -> None:
    """Count the user once among the people who joined the meeting, by ITU region (never who:
    the mark that they were counted is a keyed hash, deleted once the meeting is over)."""
    key = analytics.join_key(meeting.pk, user.pk)
    _mark, first_time = MeetingJoinMark.objects.get_or_create(meeting=meeting, key=key)
    if not first_time:
        return
    me = privacy.persona(user, meeting.event)
    region = me.region if me else ""
    tally, _created = MeetingJoinTally.objects.get_or_create(meeting=meeting, region=region)
    MeetingJoinTally.objects.filter(pk=tally.pk).update(joins=F("joins") + 1)


@dataclass
class Entry:
    kind: str  # meeting, side_meeting, robot
    title: str
    starts_at: datetime
    ends_at: datetime
    event: Event
    where: str
    state: str
    join_url: str = ""
    detail_url: str = ""
    obj: object = None
    note: str = ""
    #: when “Join” turns on and off (the page's script follows them); None: no change to come
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @property
    def opens_minutes(self) -> int:
        """How long before the start “Join” turns on."""
        if self.opens_at is None:
            return 0
        return int((self.starts_at - self.opens_at).total_seconds() // 60)


def user_events(user) -> list[Event]:
    from vev.planning.services.calendar import user_events as planning_user_events

    return planning_user_events(user)


def schedule_for(user, *, now: datetime | None = None, include_past: bool = False) -> list[Entry]:
    """Everything on the user's agenda, soonest first (past entries of today kept)."""
    now = now or timezone.now()
    horizon = now - timedelta(hours=12)
    entries: list[Entry] = []
    events = user_events(user)
    meetings = (
        Meeting.objects.filter(event__in=events)
        .exclude(status=Meeting.Status.CANCELLED, calendar_sequence=0)
        .select_related("event")
        .order_by("starts_at")
    )
    for meeting in meetings:
        if not include_past and meeting.ends_at < horizon:
            continue
        if not can_see_meeting(user, meeting):
            continue
        entries.append(
            Entry(
                kind="meeting",
                title=f"{meeting.code}" + (f" – {meeting.title}" if meeting.title else ""),
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                event=meeting.event,
                where=meeting.get_platform_display(),
                state=meeting_join_state(meeting, now=now),
                join_url=reverse(
                    "venue:join", kwargs={"event": meeting.event.slug, "meeting": meeting.slug}
                ),
                detail_url=meeting.get_absolute_url(),
                obj=meeting,
                opens_at=meeting.starts_at - JOIN_OPENS_BEFORE,
                # a meeting in session stays open until the chair closes it
                closes_at=None
                if meeting.status in (Meeting.Status.LIVE, Meeting.Status.SUSPENDED)
                else meeting.ends_at,
            )
        )
    invitations = Invitation.objects.filter(user=user).select_related(
        "side_meeting__room__space", "side_meeting__event"
    )
    for invitation in invitations:
        meeting = invitation.side_meeting
        if meeting.event not in events or (not include_past and meeting.ends_at < horizon):
            continue
        if invitation.status == Invitation.Status.DECLINED:
            continue
        entries.append(
            Entry(
                kind="side_meeting",
                title=meeting.title,
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                event=meeting.event,
                where=f"{meeting.room.name}, {meeting.room.space.name}",
                state=join_state(
                    meeting.starts_at,
                    meeting.ends_at,
                    now=now,
                    cancelled=meeting.is_cancelled,
                    opens_before=CALL_OPENS_BEFORE,
                )
                if invitation.status == Invitation.Status.ACCEPTED
                else ("cancelled" if meeting.is_cancelled else "invited"),
                join_url=reverse(
                    "venue:side_meeting_call",
                    kwargs={"event": meeting.event.slug, "pk": meeting.pk},
                ),
                detail_url=meeting.get_absolute_url(),
                obj=meeting,
                note=invitation.get_status_display(),
                opens_at=meeting.starts_at - CALL_OPENS_BEFORE,
                closes_at=meeting.ends_at,
            )
        )
    bookings = RobotBooking.objects.filter(
        user=user, status__in=[*RobotBooking.ACTIVE, RobotBooking.Status.DONE]
    ).select_related("robot__event")
    for booking in bookings:
        if not include_past and booking.ends_at < horizon:
            continue
        entries.append(
            Entry(
                kind="robot",
                title=_("Telepresence robot: %(name)s") % {"name": booking.robot.name},
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
                event=booking.robot.event,
                where=booking.robot.name,
                state=join_state(
                    booking.starts_at, booking.ends_at, now=now, opens_before=CHECK_IN_BEFORE
                ),
                join_url=booking.robot.get_absolute_url(),
                detail_url=booking.robot.get_absolute_url(),
                obj=booking,
                opens_at=booking.starts_at - CHECK_IN_BEFORE,
                closes_at=booking.ends_at,
            )
        )
    entries.sort(key=lambda e: (e.starts_at, e.kind))
    return entries
