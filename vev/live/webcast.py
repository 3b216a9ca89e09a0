"""The webcast socket: ``/ws/events/<event>/meetings/<meeting>/webcast/``.

For whoever may see the meeting but does not take part in the room: passive followers and, for
public meetings of public events, the public (anonymous visitors included). No admission, no
seat, no presence: the socket receives the room's media signals (channels on air, recording,
video publishers) and captions, and may only listen and watch (``media.watch``,
``media.select_channels``, ``media.answer``, ``media.trickle``, ``media.leave``,
``media.subscribe_video``), each checked by the media session as for the room. Closed meetings
have no webcast.

On connect it sends one ``room.snapshot`` frame holding the sections ``meeting``, ``me``
(``{user_id, mode: "passive"}``), ``media`` and ``captions``, so the room's own JavaScript
modules (media.js, captions.js) serve the webcast page unchanged. As the room socket does, it
attaches to the room's hub *before* reading the snapshot, and the snapshot carries the room
stream's position: an event committed meanwhile waits in a backlog and is sent after the
snapshot unless the snapshot already shows it, so nothing is lost and nothing doubled.

Each command's declared permission is checked when it is used (not only on connect):
``meeting.view`` as the meeting's page has it (public meetings of public events: anyone), any
other through the user's roles; a viewer who lost the right to see the meeting is refused.
"""

from __future__ import annotations

import time

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from vev.core.realtime.consumer import CommandConsumer, CommandRegistry
from vev.council.models import Meeting
from vev.council.permissions import Perm, can_see_meeting, has_perm
from vev.media.services.access import media_access
from vev.media.services.types import COMMANDS

from .commands.media import current_status, live_channels, run_media
from .context import RoomContext
from .hub import hub_for
from .models import RoomState
from .outbox import Outbox, PreparedFrame
from .services import captions
from .services.access import RoomAccess
from .snapshot import consistent_read

#: A webcast viewer has no capacity in the room: media commands only.
VIEWER = RoomAccess(
    kind="viewer",
    name="",
    capacity="",
    entity_id=None,
    may_preside=False,
    may_moderate=False,
    may_support=False,
    may_decide=False,
    is_secretariat=False,
    is_technician=False,
)

WEBCAST_COMMANDS = CommandRegistry("webcast")
#: What a webcast viewer may ask of the media server: receive only.
WATCH_COMMANDS = (
    "media.watch",
    "media.select_channels",
    "media.answer",
    "media.trickle",
    "media.leave",
    "media.subscribe_video",
)
#: Room events a webcast viewer receives (the rest is the participants' business).
FORWARDED = ("media.", "captions.")


def _register(name: str) -> None:
    async def handler(ctx: RoomContext, payload) -> dict:
        return await run_media(ctx, payload)

    handler.__name__ = name.replace(".", "_")
    WEBCAST_COMMANDS.command(name, permission=Perm.MEETING_VIEW, payload=COMMANDS[name])(handler)


for _name in WATCH_COMMANDS:
    _register(_name)


def webcast_snapshot(user, meeting: Meeting) -> dict:
    """The webcast's first frame, with the room stream's position it reflects (``seq.room``)."""
    RoomState.objects.get_or_create(meeting_id=meeting.pk)
    with consistent_read():
        room_seq = RoomState.objects.values_list("seq", flat=True).get(pk=meeting.pk)
        return _snapshot(user, meeting, room_seq)


def _snapshot(user, meeting: Meeting, room_seq: int) -> dict:
    access = media_access(user, meeting)
    channels, publishers = live_channels(meeting)
    from vev.media.services.recording import running_recording

    languages = list(meeting.event.languages)
    return {
        "type": "room.snapshot",
        "epoch": "",
        "seq": {"room": room_seq, "user": 0},
        "meeting": {"id": meeting.pk, "code": meeting.code, "title": meeting.title},
        "me": {"user_id": access.user_id, "mode": "passive"},
        "presence": {"participants": []},
        "media": {
            "status": current_status(),
            "languages": languages,
            "live": {language: channels.get(language, False) for language in languages},
            "recording": running_recording(meeting) is not None,
            "video": publishers,
            "may_attend": False,
            "booth": None,
            "may_record": False,
            "closed": False,
        },
        "captions": {
            "active": captions.active_feed(meeting) is not None,
            "languages": languages,
            "lines": captions.recent_lines(meeting),
        },
    }


