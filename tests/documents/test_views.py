"""The documents pages through the Django test client."""

from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.documents.conftest import set_deadline
from vev.documents.models import (
    CommentDraft,
    ConsultationReply,
    Contribution,
    Deadline,
    Document,
    DocumentRequest,
    SummaryComment,
)
from vev.documents.services import clarifications, comments
from vev.documents.services.writers import simple_pdf


def url(name, event, **kwargs):
    return reverse(f"documents:{name}", kwargs={"event": event.slug, **kwargs})


def test_public_list_shows_published_documents_by_item_and_hides_drafts(client, event, doc1):
    factories.create_document(event, symbol="C20/99", status="draft")
    page = client.get(url("list", event)).content.decode()
    assert "C20/10" in page and "C20/99" not in page
    assert doc1.agenda_item.title in page


def test_private_events_documents_are_hidden_from_outsiders(client, db):
    private = factories.create_event("private", is_public=False)
    factories.create_document(private)
    assert client.get(url("list", private)).status_code == 302
    client.force_login(factories.create_user(mfa=False))
    assert client.get(url("list", private)).status_code == 404


def test_detail_publishes_questions_and_answers(client, event, users, secretariat, doc1):
    question = clarifications.ask(users["councillor"], doc1, "How is it financed?")
    clarifications.answer(question, "By the regular budget.", by=secretariat)
    page = client.get(doc1.get_absolute_url()).content.decode()
    assert "How is it financed?" in page and "By the regular budget." in page


def test_secretariat_uploads_a_document_and_a_bad_file_is_refused_by_name(
    client, event, secretariat
):
    client.force_login(secretariat)
    data = {"symbol": "C20/50", "title": "Report", "group": "1", "agenda_item": "", "source": ""}
    bad = SimpleUploadedFile("report.pdf", b"this is text, not a PDF")
    page = client.post(url("manage", event), {**data, "files_en": bad})
    assert page.status_code == 200
    assert "“report.pdf” is neither a PDF nor a Word (DOCX) file" in page.content.decode()
    assert not Document.objects.filter(symbol="C20/50").exists()
    good = SimpleUploadedFile("report.pdf", simple_pdf("C20/50", ["x"], pages=2))
    response = client.post(url("manage", event), {**data, "files_en": good})
    document = Document.objects.get(symbol="C20/50")
    assert response["Location"] == url("edit", event, document=document.pk)
    assert document.revisions.get().files.get().page_count == 2
    client.post(url("publish", event, document=document.pk))
    document.refresh_from_db()
    assert document.status == "on_agenda"


def test_deadline_form_reads_the_event_time_zone(client, event, secretariat):
    client.force_login(secretariat)
    response = client.post(
        url("deadline_set", event), {"kind": "consultation", "due_at": "2030-01-15T23:59"}
    )
    assert response.status_code == 302
    deadline = Deadline.objects.get(event=event, kind="consultation")
    assert deadline.due_at == datetime(2030, 1, 15, 22, 59, tzinfo=UTC)  # CET = UTC+1
    page = client.get(url("deadlines", event)).content.decode()
    assert "Tue 15 Jan 2030, 23:59 CET" in page and "data-vev-countdown" in page


def test_consultation_form_saves_the_states_replies(client, event, users, doc1, doc2, france):
    client.force_login(users["councillor"])
    page = client.get(url("consultation", event))
    assert page.status_code == 200
    client.post(url("consultation", event), {f"doc_{doc1.pk}": "keep", f"doc_{doc2.pk}": "move"})
    replies = dict(
        ConsultationReply.objects.filter(entity=france).values_list("document__symbol", "choice")
    )
    assert replies == {"C20/10": "keep", "C20/20": "move"}
    doc2.refresh_from_db()
    assert doc2.status == "moved"


def test_closed_consultation_says_so_and_refuses(client, event, users, doc1):
    set_deadline(event, Deadline.Kind.CONSULTATION, hours=-1)
    client.force_login(users["councillor"])
    page = client.get(url("consultation", event)).content.decode()
    assert "The consultation is closed" in page
    response = client.post(url("consultation", event), {f"doc_{doc1.pk}": "move"}, follow=True)
    assert "passed on" in response.content.decode()
    assert not ConsultationReply.objects.exists()


