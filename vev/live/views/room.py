"""The room pages: the delegate's room, the chair's console, the technical console and the
interpreter's booth (the captioner's page is in ``captions.py``).

All five are the same live room seen with different panels (``features``): they open the same
socket (``/ws/events/<e>/meetings/<m>/room/``), so what the chair does reaches everyone.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from vev.council.models import Meeting
from vev.council.permissions import EventPermissionMixin, Perm, can_see_meeting

from ..errors import LiveError
from ..services.access import room_access
from .strings import room_strings

DELEGATE_FEATURES = ["presence", "flow", "speakers", "moderation"]
DELEGATE_FEATURES += ["captions"]  # live captions (views/captions.py)
#: Panels that apps built on the room add from their AppConfig.ready() (the room does not import
#: them): (JavaScript module in static/vev/js/live/, template, the views that show it).
ROOM_EXTENSIONS: list[tuple[str, str, frozenset[str]]] = []


def add_room_panel(feature: str, template: str, *, views=("room", "console", "tech")) -> None:
    if not any(entry[0] == feature for entry in ROOM_EXTENSIONS):
        ROOM_EXTENSIONS.append((feature, template, frozenset(views)))


#: Refusals that are a matter of who the user is (403); others (not open yet, ended, locked)
#: are a matter of time and explained on an ordinary page.
FORBIDDEN_CODES = {"not_registered", "closed_meeting", "removed", "unauthenticated"}


class RoomPageMixin(EventPermissionMixin):
    template_name = "live/room.html"
    view_name = "room"
    features: list[str] = DELEGATE_FEATURES
    #: templates of the panels this view shows (besides seat, presence and agenda)
    panels: list[str] = []

    def get(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("event", "committee"),
            event=self.event,
            slug=kwargs["meeting"],
        )
        if not can_see_meeting(request.user, self.meeting):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        try:
            self.access = room_access(request.user, self.meeting)
            self.refusal = None
        except LiveError as error:
            self.access, self.refusal = None, error
        response = super().get(request, *args, **kwargs)
        if self.refusal is not None and self.refusal.code in FORBIDDEN_CODES:
            response.status_code = 403
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        context.update(
            meeting=meeting,
            access=self.access,
            refusal=self.refusal,
            view_name=self.view_name,
            features=" ".join(
                [*self.features, *(f for f, _, v in ROOM_EXTENSIONS if self.view_name in v)]
            ),
            panels=[*self.panels, *(t for _, t, v in ROOM_EXTENSIONS if self.view_name in v)],
            room_strings=room_strings(),
            ws_path=f"/ws/events/{self.event.slug}/meetings/{meeting.slug}/room/",
            leave_url=meeting.get_absolute_url(),
            allocations=meeting.allocations.select_related("item").order_by("position"),
            console_url=reverse(
                "live:console", kwargs={"event": self.event.slug, "meeting": meeting.slug}
            ),
            tech_url=reverse(
                "live:tech", kwargs={"event": self.event.slug, "meeting": meeting.slug}
            ),
            room_url=reverse(
                "live:room", kwargs={"event": self.event.slug, "meeting": meeting.slug}
            ),
            booth_url=reverse(
                "live:booth", kwargs={"event": self.event.slug, "meeting": meeting.slug}
            ),
            captioner_url=reverse(
                "live:captioner", kwargs={"event": self.event.slug, "meeting": meeting.slug}
            ),
        )
        return context


class RoomView(RoomPageMixin, TemplateView):
    """The delegate's room: the floor, the list of speakers, who is here, chat, captions."""

    permission = Perm.MEETING_ATTEND
    panels = ["live/_captions.html"]


class ConsoleView(RoomPageMixin, TemplateView):
    """The chair's console: the room plus the floor, the list and moderation controls."""

    permission = Perm.MEETING_MODERATE
    view_name = "console"
    features = DELEGATE_FEATURES
    panels = ["live/_captions.html"]


class BoothView(RoomPageMixin, TemplateView):
    """The interpreter's console: source (floor or relay), booth microphone, cough key, on-air
    indicator, handover to the booth partner; the floor and the list for context."""

    permission = Perm.MEDIA_INTERPRET
    view_name = "booth"
    features = [*DELEGATE_FEATURES, "booth"]
    panels = ["live/_booth.html", "live/_captions.html"]


class TechView(RoomPageMixin, TemplateView):
    """The secretariat's and technicians' console: connections, support requests, captions."""

    permission = Perm.MEETING_SUPPORT
    view_name = "tech"
    features = DELEGATE_FEATURES
    panels = ["live/_caption_feed.html", "live/_captions.html"]
