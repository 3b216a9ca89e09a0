"""Texts of the room's chat (added to the room's strings)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CHAT_STRINGS = {
    "chat_to_person": _("%(name)s (private)"),
    "chat_from_to_all": _("to everyone"),
    "chat_from_to_secretariat": _("to the secretariat"),
    "chat_from_secretariat": _("the secretariat, to %(name)s"),
    "chat_private_to": _("privately to %(name)s"),
    "chat_private_to_you": _("privately to you"),
    "chat_you": _("You"),
    "chat_too_long": _("A message has at most %(max)s characters; this one has %(length)s."),
    "chat_delete": _("Delete"),
    "chat_delete_named": _("Delete the message of %(name)s"),
    "chat_delete_reason_prompt": _(
        "Why is this message deleted? (required, kept in the audit log)"
    ),
    "chat_deleted": _("A message was deleted by %(by)s: %(reason)s"),
    "chat_reply": pgettext_lazy("verb: answer a chat message", "Answer"),
    "chat_reply_named": _("Answer %(name)s"),
}
