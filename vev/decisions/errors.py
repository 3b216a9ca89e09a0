from vev.council.errors import CouncilError


class DecisionsError(CouncilError):
    """A rule of the procedure was not met. The message is safe to show to the user."""


class ReplyTooLate(DecisionsError):
    """A reply arrived after the deadline; the message states the deadline."""

    def __init__(self, message: str, *, deadline=None):
        super().__init__(message)
        self.deadline = deadline
