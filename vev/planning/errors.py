from vev.council.errors import CouncilError


class PlanningError(CouncilError):
    """A planning rule was not met. ``reasons`` lists why, each safe to show to the user."""

    def __init__(self, message: str, reasons: list[str] | None = None):
        super().__init__(message)
        self.reasons = reasons or []
