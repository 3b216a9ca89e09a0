class CouncilError(Exception):
    """A rule of the procedure was not met. The message is safe to show to the user."""
