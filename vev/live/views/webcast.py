"""The webcast page: the meeting's audio with interpretation channels, the speakers' video and
the live captions, for passive followers and, in public meetings of public events, the public.

The page opens the webcast socket (``vev.live.webcast``), not the room's: nobody is admitted,
nothing is asked of the viewer, and only listening and watching are possible.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from vev.council.models import Meeting
from vev.council.permissions import EventPermissionMixin, Perm, can_see_meeting

from .strings import room_strings


class WebcastView(EventPermissionMixin, TemplateView):
    template_name = "live/webcast.html"
    permission = Perm.EVENT_VIEW_PUBLIC  # then the meeting: public to anyone, others by role

    def get(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("event"), event=self.event, slug=kwargs["meeting"]
        )
        if not can_see_meeting(request.user, self.meeting):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        if self.meeting.is_closed:
            raise Http404(_("A closed meeting has no webcast."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        context.update(
            meeting=meeting,
            room_strings=room_strings(),
            ws_path=f"/ws/events/{self.event.slug}/meetings/{meeting.slug}/webcast/",
            features="media captions",
        )
        return context
