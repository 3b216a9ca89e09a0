"""A written procedure for the demo session (called by ``council.signals.demo_loaded``).

One procedure is open when the demo loads, instructed by the chair, so a visitor can reply for
France (``head.fr``) and follow the replies as the secretariat or the chair. Its text says that
it is a demonstration: it is not a decision of the 2020 session.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from vev.council.models import Event
from vev.council.permissions import forget_roles
from vev.documents.models import Document

from . import procedures, replies

TITLE = "Dates of the physical session of Council 2020 (demonstration)"
TEXT = (
    "Council is invited to agree that the Secretary-General, in consultation with the Chair "
    "and the Vice-Chair, convene the physical session of Council 2020 later in the year, on "
    "dates to be communicated to the Council Members at least six weeks in advance.\n\n"
    "This proposal demonstrates the written procedure of Rule 3.2 of the Council Rules of "
    "Procedure in vev; it is not a decision of the 2020 session."
)
#: Council Members that have replied already: (ISO code, reply, statement).
DEMO_REPLIES = [
    ("ke", "agree", ""),
    ("ca", "agree", ""),
    ("jp", "abstain", "Japan will state its position at the physical session."),
]


def load_demo_procedure(event: Event, *, people: dict, delta: timedelta, data: dict):
    secretariat, chair = people.get("secretariat"), people.get("chair")
    if secretariat is None or chair is None:
        return None
    tz = ZoneInfo(event.time_zone)
    now = timezone.now()
    day = (now + timedelta(days=3)).astimezone(tz).date()
    deadline = datetime.combine(day, time(18, 0), tzinfo=tz)
    documents = Document.objects.filter(event=event, symbol="C20/37").exclude(status="draft")
    procedure = procedures.save_draft(
        event,
        by=secretariat,
        title=TITLE,
        text=TEXT,
        rule="silence",
        deadline=deadline,
        documents=documents,
        instructed_by=chair,
        instructed_at=now - timedelta(hours=2),
    )
    procedure = procedures.launch(procedure, by=secretariat, announce=False)
    for iso, choice, statement in DEMO_REPLIES:
        head = people.get(f"head.{iso}")
        if head is None:
            continue
        forget_roles(head)
        replies.reply(head, procedure, choice, statement)
    return procedure
