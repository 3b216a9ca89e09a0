class LiveError(Exception):
    """A rule of the room refused an act. The message is safe to show to the user.

    ``code`` names the reason for clients that react to it (e.g. ``locked``, ``removed``).
    """

    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message)
        self.code = code
