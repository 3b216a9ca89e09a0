"""The meeting room socket: ``/ws/events/<event>/meetings/<meeting>/room/``.

One socket per participant and meeting (docs/protocol/live-room.md). On connect the participant
is admitted (``presence.admit``: active or passive seat, or a refusal saying why), attached to
the process's :class:`~vev.live.hub.RoomHub` for the room stream and subscribed to their own
stream, then brought up to date: a replay of what they missed when they resume
(``?epoch=…&room=<seq>&user=<seq>``), else a snapshot. Events that arrive meanwhile wait in a
backlog and are sent after, without duplicates. Commands (``ROOM_COMMANDS``) run as the
participant, each declaring its permission.
"""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from vev.core.realtime.consumer import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHENTICATED,
    CommandConsumer,
)
from vev.council.errors import CouncilError
from vev.council.models import Meeting
from vev.council.permissions import has_perm

from .commands import ROOM_COMMANDS
from .context import RoomContext
from .errors import LiveError
from .hub import hub_for
from .models import Connection
from .outbox import CLOSE_RECONNECT, Outbox, PreparedFrame
from .services import presence
from .snapshot import sync_frames
from .streams import encode, user_events_between, user_group


def parse_resume(query_string: bytes) -> dict | None:
    query = parse_qs(query_string.decode("latin-1"))
    try:
        epoch = query["epoch"][0]
        return {"epoch": epoch, "room": int(query["room"][0]), "user": int(query["user"][0])}
    except (KeyError, IndexError, ValueError):
        return None


class RoomConsumer(CommandConsumer):
    registry = ROOM_COMMANDS
    conflict_errors = (LiveError, CouncilError)

    async def connect(self):
        self.ctx: RoomContext | None = None
        self.hub = None
        self.outbox: Outbox | None = None
        self.ready = False
        self.backlog: list[tuple[int | None, str]] = []
        self.user_backlog: list[tuple[int, str]] = []
        self.cursor = {"room": 0, "user": 0}
        self.close_reason = Connection.Reason.DROPPED
        user = self.scope.get("user")
        await self.accept()
        # Room events reach the socket through its outbox, past Channels' session wrapper.
        self.outbox = Outbox.for_consumer(self)
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        kwargs = self.scope["url_route"]["kwargs"]
        try:
            self.ctx, admission = await self._admit(user, kwargs["event"], kwargs["meeting"])
        except LiveError as error:
            await self.send_json(
                {"type": "room.refused", "code": error.code, "message": str(error)}
            )
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.hub = hub_for(self.ctx.meeting.pk)
        await self.hub.attach(self)
        await self.channel_layer.group_add(
            user_group(self.ctx.meeting.pk, user.pk), self.channel_name
        )
        self.hub.touch_presence(admission.changed)
        frames, positions = await database_sync_to_async(sync_frames)(
            self.ctx, parse_resume(self.scope.get("query_string", b""))
        )
        for frame in frames:
            await self.send(text_data=encode(frame))
        self.cursor = positions
        await self._go_live()

    @database_sync_to_async
    def _admit(self, user, event_slug: str, meeting_slug: str):
        meeting = (
            Meeting.objects.select_related("event")
            .filter(event__slug=event_slug, slug=meeting_slug)
            .first()
        )
        if meeting is None:
            raise LiveError(_("There is no such meeting."), code="not_found")
        admission = presence.admit(user, meeting, channel_name=self.channel_name)
        session = self.scope.get("session")
        ctx = RoomContext(
            user=user,
            meeting=meeting,
            event=meeting.event,
            access=admission.access,
            participant_id=admission.participant_id,
            connection_id=admission.connection_id,
            session_key=getattr(session, "session_key", "") or "",
            language=self.language,
            send=self.send_json,
        )
        return ctx, admission

    async def _go_live(self) -> None:
        """Send what arrived while the client was brought up to date, then go live."""
        while self.backlog or self.user_backlog:
            if self.backlog:
                seq, text = self.backlog.pop(0)
                if seq is None or seq > self.cursor["room"]:
                    if seq is not None:
                        self.cursor["room"] = seq
                    await self.send(text_data=text)
            else:
                seq, text = self.user_backlog.pop(0)
                await self._user_event(seq, text)
        self.ready = True

    async def disconnect(self, code):
        if self.outbox is not None:
            self.outbox.discard()
        if self.ctx is None:
            return
        await self.ctx.release()
        if self.hub is not None:
            self.hub.detach(self)
        await self.channel_layer.group_discard(
            user_group(self.ctx.meeting.pk, self.ctx.user.pk), self.channel_name
        )
        changed = await database_sync_to_async(presence.disconnect)(
            self.ctx.connection_id, reason=self.close_reason, code=code
        )
        if self.hub is not None:
            self.hub.touch_presence(changed)

    async def send(self, text_data=None, bytes_data=None, close=False):
        # uvicorn's ClientDisconnected (an OSError): the connection was lost (e.g. cut off as
        # too slow) while this frame waited. Its disconnect is queued and must still run, so the
        # handler goes on instead of ending the consumer without it.
        with contextlib.suppress(OSError):
            await super().send(text_data=text_data, bytes_data=bytes_data, close=close)

    # -- streams ---------------------------------------------------------------------------
    def room_event(self, seq: int | None, frame: PreparedFrame) -> None:
        """Called by the hub, in stream order; never waits (the outbox writes or queues)."""
        if not self.ready:
            self.backlog.append((seq, frame.text))
            return
        if seq is not None:
            if seq <= self.cursor["room"]:
                return
            self.cursor["room"] = seq
        self.outbox.put(frame)

    async def vev_event(self, message):
        """The participant's own stream (channel-layer group ``meeting.<id>.user.<uid>``)."""
        seq = message.get("seq")
        text = message.get("text") or encode(message["event"])
        if seq is None:
            await self.send(text_data=text)
        elif not self.ready:
            self.user_backlog.append((seq, text))
        else:
            await self._user_event(seq, text)

    async def _user_event(self, seq: int, text: str) -> None:
        if seq <= self.cursor["user"]:
            return
        if seq > self.cursor["user"] + 1:  # an earlier one is in flight or lost: read it
            missing = await database_sync_to_async(user_events_between)(
                self.ctx.meeting.pk, self.ctx.user.pk, self.cursor["user"], seq
            )
            for earlier, earlier_text in missing:
                if earlier > self.cursor["user"]:
                    self.cursor["user"] = earlier
                    await self.send(text_data=earlier_text)
        self.cursor["user"] = seq
        await self.send(text_data=text)

    # -- server-initiated closes -----------------------------------------------------------
    async def room_close(self, message):
        """Channel-layer ``room.close``: removed by the chair, or reset by a technician."""
        self.close_reason = message.get("reason", Connection.Reason.DISCONNECTED)
        if message.get("notice"):
            await self.send_json(message["notice"])
        await self.close(code=message.get("code", CLOSE_RECONNECT))

    # -- commands --------------------------------------------------------------------------
    async def permitted(self, command) -> bool:
        if self.ctx is None:
            return False
        return await database_sync_to_async(has_perm)(
            self.ctx.user, command.permission, self.ctx.event
        )

    def handler_args(self) -> tuple:
        return (self.ctx,)

    async def receive_json(self, content, **kwargs):
        await super().receive_json(content, **kwargs)
        if self.ctx is not None and self.ctx.leaving:
            # The participant left on purpose (``room.leave``): not a dropped connection.
            self.close_reason = Connection.Reason.LEFT
            await self.close(code=1000)
