"""Replies of the Council Member States (services.replies)."""

import pytest

from tests.decisions.conftest import pass_deadline
from vev.core.models import AuditEntry
from vev.decisions.errors import DecisionsError, ReplyTooLate
from vev.decisions.models import LateWrittenReply, WrittenReply, WrittenReplyChange
from vev.decisions.services import procedures, replies


def test_a_state_replies_changes_its_reply_and_every_version_is_kept(
    make_procedure, event, users, france, published, committed
):
    procedure = make_procedure()
    with committed():
        first = replies.reply(users["councillor"], procedure, "agree")
    assert (first.entity, first.replied_by, first.changes) == (france, users["councillor"], 0)
    with committed():
        changed = replies.reply(
            users["head_of_delegation"], procedure, "object", "France cannot agree yet."
        )
    assert changed.pk == first.pk and changed.choice == "object" and changed.changes == 1
    assert changed.replied_by == users["head_of_delegation"]
    assert WrittenReply.objects.filter(procedure=procedure).count() == 1
    history = list(WrittenReplyChange.objects.filter(procedure=procedure))
    assert [(h.choice, h.previous_choice, h.by) for h in history] == [
        ("agree", "", users["councillor"]),
        ("object", "agree", users["head_of_delegation"]),
    ]
    actions = list(
        AuditEntry.objects.filter(action__startswith="vev.decisions.reply.").values_list(
            "action", "data__choice"
        )
    )
    assert actions == [
        ("vev.decisions.reply.given", "agree"),
        ("vev.decisions.reply.changed", "object"),
    ]
    frames = [f for g, f in published if f["type"] == "decisions.replied"]
    assert [g for g, f in published if f["type"] == "decisions.replied"] == [
        f"event.{event.pk}.secretariat"
    ] * 2
    assert frames[-1]["entity"] == "France" and frames[-1]["object"] == 1
    assert frames[-1]["agree"] == 0 and frames[-1]["no_reply"] == 2


def test_the_same_reply_twice_records_nothing_new(make_procedure, users):
    procedure = make_procedure()
    replies.reply(users["councillor"], procedure, "abstain", "We abstain.")
    replies.reply(users["councillor"], procedure, "abstain", " We abstain. ")
    assert WrittenReplyChange.objects.count() == 1


@pytest.mark.parametrize(
    "role", ["adviser", "observer", "secretariat", "chair", "interpreter", "no_mfa_councillor"]
)
def test_only_heads_and_councillors_of_council_members_reply(make_procedure, users, role):
    procedure = make_procedure()
    with pytest.raises(DecisionsError, match="head of delegation or a councillor"):
        replies.reply(users[role], procedure, "object")
    assert not WrittenReply.objects.exists()


def test_choice_and_statement_are_validated(make_procedure, users):
    procedure = make_procedure()
    with pytest.raises(DecisionsError, match="agree, object or abstain"):
        replies.reply(users["councillor"], procedure, "maybe")
    with pytest.raises(DecisionsError, match="3,001 characters; at most 3,000"):
        replies.reply(users["councillor"], procedure, "object", "x" * 3001)
    assert replies.reply(users["councillor"], procedure, "object", "x" * 3000)


def test_a_late_reply_is_refused_with_the_deadline_and_its_text_kept(
    make_procedure, event, users, japan_head, japan
):
    procedure = pass_deadline(make_procedure())
    with pytest.raises(ReplyTooLate) as refused:
        replies.reply(japan_head, procedure, "object", "Japan objects, late.")
    message = str(refused.value)
    event_time = procedure.deadline.astimezone(event.tz).strftime("%H:%M")
    assert "closed at the deadline" in message and event_time in message
    assert "(your time: " in message and "JST" in message  # the delegate's own time zone
    assert not WrittenReply.objects.exists()
    late = LateWrittenReply.objects.get()
    assert (late.entity, late.by, late.choice, late.statement) == (
        japan,
        japan_head,
        "object",
        "Japan objects, late.",
    )
    assert list(replies.late_replies_of(procedure, japan)) == [late]
    assert AuditEntry.objects.filter(action="vev.decisions.reply.refused_late").count() == 1


def test_no_reply_to_a_withdrawn_or_draft_procedure(make_procedure, users, secretariat):
    procedure = make_procedure()
    procedures.withdraw(procedure, by=secretariat, reason="Overtaken by events")
    with pytest.raises(DecisionsError, match="withdrawn"):
        replies.reply(users["councillor"], procedure, "agree")
    draft = make_procedure(status="draft")
    with pytest.raises(DecisionsError, match="not been circulated"):
        replies.reply(users["councillor"], draft, "agree")
    assert not LateWrittenReply.objects.exists()


def test_table_lists_every_council_member_with_its_reply(make_procedure, users, france, kenya):
    procedure = make_procedure()
    replies.reply(users["focal_point"], procedure, "agree")
    rows = replies.table(procedure)
    assert [row.entity.name for row in rows] == ["France", "Japan", "Kenya"]
    assert [row.reply.choice if row.reply else None for row in rows] == [None, None, "agree"]
    assert replies.tally(procedure).as_dict() == {
        "agree": 1,
        "object": 0,
        "abstain": 0,
        "members": 3,
        "replied": 1,
        "no_reply": 2,
    }
