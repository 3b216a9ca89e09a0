from django import template

from ..models import Ticket

register = template.Library()


@register.simple_tag
def ticket_categories():
    """(value, label) of every ticket category, for the room's "report a problem" form."""
    return Ticket.Category.choices