def test_matrix_page_and_exports(client, event, users, secretariat, doc1):
    from vev.documents.services import consultation

    consultation.reply(users["councillor"], doc1, "move")
    client.force_login(secretariat)
    page = client.get(url("matrix", event)).content.decode()
    assert 'class="cell move"' in page and "consultation-matrix.js" in page
    for fmt, content_type in [
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ]:
        response = client.get(url("matrix_export", event, format=fmt))
        assert response["Content-Type"].startswith(content_type)
        assert f".{fmt}" in response["Content-Disposition"]
    assert client.get(url("matrix_export", event, format="exe")).status_code == 404


def test_comment_over_the_limit_is_refused_and_the_text_kept(client, event, users, doc2):
    client.force_login(users["councillor"])
    text = "word " * (comments.MAX_WORDS + 10)
    page = client.post(url("comment", event, document=doc2.pk), {"text": text})
    content = page.content.decode()
    assert page.status_code == 200
    assert "260 words (at most 250)" in content
    assert text.strip() in content  # still in the text box
    assert not SummaryComment.objects.exists()
    assert CommentDraft.objects.get(user=users["councillor"]).text == text


def test_comment_after_the_deadline_is_kept_as_a_draft(client, event, users, doc2):
    set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=-0.01)
    client.force_login(users["councillor"])
    page = client.post(url("comment", event, document=doc2.pk), {"text": "Late words."})
    content = page.content.decode()
    assert "passed on" in content and "kept as a draft" in content
    assert "Late words." in content
    assert CommentDraft.objects.get().text == "Late words."


def test_comment_is_filed_and_listed_for_the_summary_record(client, event, users, doc2):
    client.force_login(users["councillor"])
    draft = client.post(url("comment_draft", event, document=doc2.pk), {"text": "Half"}).json()
    assert draft["ok"] and draft["words"] == 1
    response = client.post(url("comment", event, document=doc2.pk), {"text": "France agrees."})
    assert response.status_code == 302
    assert not CommentDraft.objects.exists()
    page = client.get(url("summary_record", event)).content.decode()
    assert "France agrees." in page


def test_contribution_upload_warns_above_two_pages(client, event, users, doc3):
    client.force_login(users["councillor"])
    long = SimpleUploadedFile("ours.pdf", simple_pdf("C", ["x"], pages=3))
    response = client.post(
        url("contribute", event, document=doc3.pk), {"title": "Ours", "file": long}, follow=True
    )
    content = response.content.decode()
    assert "This contribution has 3 pages; contributions should have at most 2 pages." in content
    contribution = Contribution.objects.get()
    file = client.get(
        url("contribution_file", event, document=doc3.pk, contribution=contribution.pk)
    )
    assert file["Content-Type"] == "application/pdf"
    template = client.get(url("contribution_template", event) + f"?document={doc3.pk}")
    assert template.content.startswith(b"PK")


def test_request_through_the_document_page(client, event, users, secretariat, doc4):
    client.force_login(users["councillor"])
    client.post(
        url("request_make", event, document=doc4.pk), {"kind": "regroup", "target_group": "2"}
    )
    record = DocumentRequest.objects.get()
    assert (record.status, record.target_group) == ("pending", 2)
    client.force_login(secretariat)
    client.post(url("request_decide", event, pk=record.pk), {"decision": "accept"})
    doc4.refresh_from_db()
    assert doc4.group == 2


def test_file_download_serves_the_checked_type(client, event, doc1):
    record = doc1.revisions.get().files.get()
    response = client.get(url("file", event, document=doc1.pk, file=record.pk))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_keep_every_document_not_answered_yet(client, event, users, doc1, doc2, doc3, france):
    client.force_login(users["councillor"])
    client.post(url("consultation", event), {f"doc_{doc1.pk}": "move", "keep_rest": "1"})
    replies = dict(
        ConsultationReply.objects.filter(entity=france).values_list("document__symbol", "choice")
    )
    assert replies == {"C20/10": "move", "C20/20": "keep", "C20/30": "keep"}


