"""Closing at the deadline (services.closing): every rule, late replies, ties, no replies,
changed replies, withdrawal and extension, the sweeper run twice and by two workers."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.decisions.conftest import pass_deadline
from vev.core.models import AuditEntry
from vev.decisions.errors import ReplyTooLate
from vev.decisions.models import WrittenProcedure
from vev.decisions.services import closing, procedures, replies
from vev.decisions.tasks import close_written_procedures
from vev.notifications.models import Notification


def run(procedure, votes, *, late=()):
    """Reply (user, choice) before the deadline, pass it, try ``late`` replies, close."""
    for user, choice in votes:
        replies.reply(user, procedure, choice)
    pass_deadline(procedure)
    for user, choice in late:
        with pytest.raises(ReplyTooLate):
            replies.reply(user, procedure, choice)
    assert closing.close_overdue() == [procedure.pk]
    procedure.refresh_from_db()
    return procedure


def test_silence_one_objection_before_the_deadline_stops_it(make_procedure, users, japan_head):
    procedure = run(
        make_procedure(rule="silence"),
        [(users["councillor"], "agree"), (japan_head, "object")],
    )
    assert (procedure.result, procedure.result_reason) == ("not_adopted", "objection")
    assert procedure.tally["object"] == 1 and procedure.tally["agree"] == 1


def test_silence_an_objection_after_the_deadline_does_not_count(make_procedure, users, japan_head):
    procedure = run(
        make_procedure(rule="silence"),
        [(users["councillor"], "agree")],
        late=[(japan_head, "object")],
    )
    assert (procedure.result, procedure.result_reason) == ("adopted", "no_objection")
    assert procedure.late_replies.count() == 1


def test_silence_without_any_reply_is_adopted(make_procedure):
    procedure = run(make_procedure(rule="silence"), [])
    assert procedure.result == "adopted"
    assert procedure.tally == {
        "agree": 0,
        "object": 0,
        "abstain": 0,
        "members": 3,
        "replied": 0,
        "no_reply": 3,
    }


def test_silence_an_objection_withdrawn_before_the_deadline(make_procedure, users):
    procedure = make_procedure(rule="silence")
    replies.reply(users["councillor"], procedure, "object", "Not yet.")
    replies.reply(users["head_of_delegation"], procedure, "agree", "France now agrees.")
    procedure = run(procedure, [])
    assert procedure.result == "adopted"
    closed = AuditEntry.objects.get(action="vev.decisions.procedure.closed")
    assert closed.data["replies"][0]["choice"] == "agree"  # the reply kept is the last one


def test_majority_of_replies(make_procedure, users, japan_head):
    adopted = run(
        make_procedure(rule="majority_of_replies"),
        [(users["councillor"], "agree"), (users["focal_point"], "abstain")],
        late=[(japan_head, "object")],
    )
    assert (adopted.result, adopted.result_reason) == ("adopted", "majority")
    not_adopted = run(
        make_procedure(rule="majority_of_replies"),
        [(users["councillor"], "object"), (users["focal_point"], "object"), (japan_head, "agree")],
    )
    assert (not_adopted.result, not_adopted.result_reason) == ("not_adopted", "minority")


def test_majority_of_replies_tie_and_abstentions_only(make_procedure, users, japan_head):
    tie = run(
        make_procedure(rule="majority_of_replies"),
        [(users["councillor"], "agree"), (japan_head, "object"), (users["focal_point"], "abstain")],
    )
    assert (tie.result, tie.result_reason) == ("not_adopted", "tie")
    abstentions = run(
        make_procedure(rule="majority_of_replies"), [(users["councillor"], "abstain")]
    )
    assert (abstentions.result, abstentions.result_reason) == ("not_adopted", "no_votes")
    nobody = run(make_procedure(rule="majority_of_replies"), [])
    assert (nobody.result, nobody.result_reason) == ("not_adopted", "no_votes")


def test_majority_of_members(make_procedure, users, japan_head):
    # 3 Council Members: 2 agree replies are more than half.
    adopted = run(
        make_procedure(rule="majority_of_members"),
        [(users["councillor"], "agree"), (japan_head, "agree")],
    )
    assert (adopted.result, adopted.result_reason) == ("adopted", "members_majority")
    # One agrees, one abstains, one does not reply: a majority of the replies, not of members.
    short = run(
        make_procedure(rule="majority_of_members"),
        [(users["councillor"], "agree"), (japan_head, "abstain")],
        late=[(users["focal_point"], "agree")],
    )
    assert (short.result, short.result_reason) == ("not_adopted", "members_short")
    nobody = run(make_procedure(rule="majority_of_members"), [])
    assert nobody.result == "not_adopted"


def test_closing_announces_to_members_and_secretariat_and_on_the_stream(
    make_procedure, event, users, published, committed, mailoutbox
):
    procedure = make_procedure(rule="silence")
    replies.reply(users["councillor"], procedure, "object", "France objects.")
    pass_deadline(procedure)
    mailoutbox.clear()
    with committed():
        closing.close_overdue()
    notices = Notification.objects.filter(kind="decisions.closed")
    recipients = {n.user for n in notices}
    assert {users["councillor"], users["focal_point"], users["secretariat"], users["chair"]} <= (
        recipients
    )
    assert users["observer"] not in recipients and users["adviser"] not in recipients
    body = notices.get(user=users["focal_point"]).body
    assert "Result: Not adopted. 1 Council Member objected by the deadline." in body
    assert len(mailoutbox) == notices.count()
    frames = [(g, f) for g, f in published if f["type"] == "decisions.closed"]
    assert len(frames) == 1
    group, frame = frames[0]
    assert group == f"event.{event.pk}.participants"
    assert (frame["result"], frame["reason"], frame["object"], frame["no_reply"]) == (
        "not_adopted",
        "objection",
        1,
        2,
    )
    entry = AuditEntry.objects.get(action="vev.decisions.procedure.closed")
    assert entry.actor_id is None and entry.data["result"] == "not_adopted"
    assert entry.data["replies"] == [
        {
            "entity": "France",
            "choice": "object",
            "by": users["councillor"].display_name,
            "at": procedure.replies.get().replied_at.isoformat(),
            "counted": True,
        }
    ]


def test_the_sweeper_is_idempotent_and_leaves_open_and_withdrawn_alone(make_procedure, secretariat):
    due = pass_deadline(make_procedure())
    still_open = make_procedure(hours=2)
    withdrawn = make_procedure()
    procedures.withdraw(withdrawn, by=secretariat, reason="Not needed")
    pass_deadline(withdrawn)
    assert close_written_procedures.call_local() == 1  # the periodic task runs the sweep
    assert closing.close_overdue() == []  # a second run finds nothing to do
    assert closing.close(due.pk) is None  # nor does a worker that listed it before
    assert AuditEntry.objects.filter(action="vev.decisions.procedure.closed").count() == 1
    # Four heads and councillors of Council Members, the secretariat, the chair, the vice-chair.
    assert Notification.objects.filter(kind="decisions.closed").count() == 7
    statuses = dict(WrittenProcedure.objects.values_list("pk", "status"))
    assert statuses == {due.pk: "closed", still_open.pk: "open", withdrawn.pk: "withdrawn"}


def test_an_extended_procedure_closes_at_its_new_deadline(make_procedure, secretariat, users):
    procedure = make_procedure(hours=2)
    procedures.extend(
        procedure,
        by=secretariat,
        deadline=procedure.deadline + timedelta(days=1),
        reason="More time",
    )
    procedure.refresh_from_db()
    assert closing.close_overdue(now=timezone.now() + timedelta(hours=3)) == []
    replies.reply(users["councillor"], procedure, "object")  # within the extension
    assert closing.close_overdue(now=procedure.deadline) == [procedure.pk]
    procedure.refresh_from_db()
    assert procedure.result == "not_adopted"


def test_a_failing_procedure_does_not_keep_the_others_open(make_procedure, monkeypatch):
    first, second = pass_deadline(make_procedure()), pass_deadline(make_procedure())
    real_close = closing.close

    def flaky(pk, **kwargs):
        if pk == first.pk:
            raise RuntimeError("database hiccup")
        return real_close(pk, **kwargs)

    monkeypatch.setattr(closing, "close", flaky)
    assert closing.close_overdue() == [second.pk]
    monkeypatch.setattr(closing, "close", real_close)
    assert closing.close_overdue() == [first.pk]  # the next sweep closes it


@pytest.mark.django_db(transaction=True)
def test_two_workers_close_a_procedure_once(event, role_users):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")
    from tests import factories

    procedure = factories.create_written_procedure(
        event, secretariat=role_users["secretariat"], chair=role_users["chair"]
    )
    pass_deadline(procedure)
    barrier = threading.Barrier(2)
    results: list[list[int]] = []

    def worker():
        barrier.wait()
        try:
            results.append(closing.close_overdue())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(len(r) for r in results) == [0, 1]
    assert AuditEntry.objects.filter(action="vev.decisions.procedure.closed").count() == 1
    recipients = Notification.objects.filter(kind="decisions.closed").values_list("user_id")
    assert len(recipients) == len(set(recipients))