def may_use(user, meeting: Meeting, command) -> bool:
    """Whether ``user`` holds ``command``'s permission for this meeting's webcast now."""
    # Read again: the secretariat may have made the meeting private, or closed, meanwhile.
    meeting = Meeting.objects.select_related("event").get(pk=meeting.pk)
    if command.permission == Perm.MEETING_VIEW:
        # The meeting's page: public meetings of public events to anyone, others by role.
        return not meeting.is_closed and can_see_meeting(user, meeting)
    return has_perm(user, command.permission, meeting.event)


#: Seconds a webcast socket's permission check holds before it is made again.
RECHECK_SECONDS = 5.0


class WebcastConsumer(CommandConsumer):
    registry = WEBCAST_COMMANDS

    async def connect(self):
        self.ctx: RoomContext | None = None
        self.hub = None
        self.outbox: Outbox | None = None
        self.ready = False
        self.backlog: list[tuple[int | None, PreparedFrame]] = []
        self.cursor = 0  # the last room ``seq`` sent (by the snapshot or an event)
        self.checked: dict[str, tuple[bool, float]] = {}  # permission: (allowed, when)
        await self.accept()
        self.outbox = Outbox.for_consumer(self)
        kwargs = self.scope["url_route"]["kwargs"]
        user = self.scope.get("user")
        found = await self._load(user, kwargs["event"], kwargs["meeting"])
        if isinstance(found, str):
            await self.send_json({"type": "room.refused", "code": "no_webcast", "message": found})
            await self.close(code=4403)
            return
        meeting = found
        self.ctx = RoomContext(
            user=user,
            meeting=meeting,
            event=meeting.event,
            access=VIEWER,
            participant_id=0,
            connection_id=0,
            language=self.language,
            send=self.send_json,
        )
        # Attach first: whatever commits after the snapshot's read reaches the backlog.
        self.hub = hub_for(meeting.pk)
        await self.hub.attach(self)
        snapshot = await database_sync_to_async(webcast_snapshot)(user, meeting)
        await self.send_json(snapshot)
        self.cursor = snapshot["seq"]["room"]
        for seq, frame in self.backlog:
            self._forward(seq, frame)
        self.backlog = []
        self.ready = True

    @database_sync_to_async
    def _load(self, user, event_slug: str, meeting_slug: str):
        meeting = (
            Meeting.objects.select_related("event")
            .filter(event__slug=event_slug, slug=meeting_slug)
            .first()
        )
        if meeting is None or not can_see_meeting(user, meeting):
            return _("You may not follow this meeting.")
        if meeting.is_closed:
            return _("A closed meeting has no webcast.")
        return meeting

    async def disconnect(self, code):
        if self.outbox is not None:
            self.outbox.discard()
        if self.ctx is None:
            return
        await self.ctx.release()
        if self.hub is not None:
            self.hub.detach(self)

    def room_event(self, seq: int | None, frame: PreparedFrame) -> None:
        """Called by the room's hub: forward media signals and captions only (never waits)."""
        if not frame.type.startswith(FORWARDED):
            return
        if not self.ready:
            self.backlog.append((seq, frame))
            return
        self._forward(seq, frame)

    def _forward(self, seq: int | None, frame: PreparedFrame) -> None:
        if seq is not None:
            if seq <= self.cursor:  # the snapshot already shows it, or it was sent
                return
            self.cursor = seq
        self.outbox.put(frame)

    async def permitted(self, command) -> bool:
        """The command's declared permission, checked again while connected (the meeting may
        have been closed or made private meanwhile), at most every ``RECHECK_SECONDS`` per
        permission: a viewer's WebRTC set-up sends a burst of commands (ICE candidates)."""
        if self.ctx is None:
            return False
        now = time.monotonic()
        checked = self.checked.get(command.permission)
        if checked is not None and now - checked[1] < RECHECK_SECONDS:
            return checked[0]
        allowed = await database_sync_to_async(may_use)(self.ctx.user, self.ctx.meeting, command)
        self.checked[command.permission] = (allowed, now)
        return allowed

    def handler_args(self) -> tuple:
        return (self.ctx,)
