"""Error pages that render without touching the database.

Django's ASGI handler renders them in a worker thread outside the request's thread
(``response_for_exception`` runs with ``thread_sensitive=False``), where a database connection
opened by a context processor would never be closed. The flag tells the context processors
that query (the unread-notifications count) to stay out.
"""

from __future__ import annotations

from django.views import defaults


def _flag(request) -> None:
    request.vev_error_page = True


def permission_denied(request, exception=None):
    _flag(request)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    _flag(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    _flag(request)
    return defaults.server_error(request)


def bad_request(request, exception=None):
    _flag(request)
    return defaults.bad_request(request, exception)
