"""Council domain models, split by concept and re-exported here."""

from .entities import Entity
from .events import OFFICIAL_LANGUAGES, Committee, CouncilMembership, Event
from .meetings import AgendaAllocation, AgendaItem, ClosedMeetingStaff, Meeting
from .participation import Registration, StaffAssignment

__all__ = [
    "OFFICIAL_LANGUAGES",
    "AgendaAllocation",
    "AgendaItem",
    "ClosedMeetingStaff",
    "Committee",
    "CouncilMembership",
    "Entity",
    "Event",
    "Meeting",
    "Registration",
    "StaffAssignment",
]
