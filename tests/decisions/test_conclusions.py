"""Proposed conclusions, the "any objection?" call and the objection guard (services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.live.services import enter, room_events
from vev.core.models import AuditEntry
from vev.council.models import AgendaAllocation, Registration
from vev.decisions.errors import DecisionsError
from vev.decisions.models import ConclusionTransition, ObjectionCall, ProposedConclusion
from vev.decisions.services import conclusions
from vev.live.models import Connection
from vev.live.services import presence
from vev.records.services import summary

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(live):
    """A meeting in session where every Council Member registered is in the room."""
    event, meeting, users = live
    # Members: France (councillor, FR0-3), Kenya (focal point, no-MFA councillor), Japan (none).
    users["ke"] = factories.create_user("ke.head@example.org", full_name="Head KE")
    factories.register(users["ke"], event, factories.member_entity(event, 1), "councillor")
    Registration.objects.filter(user=users["no_mfa_councillor"]).delete()
    Registration.objects.filter(user=users["focal_point"]).delete()
    for key in ("chair", "secretariat", "councillor", "ke", "observer"):
        enter(users[key], meeting)
    item = meeting.allocations.get().item
    conclusion = conclusions.draft(
        event, users["secretariat"], text="The Council took note of the report.", agenda_item=item
    )
    return event, meeting, users, conclusion


def past(call: ObjectionCall) -> None:
    ObjectionCall.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))


def test_no_objection_agrees_and_numbers_it(room):
    _, meeting, users, conclusion = room
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"], seconds=30)
    with pytest.raises(DecisionsError):
        conclusions.close_call(call.pk, users["chair"])  # still running
    past(call)
    assert conclusions.close_due_calls(meeting.pk) == [call.pk]
    conclusion.refresh_from_db()
    assert conclusion.state == "agreed" and conclusion.number == 1
    assert list(conclusion.transitions.values_list("to_state", flat=True)) == ["called", "agreed"]
    types = [e["type"] for e in room_events(meeting, "conclusions.")]
    assert types[-2:] == ["conclusions.call_opened", "conclusions.call_closed"]
    assert conclusions.close_due_calls(meeting.pk) == []  # idempotent


def test_one_objection_defers_the_matter(room):
    _, meeting, users, conclusion = room
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"], seconds=60)
    conclusions.raise_objection(call.pk, users["ke"], reason="Needs the financial annex")
    with pytest.raises(DecisionsError, match="already objected"):
        conclusions.raise_objection(call.pk, users["ke"])
    conclusions.close_call(call.pk, users["chair"])  # an objection ends the call at once
    conclusion.refresh_from_db()
    assert conclusion.state == "deferred" and conclusion.deferred_because == "objection"
    assert conclusion.number is None
    note = ConclusionTransition.objects.get(conclusion=conclusion, to_state="deferred").note
    assert "Kenya" in note
    entry = AuditEntry.objects.get(action="vev.decisions.conclusion.objection_raised")
    assert entry.data == {
        "state": "Kenya",
        "reason": "Needs the financial annex",
        "meeting": meeting.code,
    }


def test_who_may_object(room):
    _, meeting, users, conclusion = room
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"])
    for role in ("observer", "adviser", "secretariat"):
        with pytest.raises(DecisionsError, match="Only the head of delegation"):
            conclusions.raise_objection(call.pk, users[role])
    with pytest.raises(DecisionsError, match="from the meeting room"):
        conclusions.raise_objection(call.pk, users["head_of_delegation"])  # France, not in room
    conclusions.raise_objection(call.pk, users["councillor"])
    conclusions.withdraw_objection(call.pk, users["councillor"])
    past(call)
    conclusions.close_due_calls(meeting.pk)
    conclusion.refresh_from_db()
    assert conclusion.state == "agreed"  # the only objection was withdrawn in time


def test_the_guard_holds_a_call_when_a_member_is_not_connected(room):
    _, meeting, users, conclusion = room
    # Kenya's only delegate drops during the call.
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"])
    connection = Connection.objects.get(participant__user=users["ke"], closed_at__isnull=True)
    presence.disconnect(connection.pk, reason=Connection.Reason.DROPPED)
    past(call)
    conclusions.close_due_calls(meeting.pk)
    call.refresh_from_db()
    conclusion.refresh_from_db()
    assert call.status == "held" and conclusion.state == "called"
    assert call.guard == {"absent": ["Kenya"], "dropped": ["Kenya"]}
    assert room_events(meeting, "conclusions.")[-1]["call"]["absent"] == ["Kenya"]

    # The chair waits; Kenya is back and stays connected: the drop before the wait no longer
    # holds the call, and it is agreed with the wait noted.
    waited = conclusions.resolve_hold(call.pk, users["chair"], decision="wait", seconds=20)
    assert waited.status == "open"
    enter(users["ke"], meeting, channel="back")
    past(call)
    conclusions.close_due_calls(meeting.pk)
    call.refresh_from_db()
    conclusion.refresh_from_db()
    assert call.status == "closed" and call.outcome == "agreed"
    assert conclusion.state == "agreed" and conclusion.absence_noted == []
    assert call.guard == {
        "absent": [],
        "dropped": [],
        "waited": [{"absent": ["Kenya"], "dropped": ["Kenya"]}],
    }
    note = conclusion.transitions.get(to_state="agreed").note
    assert "The chair waited for Kenya" in note and "every Council Member was connected" in note
    extended = AuditEntry.objects.get(action="vev.decisions.conclusion.call_extended")
    assert extended.data == {"seconds": 20, "absent": ["Kenya"], "dropped": ["Kenya"]}
    record = summary.render_text(summary.assemble(meeting))
    assert "the chair waited for Kenya" in record


def test_after_waiting_a_new_drop_holds_the_call_again_and_the_chair_may_call_again(room):
    _, meeting, users, conclusion = room
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"])
    drop(users["ke"])
    past(call)
    conclusions.close_due_calls(meeting.pk)
    conclusions.resolve_hold(call.pk, users["chair"], decision="wait", seconds=20)
    enter(users["ke"], meeting, channel="back")
    drop(users["ke"])  # …and drops again during the wait
    enter(users["ke"], meeting, channel="back-again")
    past(call)
    conclusions.close_due_calls(meeting.pk)
    call.refresh_from_db()
    assert (
        call.status == "held" and call.guard["absent"] == [] and call.guard["dropped"] == ["Kenya"]
    )
    # The chair calls again: a new call, now with everyone connected throughout.
    again = conclusions.resolve_hold(call.pk, users["chair"], decision="recall")
    call.refresh_from_db()
    assert call.outcome == "recalled" and again.pk != call.pk
    past(again)
    conclusions.close_due_calls(meeting.pk)
    conclusion.refresh_from_db()
    assert conclusion.state == "agreed" and conclusion.absence_noted == []


def drop(user) -> None:
    connection = Connection.objects.get(participant__user=user, closed_at__isnull=True)
    presence.disconnect(connection.pk, reason=Connection.Reason.DROPPED)


def test_a_delegate_whose_server_died_before_the_call_is_not_present(room):
    """Kenya's server process died: its connection is still open (the room's sweep closes it
    only after 75 s) but was not refreshed since before the call."""
    _, meeting, users, conclusion = room
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"])
    Connection.objects.filter(participant__user=users["ke"], closed_at__isnull=True).update(
        last_seen_at=timezone.now() - timedelta(seconds=80)
    )
    past(call)
    conclusions.close_due_calls(meeting.pk)
    call.refresh_from_db()
    assert call.status == "held"
    assert call.guard == {"absent": ["Kenya"], "dropped": []}


def test_a_server_that_dies_during_a_one_minute_call_is_a_lost_connection(room):
    """Its connection missed two heartbeats (50 s old, the sweep waits 75 s): lost during the
    call, and Kenya has no delegate connected."""
    _, meeting, users, conclusion = room
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"])
    minute_ago = timezone.now() - timedelta(seconds=60)
    ObjectionCall.objects.filter(pk=call.pk).update(opened_at=minute_ago, watched_from=minute_ago)
    Connection.objects.filter(participant__user=users["ke"], closed_at__isnull=True).update(
        last_seen_at=timezone.now() - timedelta(seconds=50)
    )
    past(call)
    conclusions.close_due_calls(meeting.pk)
    call.refresh_from_db()
    assert call.status == "held"
    assert call.guard == {"absent": ["Kenya"], "dropped": ["Kenya"]}


def test_a_dead_server_swept_during_the_call_counts_from_its_last_sign_of_life(room):
    """Kenya's first server died long before the call; Kenya reconnected elsewhere before the
    call; the sweep closes the dead connection during the call: no loss during the call."""
    _, meeting, users, conclusion = room
    old = Connection.objects.get(participant__user=users["ke"], closed_at__isnull=True)
    enter(users["ke"], meeting, channel="other-server")
    Connection.objects.filter(pk=old.pk).update(
        last_seen_at=timezone.now() - timedelta(seconds=300)
    )
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"])
    presence.sweep(meeting.pk)  # closes the old connection as server_lost, now
    assert Connection.objects.get(pk=old.pk).close_reason == "server_lost"
    past(call)
    conclusions.close_due_calls(meeting.pk)
    conclusion.refresh_from_db()
    assert conclusion.state == "agreed"


def test_the_chair_may_record_with_the_absence_noted(room):
    _, meeting, users, conclusion = room
    Connection.objects.filter(participant__user=users["ke"]).update(
        closed_at=timezone.now(), close_reason="left"
    )
    users["ke"].room_participations.update(status="left")
    call = conclusions.open_call(conclusion.pk, meeting, users["chair"])
    past(call)
    conclusions.close_due_calls(meeting.pk)
    with pytest.raises(DecisionsError):
        conclusions.resolve_hold(call.pk, users["secretariat"], decision="record")
    conclusions.resolve_hold(call.pk, users["chair"], decision="record")
    conclusion.refresh_from_db()
    assert conclusion.state == "agreed" and conclusion.absence_noted == ["Kenya"]
    assert "Kenya" in conclusion.transitions.get(to_state="agreed").note


def test_calls_need_the_chair_an_open_meeting_and_one_at_a_time(room):
    event, meeting, users, conclusion = room
    for role in ("secretariat", "councillor", "moderator"):
        with pytest.raises(DecisionsError, match="chair"):
            conclusions.open_call(conclusion.pk, meeting, users[role])
    other = conclusions.draft(event, users["chair"], text="Second.", agenda_item=None)
    conclusions.open_call(conclusion.pk, meeting, users["chair"])
    with pytest.raises(DecisionsError, match="Another call"):
        conclusions.open_call(other.pk, meeting, users["chair"])
    with pytest.raises(DecisionsError):
        conclusions.open_call(conclusion.pk, meeting, users["chair"], seconds=5)


def test_packages_elections_withdrawal_and_forwarding(room):
    event, meeting, users, conclusion = room
    kept = factories.create_document(event, symbol="C20/1", group=1)
    pulled = factories.create_document(event, symbol="C20/2", group=1)
    pulled.discuss_in_session = True
    pulled.save()
    package = conclusions.draft_package(event, users["secretariat"], group=1)
    assert package.kind == "package_note" and list(package.documents.all()) == [kept]
    assert "C20/1" in package.text and "C20/2" not in package.text
    election = conclusions.draft_election(
        event,
        users["secretariat"],
        office="chair",
        candidate="Ms A. Example",
        entity=factories.member_entity(event, 1),
    )
    assert "Ms A. Example (Kenya)" in election.text and "Chair" in election.text
    conclusions.withdraw(package.pk, users["secretariat"], reason="Drafted twice")
    package.refresh_from_db()
    assert package.state == "withdrawn"
    call = conclusions.open_call(election.pk, meeting, users["chair"])
    past(call)
    conclusions.close_due_calls(meeting.pk)
    with pytest.raises(DecisionsError):
        conclusions.forward_agreed(event, users["chair"])
    assert conclusions.forward_agreed(event, users["secretariat"]) == 1
    election.refresh_from_db()
    assert election.state == "forwarded"
    assert ProposedConclusion.objects.get(pk=conclusion.pk).state == "draft"


def test_a_closed_meetings_conclusion_stays_in_its_room(room):
    """Withdrawn under call in a closed meeting: a public meeting in session on the same item
    hears nothing of it (its proceedings are for those who may see that meeting)."""
    event, meeting, users, conclusion = room
    closed = factories.open_meeting(event, "closed-1")
    AgendaAllocation.objects.create(meeting=closed, item=conclusion.agenda_item)
    enter(users["chair"], closed)
    conclusions.open_call(conclusion.pk, closed, users["chair"], seconds=30)
    conclusions.withdraw(conclusion.pk, users["secretariat"], reason="Not ready.")
    assert [e["type"] for e in room_events(closed, "conclusions.withdrawn")] == [
        "conclusions.withdrawn"
    ]
    assert room_events(meeting, "conclusions.") == []
