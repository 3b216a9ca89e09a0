from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from vev.council.services.demo import load_demo
from vev.documents.models import ConsultationReply, Deadline, Document
from vev.documents.services import deadlines

GENEVA = ZoneInfo("Europe/Zurich")


@pytest.fixture
def demo(db):
    return load_demo()


def test_demo_has_documents_in_all_groups_with_files(demo):
    event = demo.event
    documents = Document.objects.filter(event=event)
    counts = {g: documents.filter(group=g).count() for g in (1, 2, 3, 4)}
    assert counts[1] >= 5 and counts[2] >= 5 and counts[3] >= 20 and counts[4] >= 3
    assert not documents.exclude(status="on_agenda").exists()
    assert documents.get(symbol="C20/37").agenda_item.code == "PL-2.6"
    for document in documents:
        languages = set(document.revisions.get().files.values_list("language", flat=True))
        assert {"en", "fr"} <= languages
    # Every debated item has at least one document.
    items = event.agenda_items.filter(kind="item").exclude(code="-")
    assert all(item.documents.exists() for item in items)


def test_demo_deadlines_follow_the_milestones_shifted_like_the_meetings(demo):
    event = demo.event
    shift = timedelta(days=event.date_shift_days)
    expected = {
        Deadline.Kind.SECRETARIAT_DOCUMENTS: date(2020, 5, 10),
        Deadline.Kind.CONSULTATION: date(2020, 5, 17),
        Deadline.Kind.SUBMISSIONS: date(2020, 5, 26),
    }
    for kind, day in expected.items():
        due = Deadline.objects.get(event=event, kind=kind).due_at.astimezone(GENEVA)
        assert (due.date(), due.time()) == (day + shift, time(23, 59))
    # A visitor can still try the consultation.
    assert deadlines.is_open(event, Deadline.Kind.CONSULTATION)
    assert Deadline.objects.get(event=event, kind="consultation").due_at > timezone.now()


def test_demo_has_some_replies_but_leaves_france_to_the_visitor(demo):
    event = demo.event
    replied = set(
        ConsultationReply.objects.filter(document__event=event).values_list(
            "entity__iso_code", flat=True
        )
    )
    assert {"KE", "CA"} <= replied
    assert "FR" not in replied
    assert event.documents.filter(clarifications__answered_at__isnull=False).exists()
