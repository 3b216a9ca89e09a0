"""Drafting, launching, extending and withdrawing written procedures (services.procedures)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from tests import factories
from tests.decisions.conftest import pass_deadline
from vev.core.models import AuditEntry
from vev.decisions.errors import DecisionsError
from vev.decisions.models import WrittenDeadlineChange, WrittenProcedure
from vev.decisions.services import procedures
from vev.documents.services.files import check_file
from vev.documents.services.writers import simple_pdf
from vev.notifications.models import Notification


def draft(event, secretariat, chair, **kwargs):
    now = timezone.now()
    values = {
        "title": "Dates of the next physical session",
        "text": "Council is invited to decide the dates of its next physical session.",
        "rule": "silence",
        "deadline": now + timedelta(days=3),
        "instructed_by": chair,
        "instructed_at": now - timedelta(hours=2),
    }
    values.update(kwargs)
    return procedures.save_draft(event, by=secretariat, **values)


def test_a_draft_records_the_instruction_and_is_numbered(event, secretariat, chair, users):
    first = draft(event, secretariat, chair)
    second = draft(event, secretariat, chair, title="Second")
    assert (first.number, second.number) == (1, 2)
    assert first.reference == "WP 1" and first.status == WrittenProcedure.Status.DRAFT
    assert first.instructed_by == chair and first.drafted_by == secretariat
    entry = AuditEntry.objects.get(action="vev.decisions.procedure.drafted", target_id=first.pk)
    assert entry.data["title"] == "Dates of the next physical session"
    assert not Notification.objects.exists()  # nothing circulated yet


@pytest.mark.parametrize("role", ["chair", "head_of_delegation", "councillor", "observer"])
def test_only_the_secretariat_drafts(event, users, chair, role):
    with pytest.raises(DecisionsError, match="Only the secretariat"):
        draft(event, users[role], chair)


def test_the_instruction_comes_from_a_presiding_officer_and_not_from_the_future(
    event, secretariat, users
):
    with pytest.raises(DecisionsError, match="not the chair or a vice-chair"):
        draft(event, secretariat, users["councillor"])
    assert draft(event, secretariat, users["vice_chair"]).instructed_by == users["vice_chair"]
    with pytest.raises(DecisionsError, match="cannot be in the future"):
        draft(
            event,
            secretariat,
            users["chair"],
            instructed_at=timezone.now() + timedelta(hours=1),
        )


def test_deadline_in_the_past_and_missing_text_are_refused(event, secretariat, chair):
    with pytest.raises(DecisionsError, match="must be in the future"):
        draft(event, secretariat, chair, deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DecisionsError, match="title and the text"):
        draft(event, secretariat, chair, text="   ")
    with pytest.raises(DecisionsError, match="outcome rule"):
        draft(event, secretariat, chair, rule="unanimity")


def test_related_documents_must_be_published_documents_of_the_event(event, secretariat, chair, db):
    published = factories.create_document(event, symbol="C20/37", group=3)
    unpublished = factories.create_document(event, symbol="C20/38", status="draft")
    other = factories.create_document(factories.create_event("other-session"), symbol="C20/1")
    procedure = draft(event, secretariat, chair, documents=[published])
    assert list(procedure.documents.all()) == [published]
    with pytest.raises(DecisionsError, match="not published yet"):
        draft(event, secretariat, chair, documents=[unpublished])
    with pytest.raises(DecisionsError, match="another event"):
        draft(event, secretariat, chair, documents=[other])


def test_attachments_are_stored_with_their_hash_and_removed(event, secretariat, chair):
    from django.core.files.uploadedfile import SimpleUploadedFile

    checked = check_file(SimpleUploadedFile("annex.pdf", simple_pdf("Annex", ["x"], pages=2)))
    procedure = draft(event, secretariat, chair, attachments=[checked])
    attachment = procedure.attachments.get()
    assert (attachment.original_name, attachment.page_count) == ("annex.pdf", 2)
    assert attachment.sha256 == checked.sha256 and attachment.file.read().startswith(b"%PDF")
    draft(event, secretariat, chair, procedure=procedure, remove_attachments=[attachment.pk])
    assert not procedure.attachments.exists()


def test_launch_circulates_to_every_head_and_councillor_with_local_times(
    event, users, secretariat, chair, japan_head, kenya, published, committed, mailoutbox
):
    kenya.time_zone = "Africa/Nairobi"
    kenya.save()
    procedure = draft(event, secretariat, chair, deadline=timezone.now() + timedelta(days=2))
    with committed():
        procedure = procedures.launch(procedure, by=secretariat)
    assert procedure.status == "open" and procedure.launched_by == secretariat
    assert len(procedure.content_sha256) == 64
    notices = Notification.objects.filter(kind="decisions.launched")
    # Heads and councillors of the Council Members (also a councillor who has not enrolled
    # a second factor yet: they must learn of it); not advisers, observers or staff.
    assert {n.user for n in notices} == {
        users["head_of_delegation"],
        users["councillor"],
        users["focal_point"],
        users["no_mfa_councillor"],
        japan_head,
    }
    assert len(mailoutbox) == 5
    deadline = procedure.deadline
    event_time = deadline.astimezone(event.tz).strftime("%H:%M")
    # The profile's time zone first ...
    japan_notice = notices.get(user=japan_head).body
    tokyo_time = deadline.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    assert event_time in japan_notice and "(your time: " in japan_notice
    assert f"{tokyo_time} JST" in japan_notice
    # ... else the time zone of the delegation represented.
    kenya_notice = notices.get(user=users["focal_point"]).body
    nairobi_time = deadline.astimezone(ZoneInfo("Africa/Nairobi")).strftime("%H:%M")
    assert "(time in Kenya: " in kenya_notice and f"{nairobi_time} EAT" in kenya_notice
    # France's zone is the event's: no second time.
    france_notice = notices.get(user=users["councillor"]).body
    assert "your time" not in france_notice and "time in" not in france_notice
    assert "Rule 3.2" in france_notice and procedure.text in france_notice
    assert "Silence procedure" in france_notice and chair.display_name in france_notice
    entry = AuditEntry.objects.get(action="vev.decisions.procedure.launched")
    assert entry.data["instructed_by"] == chair.display_name
    assert entry.data["instructed_as"] == "chair"
    assert entry.data["content_sha256"] == procedure.content_sha256
    groups = [(group, frame["type"]) for group, frame in published]
    assert (f"event.{event.pk}.participants", "decisions.launched") in groups


def test_launch_needs_a_future_deadline_and_happens_once(event, secretariat, chair):
    procedure = draft(event, secretariat, chair)
    WrittenProcedure.objects.filter(pk=procedure.pk).update(
        deadline=timezone.now() - timedelta(minutes=5)
    )
    with pytest.raises(DecisionsError, match="must be in the future"):
        procedures.launch(procedure, by=secretariat)
    WrittenProcedure.objects.filter(pk=procedure.pk).update(deadline=None)
    with pytest.raises(DecisionsError, match="Set the deadline"):
        procedures.launch(procedure, by=secretariat)
    procedure = draft(event, secretariat, chair, procedure=procedure)
    procedures.launch(procedure, by=secretariat)
    with pytest.raises(DecisionsError, match="circulated already"):
        procedures.launch(procedure, by=secretariat)
    with pytest.raises(DecisionsError, match="can no longer change"):
        draft(event, secretariat, chair, procedure=procedure, text="A different text")


def test_withdrawal_before_the_deadline_tells_everyone_with_the_reason(
    make_procedure, event, users, secretariat, published, committed
):
    procedure = make_procedure()
    mail.outbox.clear()
    with pytest.raises(DecisionsError, match="reason"):
        procedures.withdraw(procedure, by=secretariat, reason=" ")
    with pytest.raises(DecisionsError, match="Only the secretariat"):
        procedures.withdraw(procedure, by=users["chair"], reason="No longer urgent")
    with committed():
        procedure = procedures.withdraw(procedure, by=secretariat, reason="No longer urgent")
    assert procedure.status == "withdrawn" and procedure.withdrawal_reason == "No longer urgent"
    notices = Notification.objects.filter(kind="decisions.withdrawn")
    assert users["secretariat"] in {n.user for n in notices}
    assert users["councillor"] in {n.user for n in notices}
    assert "No longer urgent" in notices.first().body
    assert AuditEntry.objects.filter(action="vev.decisions.procedure.withdrawn").count() == 1
    assert ("decisions.withdrawn", procedure.pk) in [
        (frame["type"], frame.get("procedure_id")) for _g, frame in published
    ]
    with pytest.raises(DecisionsError, match="can no longer be withdrawn"):
        procedures.withdraw(procedure, by=secretariat, reason="Again")


def test_no_withdrawal_or_extension_once_the_deadline_has_passed(make_procedure, secretariat):
    procedure = pass_deadline(make_procedure())
    with pytest.raises(DecisionsError, match="result is being computed"):
        procedures.withdraw(procedure, by=secretariat, reason="Too late")
    with pytest.raises(DecisionsError, match="result is being computed"):
        procedures.extend(
            procedure,
            by=secretariat,
            deadline=timezone.now() + timedelta(days=1),
            reason="Too late",
        )
    procedure.refresh_from_db()
    assert procedure.status == "open"


def test_extension_is_recorded_and_announced(
    make_procedure, event, users, secretariat, published, committed
):
    procedure = make_procedure(hours=30)
    old = procedure.deadline
    with pytest.raises(DecisionsError, match="after the current deadline"):
        procedures.extend(procedure, by=secretariat, deadline=old, reason="More time")
    with committed():
        change = procedures.extend(
            procedure,
            by=secretariat,
            deadline=old + timedelta(days=2),
            reason="Connection problems",
        )
    procedure.refresh_from_db()
    assert procedure.deadline == old + timedelta(days=2)
    assert (change.previous, change.new, change.by) == (old, procedure.deadline, secretariat)
    assert WrittenDeadlineChange.objects.count() == 1
    entry = AuditEntry.objects.get(action="vev.decisions.procedure.extended")
    assert entry.data["reason"] == "Connection problems"
    notice = Notification.objects.filter(kind="decisions.extended", user=users["councillor"]).get()
    assert "Connection problems" in notice.body and "New deadline" in notice.body
    frame = next(f for _g, f in published if f["type"] == "decisions.extended")
    assert frame["previous_deadline"] == old.isoformat()
