"""Janus over WebSockets on Unix sockets: the Admin API (sync) and the Janus API (async).

Janus errors come in two shapes, both mapped to :class:`JanusRequestError`: a core error
(``{"janus": "error", "error": {"code", "reason"}}``) and a plugin error inside a success
(``plugindata.data`` or ``response`` with ``error_code``/``error``). Connection problems become
:class:`MediaUnavailable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import logging
import secrets
import threading
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from websockets.asyncio.client import unix_connect as async_unix_connect
from websockets.exceptions import WebSocketException
from websockets.sync.client import unix_connect

from ..errors import JanusRequestError, MediaUnavailable
from .interface import EventCallback, JanusEvent, PluginReply

logger = logging.getLogger(__name__)

API_PROTOCOL = "janus-protocol"
ADMIN_PROTOCOL = "janus-admin-protocol"
KEEPALIVE_SECONDS = 25  # Janus's session_timeout is 60 s


def _unavailable(detail: str) -> MediaUnavailable:
    return MediaUnavailable(_("The media server does not answer."), detail=detail)


def _refused(code: int, reason: str) -> JanusRequestError:
    return JanusRequestError(
        _("The media server refused the request: %(reason)s") % {"reason": reason},
        janus_code=code,
        detail=reason,
    )


def _plugin_error(data: dict[str, Any]) -> JanusRequestError | None:
    if "error_code" in data or "error" in data:
        return _refused(int(data.get("error_code", 0)), str(data.get("error", "")))
    return None


def _transaction() -> str:
    return secrets.token_hex(6)


class AdminClient:
    """Synchronous Admin API client (``message_plugin``); thread-safe, reconnects on demand."""

    def __init__(self, socket_path: Path, admin_secret: str, *, timeout: float = 5) -> None:
        self.socket_path = Path(socket_path)
        self.admin_secret = admin_secret
        self.timeout = timeout
        self._lock = threading.Lock()
        self._ws = None

    def _connect(self):
        if not self.socket_path.exists():
            raise _unavailable(f"no admin socket at {self.socket_path}")
        try:
            return unix_connect(
                str(self.socket_path),
                "ws://janus/admin",
                subprotocols=[ADMIN_PROTOCOL],
                open_timeout=self.timeout,
                max_size=2**24,
                legacy=True,  # a plain connection, closed by close()
            )
        except (OSError, WebSocketException, TimeoutError) as error:
            raise _unavailable(f"admin socket: {error!r}") from error

    def _call(self, message: dict[str, Any]) -> dict[str, Any]:
        message = {**message, "transaction": _transaction(), "admin_secret": self.admin_secret}
        with self._lock:
            for attempt in (1, 2):
                if self._ws is None:
                    self._ws = self._connect()
                try:
                    self._ws.send(json.dumps(message))
                    while True:
                        reply = json.loads(self._ws.recv(timeout=self.timeout))
                        if reply.get("transaction") == message["transaction"]:
                            break
                    break
                except (OSError, WebSocketException, TimeoutError) as error:
                    self.close_unlocked()
                    if attempt == 2:
                        raise _unavailable(f"admin call failed: {error!r}") from error
        if reply.get("janus") == "error":
            error = reply.get("error", {})
            raise _refused(int(error.get("code", 0)), str(error.get("reason", "")))
        return reply

    def ping(self) -> None:
        self._call({"janus": "ping"})

    def server_info(self) -> dict[str, Any]:
        return self._call({"janus": "info"})

    def message_plugin(self, plugin: str, request: dict[str, Any]) -> dict[str, Any]:
        reply = self._call({"janus": "message_plugin", "plugin": plugin, "request": request})
        response = reply.get("response") or {}
        if error := _plugin_error(response):
            raise error
        return response

    def list_handles(self, session_id: int) -> list[int]:
        return self._call({"janus": "list_handles", "session_id": session_id}).get("handles", [])

    def close_unlocked(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                self._ws.close()
            self._ws = None

    def close(self) -> None:
        with self._lock:
            self.close_unlocked()


class _Handle:
    def __init__(self, session: _Session, handle_id: int, plugin: str) -> None:
        self.session = session
        self.id = handle_id
        self.plugin = plugin

    async def request(
        self, body: dict[str, Any], jsep: dict[str, Any] | None = None, *, timeout: float = 10
    ) -> PluginReply:
        message: dict[str, Any] = {"janus": "message", "handle_id": self.id, "body": body}
        if jsep is not None:
            message["jsep"] = jsep
        reply = await self.session.call(message, timeout=timeout, wait_event=True)
        plugindata = reply.get("plugindata", {}).get("data", {})
        if error := _plugin_error(plugindata):
            raise error
        return PluginReply(plugindata, reply.get("jsep"))

    async def trickle(self, candidate: dict[str, Any] | None) -> None:
        payload = candidate if candidate is not None else {"completed": True}
        await self.session.call({"janus": "trickle", "handle_id": self.id, "candidate": payload})

    async def detach(self) -> None:
        with contextlib.suppress(MediaUnavailable, JanusRequestError):
            await self.session.call({"janus": "detach", "handle_id": self.id})


class _Session:
    """One Janus session on its own WebSocket connection (closing it ends the session)."""

    def __init__(self, ws, api_secret: str, on_event: EventCallback | None) -> None:
        self.ws = ws
        self.api_secret = api_secret
        self.on_event = on_event
        self.id = 0
        self._pending: dict[str, asyncio.Future] = {}
        self._waiting_event: set[str] = set()
        self._reader: asyncio.Task | None = None
        self._keepalive: asyncio.Task | None = None
        self._closed = False

    async def start(self) -> None:
        self._reader = asyncio.create_task(self._read(), name="janus-session-reader")
        reply = await self.call({"janus": "create"})
        self.id = int(reply["data"]["id"])
        self._keepalive = asyncio.create_task(self._keep_alive(), name="janus-keepalive")

    async def call(
        self, message: dict[str, Any], *, timeout: float = 10, wait_event: bool = False
    ) -> dict[str, Any]:
        if self._closed:
            raise _unavailable("session closed")
        transaction = _transaction()
        message = {**message, "transaction": transaction, "apisecret": self.api_secret}
        if self.id:
            message["session_id"] = self.id
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending[transaction] = future
        if wait_event:
            self._waiting_event.add(transaction)
        try:
            await self.ws.send(json.dumps(message))
            reply = await asyncio.wait_for(future, timeout)
        except (OSError, WebSocketException) as error:
            raise _unavailable(f"janus api: {error!r}") from error
        except TimeoutError as error:
            raise _unavailable(f"no answer to {message.get('janus')} in {timeout} s") from error
        finally:
            self._pending.pop(transaction, None)
            self._waiting_event.discard(transaction)
        if reply.get("janus") == "error":
            error = reply.get("error", {})
            raise _refused(int(error.get("code", 0)), str(error.get("reason", "")))
        return reply

    async def attach(self, plugin: str) -> _Handle:
        reply = await self.call({"janus": "attach", "plugin": plugin})
        return _Handle(self, int(reply["data"]["id"]), plugin)

    async def _keep_alive(self) -> None:
        while not self._closed:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            with contextlib.suppress(MediaUnavailable, JanusRequestError):
                await self.call({"janus": "keepalive"})

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self._dispatch(json.loads(raw))
        except (OSError, WebSocketException) as error:
            logger.info("connection to Janus lost: %r", error)
        finally:
            was_closed = self._closed
            self._closed = True
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(_unavailable("connection to Janus closed"))
            if not was_closed:
                await self._emit(JanusEvent("closed"))

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message.get("janus")
        transaction = message.get("transaction")
        future = self._pending.get(transaction) if transaction else None
        if future is not None and not future.done():
            if kind == "ack" and transaction in self._waiting_event:
                return  # the plugin answers later with an event carrying this transaction
            if kind in {"success", "error", "ack", "event", "server_info", "pong"}:
                future.set_result(message)
                return
        handle_id = message.get("sender")
        if kind == "event":
            plugindata = message.get("plugindata", {}).get("data", {})
            event = JanusEvent("plugin", handle_id, plugindata, message.get("jsep"))
        elif kind == "trickle":
            event = JanusEvent("trickle", handle_id, {"candidate": message.get("candidate")})
        elif kind in {"webrtcup", "hangup", "media", "slowlink", "detached", "timeout"}:
            data = {k: v for k, v in message.items() if k not in {"janus", "session_id", "sender"}}
            event = JanusEvent(kind, handle_id, data)
        else:
            return
        task = asyncio.get_running_loop().create_task(self._emit(event))
        task.add_done_callback(lambda t: t.exception())

    async def _emit(self, event: JanusEvent) -> None:
        if self.on_event is None:
            return
        try:
            result = self.on_event(event)
            if inspect.isawaitable(result):
                await result
        except Exception:  # a failing listener must not stop the reader
            logger.exception("media event listener failed on %s", event.kind)

    async def destroy(self) -> None:
        if not self._closed and self.id:
            with contextlib.suppress(MediaUnavailable, JanusRequestError):
                await self.call({"janus": "destroy"}, timeout=3)
        self._closed = True
        for task in (self._keepalive, self._reader):
            if task is not None:
                task.cancel()
        with contextlib.suppress(Exception):
            await self.ws.close()
        for task in (self._keepalive, self._reader):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


class Gateway:
    """Opens Janus API sessions, each on its own connection to the API socket."""

    _ids = itertools.count(1)

    def __init__(self, socket_path: Path, api_secret: str, *, timeout: float = 5) -> None:
        self.socket_path = Path(socket_path)
        self.api_secret = api_secret
        self.timeout = timeout

    async def create_session(self, on_event: EventCallback | None = None) -> _Session:
        if not self.socket_path.exists():
            raise _unavailable(f"no api socket at {self.socket_path}")
        try:
            ws = await async_unix_connect(
                str(self.socket_path),
                "ws://janus/",
                subprotocols=[API_PROTOCOL],
                open_timeout=self.timeout,
                max_size=2**24,
                ping_interval=None,
            )
        except (OSError, WebSocketException, TimeoutError) as error:
            raise _unavailable(f"api socket: {error!r}") from error
        session = _Session(ws, self.api_secret, on_event)
        try:
            await session.start()
        except BaseException:
            await session.destroy()
            raise
        return session
