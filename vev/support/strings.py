"""Texts of support in the meeting room (added to the room's strings)."""

from django.utils.translation import gettext_lazy as _

from .models import Ticket

SUPPORT_STRINGS = {
    **{f"ticket_category_{value}": label for value, label in Ticket.Category.choices},
    **{f"ticket_status_{value}": label for value, label in Ticket.Status.choices},
    "ticket_reported": _("Your report was sent to the technicians (ticket %(id)s)."),
    "ticket_mine_status": _("Ticket %(id)s (%(category)s): %(status)s"),
    "ticket_taken_by": _("handled by %(name)s"),
    "ticket_resolution": _("Answer: %(text)s"),
    "ticket_from": _("%(name)s in %(meeting)s"),
    "ticket_take": _("Take"),
    "ticket_take_named": _("Take ticket %(id)s"),
    "ticket_resolve": _("Resolved"),
    "ticket_resolve_named": _("Mark ticket %(id)s resolved"),
    "ticket_resolution_prompt": _("What was done? (optional, shown to the reporter)"),
    "ticket_new": _("New support ticket from %(name)s: %(category)s"),
    "ticket_changed": _("Your ticket %(id)s: %(status)s"),
    "ticket_context": _("Browser: %(agent)s · connection: %(state)s · drops: %(drops)s"),
    "connection_open_now": _("connected"),
    "close_reason_left": _("left"),
    "close_reason_dropped": _("connection dropped"),
    "close_reason_removed": _("removed by the chair"),
    "close_reason_server_lost": _("server connection lost"),
    "close_reason_disconnected": _("disconnected by a technician"),
    "connection_reset": _("Reset"),
    "connection_reset_named": _("Reset the connection of %(name)s"),
    "connection_reset_done": _("The connection of %(name)s was reset: their page reconnects."),
}
