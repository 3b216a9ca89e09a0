"""Receivers of other apps' signals."""

from __future__ import annotations

from django.dispatch import receiver

from vev.council.signals import demo_loaded


@receiver(demo_loaded, dispatch_uid="documents.demo_loaded")
def add_demo_documents(sender, *, event, people, delta, data, **kwargs) -> None:
    from .services.demo import load_demo_documents

    load_demo_documents(event, people=people, delta=delta, data=data)