def test_a_refused_revision_shows_the_edit_page_with_the_reason(client, event, secretariat, doc1):
    client.force_login(secretariat)
    bad = SimpleUploadedFile("rev.docx", b"PK\x03\x04 not really a zip")
    page = client.post(
        url("revision_add", event, document=doc1.pk), {"note": "Typos", "files_fr": bad}
    )
    assert page.status_code == 422
    assert "“rev.docx” is a ZIP file but not a readable Word (DOCX) document." in (
        page.content.decode()
    )
    assert doc1.revisions.count() == 1
    good = SimpleUploadedFile("rev.pdf", simple_pdf("x", ["y"]))
    response = client.post(
        url("revision_add", event, document=doc1.pk), {"note": "Typos", "files_fr": good}
    )
    assert response.status_code == 302
    assert doc1.revisions.order_by("-number").first().label == "C20/10(Rev.1)"
    edit = client.get(url("edit", event, document=doc1.pk)).content.decode()
    assert "C20/10(Rev.1)" in edit and "Typos" in edit


# --- a refusal keeps what was typed (the page comes back with the text and the reason) --------


def test_a_question_refused_after_the_deadline_stays_in_its_box(client, event, users, doc1):
    set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=-0.01)
    client.force_login(users["councillor"])
    question = "Which budget line finances <these> activities?"
    response = client.post(
        url("clarification_ask", event, document=doc1.pk), {"question": question}
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "passed on" in content  # the deadline, stated
    assert "Which budget line finances &lt;these&gt; activities?</textarea>" in content
    assert "Your question was not sent" in content
    assert not doc1.clarifications.exists()


def test_a_request_refused_after_the_deadline_keeps_its_kind_group_and_reason(
    client, event, users, doc4
):
    set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=-0.01)
    client.force_login(users["councillor"])
    response = client.post(
        url("request_make", event, document=doc4.pk),
        {"kind": "regroup", "target_group": "2", "reason": "France wants it approved en bloc."},
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "passed on" in content
    assert '<option value="regroup" selected>' in content
    assert '<option value="2" selected>' in content
    assert "France wants it approved en bloc.</textarea>" in content
    assert not DocumentRequest.objects.exists()


def test_an_answer_refused_stays_in_its_box(client, event, users, secretariat, doc1):
    question = clarifications.ask(users["councillor"], doc1, "Why?")
    client.force_login(secretariat)
    too_long = "An answer that is far too long. " * 400  # 12,800 characters
    response = client.post(url("clarification_answer", event, pk=question.pk), {"answer": too_long})
    content = response.content.decode()
    assert response.status_code == 422
    assert too_long.strip() in content
    assert "The answer was not published" in content
    question.refresh_from_db()
    assert not question.answer


def test_a_decision_refused_keeps_its_reason(client, event, users, secretariat, doc4):
    from vev.documents.services import requests

    record = requests.make_request(users["councillor"], doc4, "regroup", target_group=2)
    requests.decide(record, by=secretariat, accept=False, note="First decision.")
    client.force_login(secretariat)
    response = client.post(
        url("request_decide", event, pk=record.pk),
        {"decision": "decline", "note": "Decided twice by mistake."},
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "This request was already decided." in content
    assert 'value="Decided twice by mistake."' in content


def test_a_withdrawal_refused_keeps_its_reason(client, event, secretariat, doc1):
    client.force_login(secretariat)
    reason = "Replaced by C20/11. " * 30  # over 500 characters
    response = client.post(url("withdraw", event, document=doc1.pk), {"note": reason})
    content = response.content.decode()
    assert response.status_code == 422
    assert reason.strip() in content
    doc1.refresh_from_db()
    assert doc1.status == "on_agenda"
    response = client.post(url("set_group", event, document=doc1.pk), {"note": "To approve"})
    assert response.status_code == 422
    assert 'value="To approve"' in response.content.decode()
