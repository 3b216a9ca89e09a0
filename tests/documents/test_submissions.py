"""Clarifications, comments, contributions, requests and packages (services, no HTTP)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents.conftest import set_deadline
from vev.documents.errors import DeadlinePassed, DocumentsError
from vev.documents.models import CommentDraft, Deadline, Document, DocumentRequest, SummaryComment
from vev.documents.services import clarifications, comments, contributions, packages, requests
from vev.documents.services.files import check_file
from vev.documents.services.writers import Paragraph, docx_bytes, simple_pdf
from vev.notifications.models import Notification

# --- clarifications ---------------------------------------------------------------------------


def test_clarification_is_asked_answered_published_and_notified(
    event, users, secretariat, doc1, france, django_capture_on_commit_callbacks
):
    question = clarifications.ask(users["councillor"], doc1, "How is this financed?")
    assert question.entity == france and not question.is_answered
    with django_capture_on_commit_callbacks(execute=True):
        clarifications.answer(question, "From the regular budget.", by=secretariat)
    question.refresh_from_db()
    assert question.answered_by == secretariat and question.is_answered
    # The councillor who asked and France's head of delegation are told.
    notified = Notification.objects.filter(kind="documents.clarification_answered")
    assert {n.user for n in notified} == {users["councillor"], users["head_of_delegation"]}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [users["councillor"].email, users["head_of_delegation"].email]
    )
    assert "From the regular budget." in mail.outbox[0].body


def test_clarifications_only_for_groups_1_and_2_and_until_the_deadline(event, users, doc3, doc2):
    with pytest.raises(DocumentsError, match="group 1 and 2"):
        clarifications.ask(users["councillor"], doc3, "Why?")
    set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=-1)
    with pytest.raises(DeadlinePassed, match="passed on"):
        clarifications.ask(users["councillor"], doc2, "Why?")


def test_only_the_secretariat_answers(event, users, doc1):
    question = clarifications.ask(users["councillor"], doc1, "Why?")
    with pytest.raises(DocumentsError, match="Only the secretariat"):
        clarifications.answer(question, "Because.", by=users["chair"])


# --- comments for the summary record ----------------------------------------------------------


def test_comment_within_half_a_page_is_filed_and_replaced(event, users, doc2, france):
    comment = comments.file_comment(users["councillor"], doc2, "France supports the report.")
    assert (comment.entity, comment.filed_by) == (france, users["councillor"])
    comments.file_comment(users["head_of_delegation"], doc2, "France supports it strongly.")
    assert SummaryComment.objects.get(document=doc2, entity=france).text.endswith("strongly.")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("word " * (comments.MAX_WORDS + 1), "251 words"),
        ("x" * (comments.MAX_CHARS + 1), "1501 characters"),
    ],
)
def test_comment_over_the_limit_is_refused_and_kept_as_draft(event, users, doc2, text, problem):
    with pytest.raises(DocumentsError, match=problem):
        comments.file_comment(users["councillor"], doc2, text)
    assert not SummaryComment.objects.exists()
    assert CommentDraft.objects.get(user=users["councillor"], document=doc2).text == text


def test_comment_at_exactly_the_limit_is_accepted(event, users, doc2):
    text = " ".join(["word"] * comments.MAX_WORDS)
    assert comments.measure(text).words == comments.MAX_WORDS
    comments.file_comment(users["councillor"], doc2, text)


def test_windows_line_endings_count_once(event):
    assert comments.measure("a\r\nb").chars == 3


def test_late_comment_is_kept_as_draft_and_the_user_told(event, users, doc2):
    set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=-0.01)
    with pytest.raises(DeadlinePassed, match="kept as a draft"):
        comments.file_comment(users["councillor"], doc2, "Typed while the deadline passed.")
    assert CommentDraft.objects.get(user=users["councillor"]).text.startswith("Typed while")


def test_comments_only_on_group_2(event, users, doc1):
    with pytest.raises(DocumentsError, match="group 2"):
        comments.file_comment(users["councillor"], doc1, "text")


def test_observers_and_advisers_do_not_file_comments(event, users, doc2):
    for role in ("observer", "adviser"):
        with pytest.raises(DocumentsError, match="head of delegation or a councillor"):
            comments.file_comment(users[role], doc2, "text")


# --- contributions ----------------------------------------------------------------------------


def test_contribution_is_stored_with_pages_and_warned_above_two(event, users, doc3, france):
    three_pages = check_file(SimpleUploadedFile("c.pdf", simple_pdf("C", ["x"], pages=3)))
    contribution = contributions.submit(
        users["councillor"], doc3, title="Proposal of France", checked=three_pages
    )
    assert (contribution.entity, contribution.page_count) == (france, 3)
    assert contribution.over_suggested_length
    assert "3 pages" in contributions.length_warning(contribution)
    assert contribution.file.read().startswith(b"%PDF-")
    two = check_file(SimpleUploadedFile("c.docx", docx_bytes([Paragraph("x")], pages=2)))
    short = contributions.submit(users["councillor"], doc3, title="", checked=two)
    assert contributions.length_warning(short) == ""
    assert short.title == "Contribution of France"


def test_contributions_only_on_group_3_and_until_the_deadline(event, users, doc1, doc3):
    checked = check_file(SimpleUploadedFile("c.pdf", simple_pdf("C", ["x"])))
    with pytest.raises(DocumentsError, match="group 3"):
        contributions.submit(users["councillor"], doc1, title="x", checked=checked)
    set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=-1)
    with pytest.raises(DeadlinePassed):
        contributions.submit(users["councillor"], doc3, title="x", checked=checked)


def test_the_template_is_a_valid_docx(event, doc3, france):
    checked = check_file(SimpleUploadedFile("t.docx", contributions.template_docx(doc3, france)))
    assert checked.format == "docx" and checked.page_count == 1


# --- requests and packages --------------------------------------------------------------------


def test_request_to_discuss_takes_the_document_out_of_its_package(event, users, doc1, doc2):
    record = requests.make_request(users["councillor"], doc1, "discuss", reason="We have questions")
    assert record.status == DocumentRequest.Status.APPLIED
    assert record.requested_by == users["councillor"]
    doc1.refresh_from_db()
    assert doc1.discuss_in_session
    note, approve = packages.packages(event)
    assert (note.documents, note.to_discuss) == ([], [doc1])
    assert approve.documents == [doc2]
    requests.withdraw(users["councillor"], record)
    doc1.refresh_from_db()
    assert not doc1.discuss_in_session


def test_request_to_defer_moves_the_document(event, users, doc2):
    requests.make_request(users["focal_point"], doc2, "defer")
    doc2.refresh_from_db()
    assert doc2.status == Document.Status.MOVED
    assert packages.packages(event)[1].moved == [doc2]
    with pytest.raises(DocumentsError, match="not on the virtual agenda"):
        requests.make_request(users["head_of_delegation"], doc2, "discuss")


def test_the_same_request_twice_is_refused(event, users, doc1):
    requests.make_request(users["councillor"], doc1, "discuss")
    with pytest.raises(DocumentsError, match="already made"):
        requests.make_request(users["head_of_delegation"], doc1, "discuss")


def test_regroup_is_decided_by_the_secretariat(event, users, secretariat, doc4):
    with pytest.raises(DocumentsError, match="group 1, 2 or 3"):
        requests.make_request(users["councillor"], doc4, "regroup")
    first = requests.make_request(users["councillor"], doc4, "regroup", target_group=3)
    second = requests.make_request(users["focal_point"], doc4, "regroup", target_group=1)
    assert first.status == DocumentRequest.Status.PENDING
    with pytest.raises(DocumentsError, match="reason"):
        requests.decide(first, by=secretariat, accept=False)
    requests.decide(first, by=secretariat, accept=True)
    doc4.refresh_from_db()
    second.refresh_from_db()
    assert doc4.group == 3
    assert second.status == DocumentRequest.Status.DECLINED
    assert doc4.history.get().entity == first.entity


def test_discuss_only_for_group_1_and_2_and_regroup_only_for_group_4(event, users, doc3, doc1):
    with pytest.raises(DocumentsError, match="Only group 1 and 2"):
        requests.make_request(users["councillor"], doc3, "discuss")
    with pytest.raises(DocumentsError, match="Only group 4"):
        requests.make_request(users["councillor"], doc1, "regroup", target_group=2)


def test_requests_refused_after_the_deadline(event, users, secretariat, doc1, france):
    deadline = set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=-1)
    with pytest.raises(DeadlinePassed):
        requests.make_request(users["councillor"], doc1, "defer")
    from vev.documents.services.deadlines import grant_extension

    grant_extension(
        deadline, until=deadline.due_at + timedelta(hours=3), reason="All", by=secretariat
    )
    requests.make_request(users["councillor"], doc1, "defer")
