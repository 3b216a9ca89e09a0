"""The event stream: one WebSocket per event page (docs/protocol/event-stream.md).

On connect the consumer joins the permission-scoped groups of ``vev.core.realtime.groups``:
``user.<id>`` (notifications), ``event.<id>.participants`` (documents published or moved) and,
with ``consultation.view``, ``event.<id>.secretariat`` (consultation replies, requests). It
forwards every event published there with ``publish_on_commit`` and answers the commands
registered in ``council.stream``. Separate from the meeting room socket (``vev/live``).
"""

from __future__ import annotations

import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from pydantic import ValidationError

from vev.core.realtime import groups

from .errors import CouncilError
from .models import Event
from .permissions import Perm, has_perm
from .stream import COMMANDS

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class EventStreamConsumer(AsyncJsonWebsocketConsumer):
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
        if has_perm(user, Perm.CONSULTATION_VIEW, event):
            audiences.append(groups.event(event.pk, "secretariat"))
        return event, audiences

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def vev_event(self, message):
        """Channel-layer message type ``vev.event``: forward the event as it is."""
        await self.send_json(message["event"])

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return await self._error(None, "invalid", "A command is a JSON object.")
        request_id = content.get("id")
        if not isinstance(request_id, str) or len(request_id) > 64:
            return await self._error(None, "invalid", "“id” must be a string of at most 64.")
        name = content.get("command")
        command = COMMANDS.get(name) if isinstance(name, str) else None
        if command is None:
            return await self._error(request_id, "unknown_command", f"Unknown command {name!r}.")
        try:
            payload = command.payload.model_validate(content.get("payload") or {})
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first.get("loc", ())) or "payload"
            return await self._error(request_id, "invalid", f"{field}: {first.get('msg')}")
        try:
            result = await self._run(command, payload)
        except PermissionError:
            return await self._error(request_id, "denied", "You may not use this command.")
        except CouncilError as error:
            return await self._error(request_id, "conflict", str(error))
        except Exception:  # the socket stays up; the error is logged
            logger.exception("event stream command %s failed", name)
            return await self._error(request_id, "server_error", "The server could not do this.")
        await self.send_json({"type": "reply", "id": request_id, "ok": True, "result": result})

    @database_sync_to_async
    def _run(self, command, payload):
        if not has_perm(self.user, command.permission, self.event):
            raise PermissionError(command.permission)
        return command.handler(self.user, self.event, payload)

    async def _error(self, request_id, code: str, message: str):
        await self.send_json(
            {
                "type": "reply",
                "id": request_id,
                "ok": False,
                "error": {"code": code, "message": message},
            }
        )
