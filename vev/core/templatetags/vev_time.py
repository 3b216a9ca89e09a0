"""Times are stored in UTC and shown in the event's time zone and the viewer's local time.

``{% dual_time meeting.starts_at event.time_zone %}`` renders the event-zone time as text inside a
``<time>`` element whose ``datetime`` is the UTC instant; ``static/vev/js/localtime.js`` adds the
viewer's local time next to it. Signed-in users with a profile time zone also get it server-side,
so the local time shows without JavaScript.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vev.core.i18n import FORMATS, day_format

register = template.Library()


def _format(value: datetime, tz: zoneinfo.ZoneInfo, fmt: str) -> str:
    """24-hour clock everywhere (the convention of intergovernmental meetings)."""
    local = value.astimezone(tz)
    clock = local.strftime("%H:%M")
    if fmt == "TIME_FORMAT":
        return f"{clock} {local.tzname()}"
    with timezone.override(tz):
        day = date_format(local, day_format())
    # Translators: a day (“Mon 5 Oct 2020”), a 24-hour time and a time zone abbreviation.
    return pgettext("date, time and zone", "%(day)s, %(time)s %(zone)s") % {
        "day": day,
        "time": clock,
        "zone": local.tzname(),
    }


@register.simple_tag(takes_context=True)
def dual_time(context, value: datetime | None, tz_name: str, fmt: str = "DATETIME_FORMAT"):
    if value is None:
        return ""
    tz = zoneinfo.ZoneInfo(tz_name)
    event_text = _format(value, tz, fmt)
    user = getattr(context.get("request"), "user", None)
    server_local = ""
    user_tz = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    if user_tz and user_tz != tz_name:
        server_local = _("your time: %(time)s") % {
            "time": _format(value, zoneinfo.ZoneInfo(user_tz), fmt)
        }
    return format_html(
        '<time datetime="{}" data-vev-local data-event-tz="{}" data-fmt="{}">{}</time>'
        '<span class="vev-local-time" data-label="{}">{}</span>',
        value.astimezone(zoneinfo.ZoneInfo("UTC")).isoformat().replace("+00:00", "Z"),
        tz_name,
        "time" if fmt == "TIME_FORMAT" else "datetime",
        event_text,
        _("your time"),
        f" ({server_local})" if server_local else "",
    )


@register.simple_tag
def time_range(start: datetime, end: datetime, tz_name: str) -> str:
    """“12:00–15:00 CEST” in the given zone."""
    tz = zoneinfo.ZoneInfo(tz_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    return f"{a:%H:%M}–{b:%H:%M} {b.tzname()}"


@register.filter
def vev_date(value, name: str) -> str:
    """``{{ day|vev_date:"long_day" }}``: a date in one of vev's translated formats
    (:data:`vev.core.i18n.FORMATS`), in the current time zone for datetimes."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, FORMATS[name]())
