from vev.council.errors import CouncilError


class DocumentsError(CouncilError):
    """A rule of the procedure was not met. The message is safe to show to the user."""


class DeadlinePassed(DocumentsError):
    """A submission arrived after its deadline; the message states the deadline."""

    def __init__(self, message: str, *, deadline=None, due_at=None):
        super().__init__(message)
        self.deadline = deadline
        self.due_at = due_at
