"""Receivers of other apps' signals."""

from __future__ import annotations

from django.dispatch import receiver

from vev.council.signals import demo_loaded


@receiver(demo_loaded, dispatch_uid="decisions.demo_loaded")
def add_demo_procedure(sender, *, event, people, delta, data, **kwargs) -> None:
    from .services.demo import load_demo_procedure

    load_demo_procedure(event, people=people, delta=delta, data=data)
