from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def remaining_text(due: datetime, now: datetime | None = None) -> str:
    now = now or timezone.now()
    seconds = int((due - now).total_seconds())
    if seconds <= 0:
        return _("closed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)s and %(hours)s left") % {
            "days": ngettext("%(n)s day", "%(n)s days", days) % {"n": days},
            "hours": ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours},
        }
    if hours:
        return _("%(hours)s and %(minutes)s left") % {
            "hours": ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours},
            "minutes": ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes},
        }
    return ngettext("%(n)s minute left", "%(n)s minutes left", max(minutes, 1)) % {
        "n": max(minutes, 1)
    }


@register.simple_tag
def countdown(due: datetime | None):
    """Time left until ``due``; ``static/vev/js/countdown.js`` keeps it running in the page."""
    if due is None:
        return ""
    passed = due <= timezone.now()
    return format_html(
        '<span class="countdown{}" data-vev-countdown data-due="{}" data-closed-label="{}" '
        'data-template="{}">{}</span>',
        " closed" if passed else "",
        due.isoformat(),
        _("closed"),
        _("{time} left"),
        remaining_text(due),
    )


@register.filter
def group_badge(group: int) -> str:
    return format_html(
        '<span class="badge group-{}" title="{}">{}</span>',
        group,
        {
            1: _("to be noted"),
            2: _("to be approved"),
            3: _("for discussion"),
            4: _("for information"),
        }.get(group, ""),
        _("Group %(n)s") % {"n": group},
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
