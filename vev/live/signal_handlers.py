"""Receivers of other apps' signals."""

from __future__ import annotations

from django.dispatch import receiver

from vev.council.signals import demo_loaded


@receiver(demo_loaded, dispatch_uid="live.demo_loaded")
def open_demo_rehearsal_room(sender, *, event, **kwargs) -> None:
    from .services.demo import open_rehearsal_room

    open_rehearsal_room(event)
