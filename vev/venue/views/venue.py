"""The venue: its spaces (map and list views, 360° view), exhibits and uploaded pictures."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView, View

from vev.council.permissions import Perm

from ..models import Exhibit, Robot, Space, Sponsor
from ..services import files, presence, privacy, side_meetings
from .base import VenueMixin, sponsors_by_level


class VenueHomeView(VenueMixin, TemplateView):
    template_name = "venue/home.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        spaces = list(self.venue.spaces.select_related("sponsor", "host_entity"))
        me = privacy.persona(user, self.event)
        blocked = privacy.blocked_ids(user.pk)
        counts = {}
        for space in spaces:
            state = presence.read_space(space.pk)
            counts[space.pk] = (
                len(presence.visible_entries(state, me, blocked)) if me is not None else 0
            )
        now = timezone.now()
        context.update(
            spaces=[(space, counts[space.pk]) for space in spaces],
            sponsors=sponsors_by_level(self.event),
            side_meetings=[m for m in side_meetings.for_user(user, self.event) if m.ends_at > now],
            robots=Robot.objects.filter(event=self.event, is_active=True),
            profile=privacy.profile(user, self.event),
        )
        return context


class SpaceMixin(VenueMixin):
    @property
    def space(self) -> Space:
        if not hasattr(self, "_space"):
            self._space = get_object_or_404(
                Space.objects.select_related("sponsor", "host_entity"),
                venue=self.venue,
                slug=self.kwargs["space"],
            )
        return self._space

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        space = self.space
        now = timezone.now()
        exhibits = list(space.exhibits.select_related("sponsor"))
        context.update(
            space=space,
            areas=list(space.areas.select_related("target")),
            exhibits=[(e, e.is_open_at(self.event, now)) for e in exhibits],
            spaces=self.venue.spaces.all(),
            profile=privacy.profile(self.request.user, self.event),
        )
        return context


class SpaceView(SpaceMixin, TemplateView):
    """The map: avatars move with the mouse or the keyboard; conversations open by proximity."""

    template_name = "venue/space.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        space = self.space
        context["map_config"] = {
            "event": self.event.slug,
            "space": space.slug,
            "width": space.width,
            "height": space.height,
            "radius": space.proximity_radius,
            "capacity": space.bubble_capacity,
            "me": self.request.user.pk,
            "iceServers": settings.VEV_VENUE_ICE_SERVERS,
            "areas": [
                {
                    "name": a.name,
                    "kind": a.kind,
                    "x": a.x,
                    "y": a.y,
                    "w": a.w,
                    "h": a.h,
                    "url": a.target.get_absolute_url() if a.target_id else "",
                }
                for a in context["areas"]
            ],
            "exhibits": [
                {
                    "title": e.title,
                    "x": e.x,
                    "y": e.y,
                    "url": e.get_absolute_url(),
                    "open": is_open,
                }
                for e, is_open in context["exhibits"]
            ],
        }
        return context


class SpaceListView(SpaceMixin, TemplateView):
    """The same space as an accessible list: who is here, conversations, exhibits, doors."""

    template_name = "venue/space_list.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        me = privacy.persona(self.request.user, self.event)
        state = presence.read_space(self.space.pk)
        rules = presence.SpaceRules.of(self.space)
        snap = (
            presence.snapshot(state, me, privacy.blocked_ids(self.request.user.pk), rules)
            if me
            else {"participants": [], "bubbles": []}
        )
        names = {p["user_id"]: p for p in snap["participants"]}
        context.update(
            participants=[p for p in snap["participants"] if not p["bubble"]],
            bubbles=[
                {**b, "people": [names[m] for m in b["members"] if m in names]}
                for b in snap["bubbles"]
            ],
        )
        return context


class PanoramaView(SpaceMixin, TemplateView):
    """The 360° live view of the physical room (equirectangular viewer)."""

    template_name = "venue/panorama.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        if not self.space.has_live_view:
            raise Http404
        return super().get_context_data(**kwargs)


class ExhibitView(VenueMixin, TemplateView):
    template_name = "venue/exhibit.html"
    permission = Perm.VENUE_ENTER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exhibit = get_object_or_404(
            Exhibit.objects.select_related("space", "sponsor"),
            space__venue=self.venue,
            pk=self.kwargs["pk"],
        )
        is_open = exhibit.is_open_at(self.event, timezone.now())
        context.update(exhibit=exhibit, is_open=is_open, space=exhibit.space)
        return context


async def _chunks(handle, size: int = 256 * 1024):
    try:
        while chunk := await sync_to_async(handle.read)(size):
            yield chunk
    finally:
        await sync_to_async(handle.close)()


def _serve(field_file, fmt: str | None):
    """Pictures and PDFs in one response; videos streamed (the ASGI server reads them)."""
    if not field_file or fmt is None:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    if fmt in ("webm", "mp4"):
        response = StreamingHttpResponse(_chunks(handle), content_type=files.CONTENT_TYPES[fmt])
        response["Content-Length"] = str(field_file.size)
    else:
        with handle:
            response = HttpResponse(handle.read(), content_type=files.CONTENT_TYPES[fmt])
    name = field_file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{name}"'
    if fmt == "svg":  # an uploaded drawing never runs anything, even opened on its own
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@method_decorator(xframe_options_sameorigin, name="dispatch")  # PDF slides in the page
class FileView(VenueMixin, View):
    """Map backgrounds, 360° stills, sponsor logos and exhibit files, to participants."""

    permission = Perm.VENUE_ENTER
    KINDS = {"background", "poster", "logo", "exhibit"}

    def get(self, request, *args, **kwargs):
        kind, pk = kwargs["kind"], kwargs["pk"]
        if kind == "background":
            field = get_object_or_404(Space, venue=self.venue, pk=pk).background
        elif kind == "poster":
            field = get_object_or_404(Space, venue=self.venue, pk=pk).panorama_poster
        elif kind == "logo":
            field = get_object_or_404(Sponsor, event=self.event, pk=pk).logo
        elif kind == "exhibit":
            exhibit = get_object_or_404(Exhibit, space__venue=self.venue, pk=pk)
            if not exhibit.is_open_at(self.event, timezone.now()):
                raise Http404(_("This exhibit is closed now."))
            field = exhibit.file
        else:
            raise Http404
        return _serve(field, files.format_of(field))
