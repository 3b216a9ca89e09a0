"""Errors of the media layer. Their message is safe to show to a participant."""

from __future__ import annotations


class MediaError(Exception):
    """A media request could not be carried out; ``str(error)`` is translated, user-safe text.

    ``code`` is a stable machine name for the WebSocket reply (``denied``, ``conflict``,
    ``unavailable``, ``invalid``, ``failed``).
    """

    code = "failed"

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail  # for logs: never shown to users


class MediaDenied(MediaError):
    """The participant may not do this (role or floor policy)."""

    code = "denied"


class MediaConflict(MediaError):
    """The request does not fit the current state (not joined, already joined…)."""

    code = "conflict"


class MediaUnavailable(MediaError):
    """Janus is not installed, not running or does not answer."""

    code = "unavailable"


class JanusRequestError(MediaError):
    """Janus or one of its plugins refused a request (``janus_code`` as Janus numbers it)."""

    def __init__(self, message: str, *, janus_code: int = 0, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.janus_code = janus_code
