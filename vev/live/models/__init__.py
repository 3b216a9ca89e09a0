"""The live meeting room's models, split by concept and re-exported here."""

from .participants import Connection, Participant
from .room import RoomEvent, RoomState
from .speakers import MOTION_PRECEDENCE, SpeakerRequest

__all__ = [
    "MOTION_PRECEDENCE",
    "Connection",
    "Participant",
    "RoomEvent",
    "RoomState",
    "SpeakerRequest",
]
from .captions import CaptionFeed, CaptionLine, CaptionPost, CaptionStream

__all__ += ["CaptionFeed", "CaptionLine", "CaptionPost", "CaptionStream"]
