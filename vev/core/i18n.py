"""Translation helpers for messages built at import time.

``gettext_lazy("… %(n)s …") % {...}`` in a class body (a form field's label or help text) is
evaluated once, when the module is imported, in the language active then (English): the page
shows it untranslated. :func:`interpolate_lazy` keeps both the message and its parameters lazy,
so the text is translated when it is rendered, in the reader's language. A parameter may be a
callable (a counted noun from :mod:`vev.core.plurals`), called at the same moment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import pgettext


def _interpolate(message: Any, params: Mapping[str, Any | Callable[[], Any]]) -> str:
    values = {key: value() if callable(value) else value for key, value in params.items()}
    return str(message) % {key: str(value) for key, value in values.items()}


interpolate_lazy = lazy(_interpolate, str)


# Date formats of vev's own, translated like messages: the order of day, month and weekday is the
# language's (Chinese writes “2020年10月5日 星期一”). Each is a Django date format (the “date”
# filter's letters); Django's own DATE_FORMAT and TIME_FORMAT cover the rest.


def day_format() -> str:
    """A day with its weekday, short (“Mon 5 Oct 2020”)."""
    # Translators: a Django date format (see the “date” filter in Django's documentation):
    # D weekday (short), j day, M month (short), Y year. Chinese, for example: “Y年n月j日 D”.
    return pgettext("date format", "D j M Y")


def day_time_format() -> str:
    """Weekday, day, month and 24-hour time (“Mon 5 Oct 14:00”)."""
    # Translators: a Django date format: D weekday (short), j day, M month (short), H:i time.
    return pgettext("date format", "D j M H:i")


def long_day_format() -> str:
    """A day heading with the weekday in full (“Monday 5 October 2020”)."""
    # Translators: a Django date format: l weekday, j day, F month, Y year.
    return pgettext("date format", "l j F Y")


def date_long_format() -> str:
    """A day in full without the weekday (“5 October 2020”)."""
    # Translators: a Django date format: j day, F month, Y year.
    return pgettext("date format", "j F Y")


def day_month_format() -> str:
    """Day and short month (“5 Oct”)."""
    # Translators: a Django date format: j day, M month (short).
    return pgettext("date format", "j M")


FORMATS = {
    "day": day_format,
    "day_time": day_time_format,
    "long_day": long_day_format,
    "date_long": date_long_format,
    "day_month": day_month_format,
}
