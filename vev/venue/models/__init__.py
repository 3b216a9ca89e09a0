"""Models of the virtual venue, one module per concept.

Positions on a map and conversation bubbles are *not* here: they are ephemeral and live in the
presence store (``services/presence.py``), never in a table.
"""

from .analytics import MeetingJoinMark, MeetingJoinTally, SpaceTally
from .exhibits import Exhibit, Sponsor
from .links import MeetingJoinLink
from .privacy import Block, Report, VenueProfile
from .robots import Robot, RobotBooking, RobotQueueEntry
from .side_meetings import Invitation, SideMeeting
from .spaces import Area, Space, Venue

__all__ = [
    "Area",
    "Block",
    "Exhibit",
    "Invitation",
    "MeetingJoinLink",
    "MeetingJoinMark",
    "MeetingJoinTally",
    "Report",
    "Robot",
    "RobotBooking",
    "RobotQueueEntry",
    "SideMeeting",
    "Space",
    "SpaceTally",
    "Sponsor",
    "Venue",
    "VenueProfile",
]
