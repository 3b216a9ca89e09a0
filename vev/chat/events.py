"""Events of the room's chat (docs/protocol/live-room.md, "Chat").

Messages to everyone travel on the room stream; private messages and messages with the
secretariat travel on the own streams of those who may read them, so a client that resumes
after a drop gets them and nobody else ever does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from vev.core.realtime.schema import BaseEvent
from vev.live.events import Dto, EntityInfo


class ChatPerson(Dto):
    user_id: int
    participant_id: int | None
    name: str
    entity: EntityInfo | None
    secretariat: bool  # writes for the secretariat (an answer on a thread with it)


class ChatMessageInfo(Dto):
    id: int
    audience: Literal["all", "private", "secretariat"]
    sender: ChatPerson
    #: private: the addressee; secretariat: the participant the secretariat answers (else null)
    recipient: ChatPerson | None
    text: str
    created_at: datetime


class ChatMessageSent(BaseEvent):
    type: Literal["chat.message"] = "chat.message"
    message: ChatMessageInfo


class ChatMessageDeleted(BaseEvent):
    """A moderator deleted a message: clients take it off the list."""

    type: Literal["chat.deleted"] = "chat.deleted"
    message_id: int
    audience: Literal["all", "private", "secretariat"]
    reason: str
    by: str
    at: datetime
