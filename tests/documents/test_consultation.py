from datetime import timedelta

import pytest

from tests import factories
from tests.documents.conftest import set_deadline
from vev.core.models import AuditEntry
from vev.council.models import AgendaItem
from vev.documents.errors import DeadlinePassed, DocumentsError
from vev.documents.models import ConsultationReply, Deadline, Document
from vev.documents.services import consultation, deadlines


def test_a_state_replies_and_one_move_is_enough(event, users, doc1, doc2, france):
    consultation.reply(users["head_of_delegation"], doc1, "keep")
    consultation.reply(users["focal_point"], doc1, "keep")  # head of member 1
    doc1.refresh_from_db()
    assert doc1.status == Document.Status.ON_AGENDA
    reply = consultation.reply(users["councillor"], doc1, "move")  # France changes its reply
    assert (reply.entity, reply.answered_by) == (france, users["councillor"])
    doc1.refresh_from_db()
    assert doc1.status == Document.Status.MOVED
    assert ConsultationReply.objects.filter(document=doc1).count() == 2
    change = doc1.history.last()
    assert (change.cause, change.entity, change.by) == ("consultation", france, users["councillor"])
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "vev.documents.consultation.replied" in actions
    assert "vev.documents.document.moved" in actions


def test_moving_every_document_of_an_item_defers_it_and_keeping_restores_it(
    event, users, doc1, doc2
):
    item = doc1.agenda_item
    assert doc2.agenda_item == item
    consultation.reply(users["councillor"], doc1, "move")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ON_AGENDA  # doc2 remains
    consultation.reply(users["focal_point"], doc2, "move")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED
    assert AuditEntry.objects.filter(action="vev.documents.agenda_item.deferred").count() == 1
    consultation.reply(users["focal_point"], doc2, "keep")  # changed before the deadline
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ON_AGENDA
    assert [d.status for d in Document.objects.order_by("symbol")] == ["moved", "on_agenda"]


def test_an_item_deferred_by_someone_else_is_not_restored(event, users, secretariat, doc1):
    item = doc1.agenda_item
    consultation.reply(users["councillor"], doc1, "move")
    from vev.core.audit import log_action

    log_action("vev.planner.item.deferred", actor=secretariat, event=event, target=item)
    consultation.reply(users["councillor"], doc1, "keep")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED


@pytest.mark.parametrize("role", ["adviser", "observer", "secretariat", "chair", "interpreter"])
def test_only_heads_and_councillors_of_council_members_reply(event, users, doc1, role):
    with pytest.raises(DocumentsError, match="head of delegation or a councillor"):
        consultation.reply(users[role], doc1, "move")
    doc1.refresh_from_db()
    assert doc1.status == Document.Status.ON_AGENDA


def test_late_replies_are_refused_with_the_deadline_and_extensions_are_per_state(
    event, users, secretariat, doc1, france
):
    deadline = set_deadline(event, Deadline.Kind.CONSULTATION, hours=-2)
    with pytest.raises(DeadlinePassed) as refused:
        consultation.reply(users["councillor"], doc1, "move")
    due = deadline.due_at.astimezone(event.tz)
    assert f"{due:%H:%M}" in str(refused.value)
    assert "consultation: the deadline passed on" in str(refused.value)
    deadlines.grant_extension(
        deadline,
        entity=france,
        until=deadline.due_at + timedelta(days=1),
        reason="Connection problems",
        by=secretariat,
    )
    consultation.reply(users["councillor"], doc1, "move")  # France may
    with pytest.raises(DeadlinePassed):
        consultation.reply(users["focal_point"], doc1, "keep")  # Kenya may not
    entry = AuditEntry.objects.get(action="vev.documents.deadline.extended")
    assert entry.data["entity"] == france.name and entry.data["reason"] == "Connection problems"


def test_extension_must_be_later_and_explained(event, secretariat):
    deadline = set_deadline(event, Deadline.Kind.CONSULTATION, hours=1)
    with pytest.raises(DocumentsError, match="reason"):
        deadlines.grant_extension(
            deadline, until=deadline.due_at + timedelta(hours=1), reason=" ", by=secretariat
        )
    with pytest.raises(DocumentsError, match="must end after"):
        deadlines.grant_extension(deadline, until=deadline.due_at, reason="x", by=secretariat)


def test_drafts_and_withdrawn_documents_are_not_in_the_consultation(event, users):
    draft = factories.create_document(event, status="draft")
    with pytest.raises(DocumentsError, match="not in the consultation"):
        consultation.reply(users["councillor"], draft, "move")


def test_matrix_lists_documents_by_states(event, users, doc1, doc2):
    consultation.reply(users["councillor"], doc1, "keep")
    consultation.reply(users["focal_point"], doc1, "move")
    data = consultation.matrix(event)
    assert [s.name for s in data.states] == sorted(s.name for s in data.states)
    assert len(data.states) == 3
    row = next(r for r in data.rows if r.document == doc1)
    assert (row.keep, row.move) == (1, 1)
    assert data.answered_states == 2
    assert data.moved == 1


def test_matrix_page_costs_no_query_per_cell(
    client, event, users, secretariat, doc1, doc2, django_assert_max_num_queries
):
    """The page reads each reply's State and who answered without a query per cell."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("documents:matrix", kwargs={"event": event.slug})
    client.force_login(secretariat)
    consultation.reply(users["councillor"], doc1, "keep")
    client.get(url)  # warm up the session and caches
    with CaptureQueriesContext(connection) as one_reply:
        client.get(url)
    more = [factories.create_document(event, symbol=f"C20/{n}", group=1) for n in range(60, 66)]
    for document in [doc1, doc2, *more]:
        consultation.reply(users["councillor"], document, "keep")  # France
        consultation.reply(users["focal_point"], document, "move")  # Kenya
    with django_assert_max_num_queries(len(one_reply)):
        page = client.get(url).content.decode()
    assert page.count('class="cell move"') == 8 and page.count('class="cell keep"') == 8
    assert "Council Members that replied: 2 of 3" in page


def test_the_late_message_is_worded_as_docs_procedures_quotes_it(event):
    """docs/procedures.md (Deadlines) quotes this message: keep the two in step."""
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo

    due = datetime(2020, 5, 17, 23, 59, tzinfo=ZoneInfo("Europe/Zurich"))
    Deadline.objects.create(event=event, kind=Deadline.Kind.CONSULTATION, due_at=due)
    with pytest.raises(DeadlinePassed) as refusal:
        deadlines.check_open(event, Deadline.Kind.CONSULTATION, now=due + timedelta(minutes=1))
    quoted = (
        "Replies to the consultation: the deadline passed on Sun 17 May 2020, 23:59 CEST. "
        "Late submissions are refused."
    )
    assert str(refusal.value) == quoted
    procedures = Path(__file__).resolve().parents[2] / "docs" / "procedures.md"
    assert quoted in " ".join(procedures.read_text(encoding="utf-8").replace("“", "").split())
