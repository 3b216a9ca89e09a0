"""Side meetings: my meetings and invitations, booking a room's slot, answering, the call."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from vev.council.permissions import Perm
from vev.planning.views.plan import ics_response

from ..errors import VenueError
from ..forms import SideMeetingForm
from ..models import Area, Invitation, SideMeeting
from ..services import calendar, privacy, side_meetings
from .base import ServiceActionMixin, VenueMixin


def _event_days(event) -> list[date]:
    days, day = [], event.first_day
    while day <= event.last_day:
        days.append(day)
        day += timedelta(days=1)
    return days


class SideMeetingsView(VenueMixin, TemplateView):
    template_name = "venue/side_meetings.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        rows = []
        for meeting in side_meetings.for_user(user, self.event):
            invitation = side_meetings.invitation_of(meeting, user)
            rows.append((meeting, invitation, meeting.ends_at <= now))
        context.update(
            rows=rows,
            rooms=Area.objects.filter(
                space__venue=self.venue, kind=Area.Kind.MEETING_ROOM
            ).select_related("space"),
        )
        return context


class BookView(VenueMixin, TemplateView):
    """Choose a room and a day, then a slot, the people and a subject."""

    template_name = "venue/side_meeting_new.html"
    permission = Perm.VENUE_ENTER

    def room_and_day(self):
        rooms = Area.objects.filter(
            space__venue=self.venue, kind=Area.Kind.MEETING_ROOM
        ).select_related("space")
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        room = rooms.filter(pk=source.get("room") or 0).first() or rooms.first()
        if room is None:
            raise Http404
        days = _event_days(self.event)
        today = timezone.localdate(timezone=self.event.tz)
        try:
            day = date.fromisoformat(source.get("day", ""))
        except ValueError:
            day = today if today in days else days[0]
        if day not in days:
            day = days[0]
        return rooms, room, days, day

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rooms, room, days, day = self.room_and_day()
        people = privacy.invitable(self.event, self.request.user)
        context.update(
            rooms=rooms,
            room=room,
            days=days,
            day=day,
            slots=side_meetings.slots(room, day),
            form=form or SideMeetingForm(people=people),
        )
        return context

    def post(self, request, *args, **kwargs):
        _rooms, room, _days, _day = self.room_and_day()
        form = SideMeetingForm(request.POST, people=privacy.invitable(self.event, request.user))
        if form.is_valid():
            try:
                start = datetime.fromisoformat(form.cleaned_data["slot"])
                if start.tzinfo is None:
                    raise ValueError
            except ValueError:
                form.add_error(None, _("Choose one of the time slots."))
            else:
                try:
                    meeting = side_meetings.book(
                        organiser=request.user,
                        room=room,
                        title=form.cleaned_data["title"],
                        starts_at=start,
                        ends_at=start
                        + timedelta(minutes=room.slot_minutes * form.cleaned_data["slots"]),
                        invitee_ids=form.cleaned_data["invitees"],
                        request=request,
                    )
                except VenueError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request, _("Booked. The people invited were sent your invitation.")
                    )
                    return redirect(meeting.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=422)


class SideMeetingMixin(VenueMixin):
    def meeting(self) -> SideMeeting:
        meeting = get_object_or_404(
            SideMeeting.objects.select_related("room__space", "organiser", "event"),
            event=self.event,
            pk=self.kwargs["pk"],
        )
        if not side_meetings.may_see(meeting, self.request.user):
            raise Http404  # private: not even its existence is shown to others
        return meeting


class SideMeetingView(SideMeetingMixin, TemplateView):
    template_name = "venue/side_meeting.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting()
        context.update(
            meeting=meeting,
            invitation=side_meetings.invitation_of(meeting, self.request.user),
            invitations=meeting.invitations.select_related("user"),
            join_refusal=side_meetings.may_join(meeting, self.request.user),
            is_organiser=meeting.organiser_id == self.request.user.pk,
            is_past=meeting.ends_at <= timezone.now(),
        )
        return context


class RespondView(SideMeetingMixin, ServiceActionMixin, View):
    permission = Perm.VENUE_ENTER

    def act(self, request):
        meeting = self.meeting()
        invitation = get_object_or_404(Invitation, side_meeting=meeting, user=request.user)
        accept = request.POST.get("answer") == "accept"
        side_meetings.respond(invitation, user=request.user, accept=accept, request=request)
        return _("You accepted the invitation.") if accept else _("You declined the invitation.")

    def next_url(self):
        return self.meeting().get_absolute_url()


class CancelView(SideMeetingMixin, ServiceActionMixin, View):
    permission = Perm.VENUE_ENTER
    success_message = ""

    def act(self, request):
        side_meetings.cancel(self.meeting(), by=request.user, request=request)
        return _("The side meeting was cancelled; the people invited were told.")

    def next_url(self):
        return self.meeting().get_absolute_url()


class InviteIcsView(SideMeetingMixin, View):
    permission = Perm.VENUE_ENTER

    def get(self, request, *args, **kwargs):
        meeting = self.meeting()
        return ics_response(calendar.invitation_ics(meeting), f"side-meeting-{meeting.pk}")


class CallView(SideMeetingMixin, TemplateView):
    """The side meeting's call: audio, video and chat among the invitees who accepted."""

    template_name = "venue/side_meeting_call.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting()
        refusal = side_meetings.may_join(meeting, self.request.user)
        context.update(
            meeting=meeting,
            refusal=refusal,
            call_config=(
                {
                    "event": self.event.slug,
                    "space": meeting.room.space.slug,
                    "sideMeeting": meeting.pk,
                    "me": self.request.user.pk,
                    "iceServers": settings.VEV_VENUE_ICE_SERVERS,
                }
            ),
        )
        return context
