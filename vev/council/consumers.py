"""The event stream: one WebSocket per event page (docs/protocol/event-stream.md).

On connect the consumer joins the permission-scoped groups of ``vev.core.realtime.groups``:
``user.<id>`` (notifications), ``event.<id>.participants`` (documents published or moved) and,
with ``consultation.view`` or ``decisions.monitor``, ``event.<id>.secretariat`` (consultation
replies, requests, written-procedure replies). It
forwards every event published there with ``publish_on_commit`` and answers the commands
registered in ``council.stream``. Separate from the meeting room socket (``vev/live``).
"""

from __future__ import annotations

from channels.db import database_sync_to_async

from vev.core.realtime import groups
from vev.core.realtime.consumer import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, CommandConsumer

from .errors import CouncilError
from .models import Event
from .permissions import Perm, has_perm
from .stream import COMMANDS

__all__ = ["CLOSE_FORBIDDEN", "CLOSE_UNAUTHENTICATED", "EventStreamConsumer"]


class EventStreamConsumer(CommandConsumer):
    registry = COMMANDS
    conflict_errors = (CouncilError,)

    async def connect(self):
        self.joined: list[str] = []
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        slug = self.scope["url_route"]["kwargs"]["event"]
        self.event, audiences = await self._authorise(user, slug)
        if self.event is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        for group in [groups.user(user.pk), *audiences]:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)
        await self.send_json({"type": "stream.ready", "event": slug, "groups": len(self.joined)})

    @database_sync_to_async
    def _authorise(self, user, slug: str):
        event = Event.objects.filter(slug=slug).first()
        if event is None or not has_perm(user, Perm.EVENT_VIEW, event):
            return None, []
        audiences = [groups.event(event.pk, "participants")]
        if has_perm(user, Perm.CONSULTATION_VIEW, event) or has_perm(
            user, Perm.DECISIONS_MONITOR, event
        ):
            audiences.append(groups.event(event.pk, "secretariat"))
        return event, audiences

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def permitted(self, command) -> bool:
        if getattr(self, "event", None) is None:
            return False
        return await database_sync_to_async(has_perm)(self.user, command.permission, self.event)

    def handler_args(self) -> tuple:
        return (self.user, self.event)
