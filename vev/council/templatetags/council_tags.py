from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html

from ..services.demo import demo_totp_code
from ..services.participants import Representation, representation

register = template.Library()


@register.simple_tag
def demo_code(user) -> str | None:
    if not settings.DEMO_MODE:
        return None
    return demo_totp_code(user)


@register.simple_tag
def represented(user, event, representations: dict | None = None):
    """A name with the entity it represents, e.g. “Ana Ruiz (Spain)”."""
    rep: Representation | None = (representations or {}).get(user.pk) if representations else None
    if rep is None:
        rep = representation(user, event)
    if rep.entity is None:
        return format_html('<span class="person">{}</span>', rep.name)
    return format_html(
        '<span class="person">{}</span> <span class="entity">({})</span>',
        rep.name,
        rep.entity.display_name,
    )
