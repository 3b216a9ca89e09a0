"""Shared kernel models: timestamps and the tamper-evident audit log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditChainHead(models.Model):
    """A single row locked while an entry is appended, so the hash chain has no forks."""

    last_hash = models.CharField(max_length=64, default="")
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.count} entries"


class AuditEntry(models.Model):
    """One procedural act: who did what, when, in which session; append-only and hash-chained.

    ``entry_hash`` is SHA-256 over the canonical JSON of this entry's fields and ``prev_hash``;
    ``vev audit-verify`` recomputes the chain. See docs/subsystems/audit-log.md.
    """

    position = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=120, db_index=True)
    #: The id of the user who acted, kept as it was: a plain integer, not a foreign key, so that
    #: deleting the user later cannot rewrite a hashed field (the chain would report tampering).
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    #: The actor's name at the time (it stays when the user is renamed or deleted).
    actor_label = models.CharField(max_length=300, blank=True)
    event_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    session_key_hash = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.position} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")
