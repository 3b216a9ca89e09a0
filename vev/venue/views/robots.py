"""Telepresence robots: slots, booking, check-in, hand-over, the queue and the control link."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from vev.council.permissions import Perm

from ..errors import VenueError
from ..models import Robot, RobotBooking
from ..services import robots
from .base import ServiceActionMixin, VenueMixin


class RobotsView(VenueMixin, TemplateView):
    template_name = "venue/robots.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        rows = []
        for robot in Robot.objects.filter(event=self.event):
            robots.sweep(robot, now)
            rows.append((robot, robots.current_booking(robot, now)))
        context["robots"] = rows
        return context


class RobotMixin(VenueMixin):
    def robot(self) -> Robot:
        return get_object_or_404(Robot, event=self.event, pk=self.kwargs["pk"])


class RobotView(RobotMixin, TemplateView):
    template_name = "venue/robot.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        robot = self.robot()
        user = self.request.user
        now = timezone.now()
        robots.sweep(robot, now)
        days, day = [], self.event.first_day
        while day <= self.event.last_day:
            days.append(day)
            day += timedelta(days=1)
        today = timezone.localdate(timezone=self.event.tz)
        try:
            chosen = date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            chosen = today if today in days else days[0]
        if chosen not in days:
            chosen = days[0]
        current = robots.current_booking(robot, now)
        holding = robots.holder(robot, now)
        context.update(
            robot=robot,
            days=days,
            day=chosen,
            slots=robots.slots(robot, chosen, now=now),
            current=current,
            holding=holding is not None and holding.user_id == user.pk,
            my_bookings=robot.bookings.filter(
                user=user, status__in=RobotBooking.ACTIVE, ends_at__gt=now
            ),
            queue_position=robots.queue_position(robot, user),
            queue_length=robot.queue.filter(status="waiting").count(),
            check_in_before=int(robots.CHECK_IN_BEFORE.total_seconds() // 60),
        )
        return context


class BookRobotView(RobotMixin, ServiceActionMixin, View):
    permission = Perm.VENUE_ENTER

    def act(self, request):
        try:
            start = datetime.fromisoformat(request.POST.get("slot", ""))
            if start.tzinfo is None:
                raise ValueError
        except ValueError:
            raise VenueError(_("Choose one of the slots shown.")) from None
        robots.book(self.robot(), request.user, start, request=request)
        return _("Booked. Check in when your slot begins.")

    def next_url(self):
        return self.robot().get_absolute_url()


class BookingActionView(RobotMixin, ServiceActionMixin, View):
    permission = Perm.VENUE_ENTER
    #: Lazy: translated when a request is answered, in that request's language.
    ACTIONS = {
        "cancel": (robots.cancel, gettext_lazy("Booking cancelled.")),
        "check-in": (robots.check_in, gettext_lazy("Checked in: the robot is yours.")),
        "hand-over": (robots.hand_over, gettext_lazy("Handed over. Thank you.")),
    }

    def act(self, request):
        robot = self.robot()
        booking = get_object_or_404(RobotBooking, robot=robot, pk=self.kwargs["booking"])
        action = self.ACTIONS.get(self.kwargs["action"])
        if action is None:
            raise VenueError(_("Unknown action."))
        action[0](booking, request.user, request=request)
        return str(action[1])

    def next_url(self):
        return self.robot().get_absolute_url()


class QueueView(RobotMixin, ServiceActionMixin, View):
    permission = Perm.VENUE_ENTER

    def act(self, request):
        robot = self.robot()
        if request.POST.get("leave"):
            robots.leave_queue(robot, request.user)
            return _("You left the queue.")
        robots.join_queue(robot, request.user, request=request)
        return _("You are in the queue: you will be notified when it is your turn.")

    def next_url(self):
        return self.robot().get_absolute_url()


class ControlView(RobotMixin, View):
    """Opens the robot's control link: only for the delegate holding it now."""

    permission = Perm.VENUE_ENTER

    def get(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        try:
            url = robots.control_link(self.robot(), request.user)
        except VenueError as error:
            raise PermissionDenied(str(error)) from None
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
