"""Messages of a meeting room's chat: to everyone, to one participant, to the secretariat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vev.council.models import Entity, Meeting

#: Longest message, in characters (the room says so when a message is longer).
MAX_LENGTH = 2000


class ChatMessage(models.Model):
    """One message, kept after the meeting; a moderator's deletion hides it, with the reason.

    *Audiences*: ``all`` (everyone in the room), ``private`` (the sender and ``recipient``, a
    participant of the meeting) and ``secretariat`` (the sender and everyone holding the
    secretariat role of the event; when the secretariat answers, ``recipient`` is the
    participant it answers).
    """

    class Audience(models.TextChoices):
        ALL = "all", _("Everyone in the room")
        PRIVATE = "private", _("One participant")
        SECRETARIAT = "secretariat", _("The secretariat")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="chat_messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chat_messages_sent"
    )
    sender_name = models.CharField(_("sender's name"), max_length=200)
    sender_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the sender wrote as the secretariat (an answer on a thread with the secretariat)
    sender_is_secretariat = models.BooleanField(default=False)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chat_messages_received",
    )
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_reason = models.CharField(_("reason for the deletion"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["meeting", "created_at", "pk"]
        indexes = [
            models.Index(fields=["meeting", "audience", "created_at"]),
            models.Index(fields=["meeting", "sender", "created_at"]),
            models.Index(fields=["meeting", "recipient", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.audience} in {self.meeting}"
