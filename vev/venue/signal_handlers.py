"""Receivers of other apps' signals, and the venue's entries in the personal calendar feeds."""

from __future__ import annotations

from django.dispatch import receiver

from vev.council.signals import demo_loaded
from vev.planning.services import calendar as planning_calendar

from .services.calendar import feed_entries
from .services.schedule import calendar_join_link

if feed_entries not in planning_calendar.FEED_SOURCES:
    planning_calendar.FEED_SOURCES.append(feed_entries)
# The personal feeds' “Join” (CONFERENCE) is the venue's join address: each role to its link.
if calendar_join_link not in planning_calendar.JOIN_LINKS:
    planning_calendar.JOIN_LINKS.append(calendar_join_link)


@receiver(demo_loaded, dispatch_uid="venue.demo_loaded")
def add_demo_venue(sender, *, event, people, delta, data, **kwargs) -> None:
    from .services.demo import load_demo_venue

    load_demo_venue(event, people=people)
