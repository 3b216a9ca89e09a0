"""The written-procedure pages through the Django test client."""

import csv
import io
from datetime import UTC, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.decisions.conftest import pass_deadline
from vev.decisions.models import LateWrittenReply, WrittenProcedure, WrittenReply
from vev.decisions.services import closing, replies
from vev.documents.services.writers import simple_pdf
from vev.notifications.models import Notification


def url(name, event, **kwargs):
    return reverse(f"decisions:{name}", kwargs={"event": event.slug, **kwargs})


def form_data(chair, **overrides):
    data = {
        "title": "Dates of the next physical session",
        "text": "Council is invited to hold its next physical session on the dates proposed.",
        "rule": "silence",
        "deadline": "2030-01-15T12:00",
        "instructed_by": str(chair.pk),
        "instructed_at": (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "action": "launch",
    }
    data.update(overrides)
    return data


def test_secretariat_launches_with_an_attachment_deadline_in_the_event_zone(
    client, event, users, secretariat, chair
):
    document = factories.create_document(event, symbol="C20/37", group=3)
    client.force_login(secretariat)
    page = client.get(url("create", event)).content.decode()
    assert "Circulate now" in page and "Europe/Zurich" in page
    annex = SimpleUploadedFile("annex.pdf", simple_pdf("Annex", ["dates"]))
    response = client.post(
        url("create", event), {**form_data(chair), "documents": [document.pk], "attachments": annex}
    )
    procedure = WrittenProcedure.objects.get()
    assert response["Location"] == url("detail", event, number=procedure.number)
    assert procedure.status == "open"
    assert procedure.deadline == datetime(2030, 1, 15, 11, 0, tzinfo=UTC)  # CET = UTC+1
    assert procedure.instructed_by == chair
    assert list(procedure.documents.all()) == [document]
    assert procedure.attachments.get().original_name == "annex.pdf"
    assert Notification.objects.filter(kind="decisions.launched").count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "Tue 15 Jan 2030, 12:00 CET" in page and "data-vev-countdown" in page
    assert "annex.pdf" in page and "C20/37" in page
    assert 'id="replies-table"' in page  # the secretariat follows the replies
    attachment = procedure.attachments.get()
    file = client.get(url("attachment", event, number=procedure.number, attachment=attachment.pk))
    assert file["Content-Type"] == "application/pdf"


def test_a_bad_attachment_or_a_past_deadline_keeps_the_form(client, event, secretariat, chair):
    client.force_login(secretariat)
    bad = SimpleUploadedFile("annex.pdf", b"plain text pretending")
    page = client.post(url("create", event), {**form_data(chair), "attachments": bad})
    text = page.content.decode()
    assert "“annex.pdf” is neither a PDF nor a Word (DOCX) file" in text
    assert "Council is invited to hold its next physical session" in text  # nothing lost
    page = client.post(url("create", event), form_data(chair, deadline="2001-01-01T12:00"))
    assert "The deadline must be in the future." in page.content.decode()
    assert not WrittenProcedure.objects.exists()


def test_a_draft_is_saved_edited_and_then_circulated(client, event, users, secretariat, chair):
    client.force_login(secretariat)
    response = client.post(url("create", event), form_data(chair, action="draft"))
    procedure = WrittenProcedure.objects.get()
    assert response["Location"] == url("edit", event, number=procedure.number)
    assert procedure.status == "draft" and not Notification.objects.exists()
    # Delegates do not see drafts.
    client.force_login(users["councillor"])
    assert "Dates of the next" not in client.get(url("list", event)).content.decode()
    assert client.get(url("detail", event, number=procedure.number)).status_code == 404
    client.force_login(secretariat)
    page = client.get(url("edit", event, number=procedure.number)).content.decode()
    assert "Dates of the next physical session" in page
    client.post(
        url("edit", event, number=procedure.number),
        form_data(chair, title="Dates of the 2021 session", action="launch"),
    )
    procedure.refresh_from_db()
    assert procedure.status == "open" and procedure.title == "Dates of the 2021 session"
    # Once circulated, the edit page leads to the procedure.
    response = client.get(url("edit", event, number=procedure.number))
    assert response["Location"] == procedure.get_absolute_url()


def test_a_state_replies_and_changes_its_reply_on_the_page(
    client, make_procedure, event, users, france
):
    procedure = make_procedure()
    client.force_login(users["councillor"])
    page = client.get(url("detail", event, number=procedure.number)).content.decode()
    assert "Reply of France" in page and "Send the reply" in page
    assert 'id="replies-table"' not in page  # other States' replies stay hidden until closing
    response = client.post(
        url("reply", event, number=procedure.number),
        {"choice": "object", "statement": "France needs more time."},
    )
    assert response.status_code == 302
    client.post(url("reply", event, number=procedure.number), {"choice": "abstain"})
    reply = WrittenReply.objects.get(entity=france)
    assert (reply.choice, reply.statement, reply.changes) == ("abstain", "", 1)
    page = client.get(url("detail", event, number=procedure.number)).content.decode()
    assert "Change the reply" in page and "Changed once." in page


def test_an_over_long_statement_is_refused_and_kept(client, make_procedure, event, users):
    procedure = make_procedure()
    client.force_login(users["councillor"])
    long = "word " * 700
    page = client.post(
        url("reply", event, number=procedure.number), {"choice": "object", "statement": long}
    )
    text = page.content.decode()
    assert "characters; at most 3,000 are accepted" in text
    assert long.strip()[:200] in text
    assert not WrittenReply.objects.exists()


def test_a_late_reply_is_refused_with_the_deadline_and_the_statement_shown_back(
    client, make_procedure, event, users, japan_head
):
    procedure = pass_deadline(make_procedure())
    client.force_login(japan_head)
    statement = "Japan objects to this proposal."
    page = client.post(
        url("reply", event, number=procedure.number),
        {"choice": "object", "statement": statement},
    )
    text = page.content.decode()
    event_time = procedure.deadline.astimezone(event.tz).strftime("%H:%M")
    assert "closed at the deadline" in text and event_time in text and "JST" in text
    assert f">{statement}</textarea>" in text  # back in the box, to copy
    assert "after the deadline and not recorded" in text
    assert not WrittenReply.objects.exists()
    assert LateWrittenReply.objects.get().statement == statement
    # Still there after a reload.
    page = client.get(url("detail", event, number=procedure.number)).content.decode()
    assert statement in page


def test_after_closing_everyone_sees_the_full_result_and_exports_it(
    client, make_procedure, event, users
):
    procedure = make_procedure(rule="silence")
    replies.reply(users["councillor"], procedure, "object", "France objects: the costs.")
    replies.reply(users["focal_point"], procedure, "agree")
    pass_deadline(procedure)
    closing.close_overdue()
    client.force_login(users["observer"])
    page = client.get(url("detail", event, number=procedure.number)).content.decode()
    assert "Result: Not adopted" in page and "1 Council Member objected" in page
    assert "France objects: the costs." in page and 'id="replies-table"' in page
    listing = client.get(url("list", event)).content.decode()
    assert "Not adopted" in listing
    csv_response = client.get(url("export", event, number=procedure.number, format="csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "result" in csv_response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert ["Result", "Not adopted", "1 Council Member objected by the deadline."] in rows
    france = next(r for r in rows if r and r[0] == "France")
    assert france[1:4] == ["Object", "France objects: the costs.", users["councillor"].display_name]
    assert next(r for r in rows if r and r[0] == "Japan")[1] == "no reply"
    pdf = client.get(url("export", event, number=procedure.number, format="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (
        client.get(url("export", event, number=procedure.number, format="exe")).status_code == 404
    )


def test_while_open_only_the_secretariat_and_chairs_export_the_interim_table(
    client, make_procedure, event, users
):
    procedure = make_procedure()
    replies.reply(users["councillor"], procedure, "object")
    client.force_login(users["councillor"])
    assert (
        client.get(url("export", event, number=procedure.number, format="csv")).status_code == 403
    )
    client.force_login(users["chair"])
    response = client.get(url("export", event, number=procedure.number, format="csv"))
    assert "interim" in response["Content-Disposition"]
    assert "Interim: the procedure is still open." in response.content.decode("utf-8-sig")


def test_secretariat_extends_and_withdraws_from_the_page(
    client, make_procedure, event, users, secretariat
):
    procedure = make_procedure(hours=5)
    client.force_login(secretariat)
    new = (procedure.deadline + timedelta(days=1)).astimezone(event.tz)
    response = client.post(
        url("extend", event, number=procedure.number),
        {"deadline": new.strftime("%Y-%m-%dT%H:%M"), "reason": "Time zones"},
        follow=True,
    )
    assert "was extended" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.deadline == new.replace(second=0, microsecond=0)
    response = client.post(
        url("withdraw", event, number=procedure.number), {"reason": ""}, follow=True
    )
    assert "Give the reason for the withdrawal" in response.content.decode()
    client.post(url("withdraw", event, number=procedure.number), {"reason": "Settled"})
    procedure.refresh_from_db()
    assert procedure.status == "withdrawn"
    page = client.get(url("detail", event, number=procedure.number)).content.decode()
    assert "Settled" in page and "Nothing was decided." in page


def test_the_form_shows_times_in_the_event_zone(client, make_procedure, event, secretariat):
    draft = make_procedure(status="draft")
    client.force_login(secretariat)
    page = client.get(url("edit", event, number=draft.number)).content.decode()
    shown = draft.deadline.astimezone(event.tz).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{shown}"' in page
