from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html

from ..services.demo import demo_totp_code
from ..services.participants import Representation, representation, representations

register = template.Library()


@register.simple_tag
def demo_code(user) -> str | None:
    if not settings.DEMO_MODE:
        return None
    return demo_totp_code(user)


@register.simple_tag(takes_context=True)
def represented(context, user, event, people: dict | None = None):
    """A name with the entity it represents, e.g. “Ana Ruiz (Spain)”.

    ``people`` is a ``representations(event)`` mapping; without it the first name shown on a
    page loads every participant of the event once (two queries) for the rest of the page,
    so a list of names costs no query per row. ``None`` (a deleted account) shows “–”.
    """
    if user is None:
        return "–"
    key = ("vev.represented", event.pk)
    if people is None:
        people = context.render_context.get(key)
        if people is None:
            people = context.render_context[key] = representations(event)
    rep: Representation | None = people.get(user.pk)
    if rep is None:  # no longer a participant (withdrawn, function removed): name only
        rep = representation(user, event)
    if rep.entity is None:
        return format_html('<span class="person">{}</span>', rep.name)
    return format_html(
        '<span class="person">{}</span> <span class="entity">({})</span>',
        rep.name,
        rep.entity.display_name,
    )
