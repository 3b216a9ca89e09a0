"""The summary record of a simulated meeting contains what happened; versions and publication."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.live.services import enter
from tests.records.simulation import simulate_meeting
from vev.core.models import AuditEntry
from vev.live.services import flow, speakers
from vev.records.models import SummaryRecord
from vev.records.services import summary

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held(event, role_users):
    return simulate_meeting(event, role_users)


def test_the_summary_record_of_a_simulated_meeting_contains_what_happened(held):
    body = summary.assemble(held.meeting)
    assert body["meeting"]["code"] == "PL 1"
    assert body["meeting"]["opened_at"] and body["meeting"]["closed_at"]

    groups = {(g["kind"], g["entity"]): g for g in body["attendance"]}
    assert {("member", "France"), ("member", "Kenya"), ("observer", "Observer State 0")} <= set(
        groups
    )
    assert any(k == "presiding" for k, _ in groups)
    (france,) = groups[("member", "France")]["people"]
    assert [d["reason"] for d in france["drops"]] == ["dropped"]
    assert france["drops"][0]["back_at"] is not None
    assert body["absent"] == ["Japan"]

    (item,) = body["items"]
    assert item["code"] == "PL-1" and item["started_at"] and item["ended_at"]
    first, second = item["turns"]
    assert (first["entity"], first["kind"]) == ("France", "ordinary")
    assert first["excerpt"] == "France supports the report. We thank the secretariat."
    assert (second["entity"], second["kind"]) == ("Kenya", "point_of_order")
    assert second["excerpt"] == "Kenya asks for interpretation."
    assert second["ruling"] == "The point is well taken."
    assert item["comments"] == [
        {
            "document": "C20/37",
            "entity": "France",
            "text": "France asks that its support be noted.",
            "filed_at": item["comments"][0]["filed_at"],
        }
    ]
    deferred, agreed = item["conclusions"]
    assert deferred["outcome"] == "deferred" and deferred["number"] is None
    assert deferred["objections"][0]["entity"] == "Kenya"
    assert deferred["objections"][0]["reason"] == "The annex is missing."
    assert agreed["outcome"] == "agreed_absence_noted" and agreed["number"] == 1
    assert agreed["absence_noted"] == ["Japan"]
    (election,) = body["elections"]
    assert election["office"] == "chair" and election["number"] == 2

    text = summary.render_text(body)
    for expected in (
        "Summary record of PL 1",
        "Council Members, France",
        "connection lost",
        "Council Members registered but not connected: Japan",
        "Speaker: councillor (France), ",
        "“France supports the report. We thank the secretariat.”",
        "Point of order: Ms Wanjiru (Kenya)",
        "Ruling of the chair: The point is well taken.",
        "C20/37, France: France asks that its support be noted.",
        "Deferred to the next physical meeting: objection of Kenya",
        "Objection of Kenya: The annex is missing.",
        "Agreed as proposed conclusion No. 1 (recorded with the absence noted of: Japan)",
        "Elections",
        "Ms Kamau (Kenya)",
    ):
        assert expected in text, expected


def test_the_assembled_record_follows_the_room(event, role_users):
    """Cached under the room's sequence number: every act of the room shows at the next read."""
    users = role_users
    meeting = event.meetings.get(slug="pl-1")
    meeting.starts_at = timezone.now() - timedelta(minutes=1)
    meeting.save()
    flow.open_meeting(meeting, users["chair"])
    enter(users["chair"], meeting)
    before = summary.assemble(meeting)
    assert before["items"] == [] and summary.assemble(meeting) == before
    flow.take_up_item(meeting, users["chair"], meeting.allocations.get().pk)
    (item,) = summary.assemble(meeting)["items"]
    assert item["turns"] == []
    enter(users["councillor"], meeting)
    speakers.give_floor(meeting, users["chair"], speakers.raise_hand(meeting, users["councillor"]))
    (item,) = summary.assemble(meeting)["items"]
    assert [t["entity"] for t in item["turns"]] == ["France"]


def test_versions_conflict_and_publication(held, role_users):
    meeting, secretariat = held.meeting, role_users["secretariat"]
    text, base = summary.starting_text(meeting, None)
    assert base == 0 and "Summary record of PL 1" in text
    first = summary.save_version(meeting, secretariat, text=text + "Edited.", base_version=0)
    assert first.number == 1 and first.body["items"]
    other = summary.save_version(meeting, secretariat, text="Their text", base_version=1)
    with pytest.raises(summary.RecordConflict, match="Version 2 was saved by") as caught:
        summary.save_version(meeting, secretariat, text="My text", base_version=1)
    assert caught.value.current == other
    with pytest.raises(summary.RecordError, match="Nothing changed"):
        summary.save_version(meeting, secretariat, text="Their text", base_version=2)
    with pytest.raises(summary.RecordError, match="empty"):
        summary.save_version(meeting, secretariat, text="  ", base_version=2)
    with pytest.raises(summary.RecordError, match="Version 2 was saved after"):
        summary.publish(meeting, secretariat, version=1)
    record = summary.publish(meeting, secretariat, version=2)
    assert record.status == "published" and record.published_version == other
    summary.save_version(meeting, secretariat, text="A correction", base_version=2)
    record = SummaryRecord.objects.get(meeting=meeting)
    assert record.status == "draft" and record.published_version == other
    actions = list(
        AuditEntry.objects.filter(action__startswith="vev.records.").values_list(
            "action", "data__version"
        )
    )
    assert actions == [
        ("vev.records.summary.edited", 1),
        ("vev.records.summary.edited", 2),
        ("vev.records.summary.published", 2),
        ("vev.records.summary.edited", 3),
    ]


def test_only_the_secretariat_edits_and_publishes(held, role_users):
    for role in ("chair", "councillor", "observer", "moderator"):
        with pytest.raises(summary.RecordError, match="Only the secretariat"):
            summary.save_version(held.meeting, role_users[role], text="x", base_version=0)
        with pytest.raises(summary.RecordError, match="Only the secretariat"):
            summary.publish(held.meeting, role_users[role], version=1)


def test_the_chair_summary_of_the_next_meeting_starts_from_the_record(held, role_users):
    next_meeting = held.event.meetings.get(slug="pl-2")
    draft = flow.draft_summary(next_meeting)
    assert "At its previous meeting (PL 1) the Council:" in draft
    assert "Deferred to the next physical meeting: objection of Kenya" in draft
    assert "(From the summary record of PL 1.)" in draft
    text, _ = summary.starting_text(held.meeting, None)
    summary.save_version(held.meeting, role_users["secretariat"], text=text, base_version=0)
    summary.publish(held.meeting, role_users["secretariat"], version=1)
    draft = flow.draft_summary(next_meeting)
    assert "the published summary record of PL 1, version 1" in draft
    assert len(draft) <= 8000
