from django.http import HttpRequest

from .services import unread_count


def unread(request: HttpRequest) -> dict:
    """The unread count shown in the header of every page (one indexed query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "vev_error_page", False):
        return {}  # error pages render outside the request's thread: no query there
    return {"notifications_unread": unread_count(user)}
