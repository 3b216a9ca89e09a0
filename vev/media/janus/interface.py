"""What vev needs from Janus, as typing Protocols.

* :class:`JanusAdmin` — synchronous, session-less Admin API ``message_plugin`` calls: room and
  mountpoint lifecycle, moderation (mute, mute_room, kick), forwarding, recording. Used by the
  services that run inside Django requests, tasks and commands.
* :class:`JanusGateway` → :class:`JanusSession` → :class:`JanusHandle` — the asynchronous Janus
  API for one participant's WebRTC signalling. A session lives as long as the participant's
  connection to vev; Janus destroys it (and hangs up its PeerConnections) when vev's transport
  connection to Janus closes.

Errors: every implementation raises :class:`vev.media.errors.MediaUnavailable` when Janus cannot
be reached and :class:`vev.media.errors.JanusRequestError` when Janus or a plugin refuses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

AUDIOBRIDGE = "janus.plugin.audiobridge"
STREAMING = "janus.plugin.streaming"
VIDEOROOM = "janus.plugin.videoroom"


@dataclass(frozen=True)
class PluginReply:
    """A plugin's answer to a request: its ``plugindata.data`` and an optional JSEP."""

    data: dict[str, Any]
    jsep: dict[str, Any] | None = None


@dataclass(frozen=True)
class JanusEvent:
    """Something Janus pushed on a session without being asked.

    ``kind``: ``plugin`` (a plugin event: ``data``, maybe ``jsep``), ``webrtcup``, ``hangup``,
    ``media`` (``data`` has ``type`` and ``receiving``), ``slowlink``, ``trickle`` (``data`` has
    ``candidate``), ``detached``, ``timeout`` (the session expired), ``closed`` (the connection
    to Janus was lost).
    """

    kind: str
    handle_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    jsep: dict[str, Any] | None = None


EventCallback = Callable[[JanusEvent], Awaitable[None] | None]


class JanusAdmin(Protocol):
    def ping(self) -> None:
        """Raise MediaUnavailable unless Janus answers."""

    def message_plugin(self, plugin: str, request: dict[str, Any]) -> dict[str, Any]:
        """Run a synchronous plugin request; return the plugin's response object."""

    def close(self) -> None: ...


class JanusHandle(Protocol):
    id: int
    plugin: str

    async def request(
        self, body: dict[str, Any], jsep: dict[str, Any] | None = None, *, timeout: float = 10
    ) -> PluginReply:
        """Send a plugin message; wait for its synchronous answer or its asynchronous event."""

    async def trickle(self, candidate: dict[str, Any] | None) -> None:
        """Pass on one ICE candidate of the peer; ``None`` means gathering completed."""

    async def detach(self) -> None: ...


class JanusSession(Protocol):
    id: int

    async def attach(self, plugin: str) -> JanusHandle: ...

    async def destroy(self) -> None:
        """Destroy the session and close the connection (idempotent)."""


class JanusGateway(Protocol):
    async def create_session(self, on_event: EventCallback | None = None) -> JanusSession: ...
