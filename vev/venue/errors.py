from vev.council.errors import CouncilError


class VenueError(CouncilError):
    """A rule of the venue refused the act. The message is safe to show to the user."""


class BookingConflict(VenueError):
    """A booking overlaps another one, or falls outside opening hours."""
