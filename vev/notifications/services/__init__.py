"""Notify users in the app and by e-mail: ``notify(...)`` is the one entry point."""

from .notify import mark_all_read, mark_read, notify, unread_count

__all__ = ["mark_all_read", "mark_read", "notify", "unread_count"]
