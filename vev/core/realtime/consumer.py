"""A base for vev's JSON WebSockets: the envelope of docs/protocol/websocket.md, once.

A socket declares its commands in a :class:`CommandRegistry`; each command has a name
``<feature>.<verb>``, the permission it needs, a pydantic payload model (``extra="forbid"``) and
a handler. :class:`CommandConsumer` parses the envelope, validates the payload, asks the subclass
whether the permission is held (``permitted``), runs the handler (sync handlers in a worker
thread, through ``database_sync_to_async``), and answers with a reply frame. Errors are mapped
to the envelope's codes; nothing a handler raises closes the socket.

The core app knows no domain: permissions are opaque values the subclass interprets, and domain
errors that carry a user-safe message are listed in ``conflict_errors``; such an error answers
with its own ``code`` attribute when it has one (``denied``, ``invalid``…), else ``conflict``.
"""

from __future__ import annotations

import inspect
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, ValidationError

from .validation import validation_message

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
#: Longest accepted command frame (an SDP offer with many candidates stays well below).
MAX_FRAME_CHARS = 256_000


class EmptyPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommandError(Exception):
    """Raised by a handler to answer with an error code; the message is shown to the user."""

    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class CommandDenied(CommandError):
    code = "denied"


@dataclass(frozen=True)
class Command:
    name: str
    permission: Any
    payload: type[BaseModel]
    handler: Callable[..., Any]

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.handler)


class CommandRegistry:
    """The commands of one kind of socket. Apps register theirs when their modules load."""

    def __init__(self, name: str):
        self.name = name
        self.commands: dict[str, Command] = {}

    def command(self, name: str, *, permission: Any, payload: type[BaseModel] = EmptyPayload):
        """Register the decorated handler as ``name``, declaring the permission it needs."""

        def register(handler):
            if name in self.commands:
                raise ValueError(f"{self.name}: command {name!r} registered twice")
            self.commands[name] = Command(name, permission, payload, handler)
            return handler

        return register

    def get(self, name: Any) -> Command | None:
        return self.commands.get(name) if isinstance(name, str) else None

    def __iter__(self):
        return iter(self.commands.values())


class TokenBucket:
    """``rate`` commands per second on average, bursts of ``burst``."""

    def __init__(self, rate: float, burst: int):
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def scope_language(scope) -> str:
    """The language a socket answers in: the session's or cookie's choice, else the browser's."""
    supported = {code for code, _name in settings.LANGUAGES}
    user = scope.get("user")
    cookies = scope.get("cookies") or {}
    candidates = [cookies.get(settings.LANGUAGE_COOKIE_NAME)]
    if user is not None and getattr(user, "is_authenticated", False):
        candidates.append(getattr(user, "preferred_language", None))
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for part in accept.split(","):
        candidates.append(part.split(";")[0].strip().lower())
    for candidate in candidates:
        if not candidate:
            continue
        try:
            code = translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
        if code in supported:
            return code
    return settings.LANGUAGE_CODE


def domain_code(error: Exception) -> str:
    """The reply code of a domain error: its own ``code`` (e.g. ``denied``), else ``conflict``."""
    code = getattr(error, "code", None)
    return code if isinstance(code, str) and code else "conflict"


def _in_language(language: str, handler, *args):
    with translation.override(language):
        return handler(*args)


class CommandConsumer(AsyncJsonWebsocketConsumer):
    """Envelope, validation, permission and error handling for every vev socket.

    Subclasses set ``registry``, implement ``permitted(command)`` and ``handler_args()`` (the
    positional arguments handlers receive before the payload), and may list domain exception
    types in ``conflict_errors`` (answered with the error's ``code``, default ``conflict``).
    """

    registry: ClassVar[CommandRegistry]
    conflict_errors: ClassVar[tuple[type[Exception], ...]] = ()
    #: Commands per second a connection may send on average, and the burst it may use.
    command_rate: ClassVar[float] = 10.0
    command_burst: ClassVar[int] = 40

    async def websocket_connect(self, message):
        self.bucket = TokenBucket(self.command_rate, self.command_burst)
        self.language = scope_language(self.scope)
        with translation.override(self.language):
            await super().websocket_connect(message)

    async def permitted(self, command: Command) -> bool:
        raise NotImplementedError

    def handler_args(self) -> tuple:
        raise NotImplementedError

    # -- envelope --------------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        with translation.override(getattr(self, "language", settings.LANGUAGE_CODE)):
            await self._receive(text_data)

    async def _receive(self, text_data):
        if text_data is None:
            return await self.reply_error(None, "invalid", _("Commands are JSON text frames."))
        if len(text_data) > MAX_FRAME_CHARS:
            return await self.reply_error(None, "invalid", _("This command is too large."))
        try:
            content = json.loads(text_data)
        except ValueError:
            return await self.reply_error(None, "invalid", _("A command is a JSON object."))
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return await self.reply_error(None, "invalid", _("A command is a JSON object."))
        request_id = content.get("id")
        if not isinstance(request_id, str) or not request_id or len(request_id) > 64:
            return await self.reply_error(
                None, "invalid", _("“id” must be a string of at most 64 characters.")
            )
        if not self.bucket.take():
            return await self.reply_error(
                request_id, "rate_limited", _("Too many commands at once: wait a moment.")
            )
        name = content.get("command")
        command = self.registry.get(name)
        if command is None:
            return await self.reply_error(
                request_id, "unknown_command", _("Unknown command %(name)r.") % {"name": name}
            )
        # The permission first: someone who may not use a command learns nothing about it.
        if not await self.permitted(command):
            return await self.reply_error(request_id, "denied", _("You may not use this command."))
        try:
            payload = command.payload.model_validate(content.get("payload") or {})
        except ValidationError as error:
            message = validation_message(error, command.payload)
            return await self.reply_error(request_id, "invalid", message)
        try:
            result = await self.execute(command, payload)
        except CommandError as error:
            return await self.reply_error(request_id, error.code, str(error))
        except self.conflict_errors as error:
            return await self.reply_error(request_id, domain_code(error), str(error))
        except Exception:  # the socket stays up; the error is logged with its traceback
            logger.exception("%s command %s failed", self.registry.name, name)
            return await self.reply_error(
                request_id, "server_error", _("The server could not do this. Try again.")
            )
        await self.send_json({"type": "reply", "id": request_id, "ok": True, "result": result})

    async def execute(self, command: Command, payload: BaseModel) -> Any:
        args = self.handler_args()
        if command.is_async:
            return await command.handler(*args, payload)
        return await database_sync_to_async(_in_language)(
            self.language, command.handler, *args, payload
        )

    async def reply_error(self, request_id, code: str, message: str):
        await self.send_json(
            {
                "type": "reply",
                "id": request_id,
                "ok": False,
                "error": {"code": code, "message": message},
            }
        )

    async def vev_event(self, message):
        """Channel-layer message ``vev.event``: forward the event (pre-encoded when given)."""
        if "text" in message:
            await self.send(text_data=message["text"])
        else:
            await self.send_json(message["event"])
