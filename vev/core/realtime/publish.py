"""The one place that hands events to Channels, always after the surrounding commit."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .schema import BaseEvent

logger = logging.getLogger(__name__)

#: The channel-layer message type consumers implement as ``vev_event``.
MESSAGE_TYPE = "vev.event"


def send_message(group: str, message: dict) -> None:
    """Hand a complete channel-layer message to ``group`` now (e.g. a pre-encoded event)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # a lost broadcast must never undo a committed act
        logger.exception("could not publish %s to %s", message.get("type"), group)


def send_to_channel_on_commit(channel: str, message: dict) -> None:
    """Hand ``message`` to one consumer's ``channel`` once the current transaction commits
    (e.g. "close this socket" after a removal or a reset)."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.send)(channel, message)
        except Exception:  # a lost message must never undo a committed act
            logger.exception("could not send %s to %s", message.get("type"), channel)

    transaction.on_commit(send)


def send_now(group: str, event: BaseEvent | dict) -> None:
    """Send immediately. Use only outside a transaction (e.g. ephemeral presence pings)."""
    payload = event.to_wire() if isinstance(event, BaseEvent) else event
    send_message(group, {"type": MESSAGE_TYPE, "event": payload})


async def send_now_async(group: str, event: BaseEvent | dict) -> None:
    """``send_now`` for async code outside any transaction (e.g. a media session's act)."""
    payload = event.to_wire() if isinstance(event, BaseEvent) else event
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(group, {"type": MESSAGE_TYPE, "event": payload})
    except Exception:  # a lost broadcast must never undo a done act
        logger.exception("could not publish %s to %s", payload.get("type"), group)


def publish_on_commit(group: str, event: BaseEvent | dict) -> None:
    """Publish ``event`` to ``group`` once the current transaction commits (or now, if none)."""
    transaction.on_commit(lambda: send_now(group, event))
