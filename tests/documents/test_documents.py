import os
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tests.documents.conftest import set_deadline
from vev.core import uploads
from vev.core.audit import verify_chain
from vev.core.models import AuditEntry
from vev.council.models import AgendaItem
from vev.documents.errors import DeadlinePassed, DocumentsError
from vev.documents.models import Deadline, Document, DocumentFile
from vev.documents.services import deadlines
from vev.documents.services import documents as service
from vev.documents.services.files import check_file
from vev.documents.services.writers import simple_pdf
from vev.notifications.models import Notification


def pdf(name="x.pdf", pages=1):
    return check_file(SimpleUploadedFile(name, simple_pdf("T", ["t"], pages=pages)))


def test_secretariat_creates_and_publishes_a_document(
    event, users, secretariat, django_capture_on_commit_callbacks
):
    item = event.agenda_items.first()
    document = service.create_document(
        event,
        by=secretariat,
        symbol="C20/37",
        title="Dates of future sessions",
        group=3,
        agenda_item=item,
        files={"en": [pdf(pages=2)], "fr": [pdf()]},
    )
    assert document.status == Document.Status.DRAFT
    assert DocumentFile.objects.filter(revision__document=document).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        document = service.publish(document, by=secretariat)
    assert document.status == Document.Status.ON_AGENDA
    assert list(document.history.values_list("status_to", flat=True)) == ["on_agenda"]
    # Every approved participant and staff member is told, in the app and by e-mail.
    notified = set(
        Notification.objects.filter(kind="documents.published").values_list(
            "user__email", flat=True
        )
    )
    assert users["councillor"].email in notified and users["interpreter"].email in notified
    assert users["pending"].email not in notified and users["authenticated"].email not in notified
    assert any("C20/37" in m.subject for m in mail.outbox)
    assert {
        "vev.documents.document.created",
        "vev.documents.revision.added",
        "vev.documents.document.published",
    } <= set(AuditEntry.objects.values_list("action", flat=True))
    assert verify_chain() == []


def test_only_the_secretariat_manages_documents(event, users):
    for role in ("councillor", "chair", "observer"):
        with pytest.raises(DocumentsError, match="Only the secretariat"):
            service.create_document(event, by=users[role], symbol="C20/1", title="T", group=1)


def test_symbols_are_unique_per_event(event, secretariat):
    service.create_document(event, by=secretariat, symbol="C20/1", title="T", group=1)
    with pytest.raises(DocumentsError, match="exists already"):
        service.create_document(event, by=secretariat, symbol="c20/1", title="T", group=1)


def test_publishing_after_the_secretariat_deadline_is_refused_unless_extended(event, secretariat):
    document = service.create_document(
        event, by=secretariat, symbol="C20/5", title="T", group=1, files={"en": [pdf()]}
    )
    deadline = set_deadline(event, Deadline.Kind.SECRETARIAT_DOCUMENTS, hours=-1)
    with pytest.raises(DeadlinePassed, match="Secretariat documents: the deadline passed on"):
        service.publish(document, by=secretariat)
    from datetime import timedelta

    deadlines.grant_extension(
        deadline,
        until=deadline.due_at + timedelta(days=1),
        reason="Late translation",
        by=secretariat,
    )
    assert service.publish(document, by=secretariat).status == Document.Status.ON_AGENDA


def test_a_document_without_files_cannot_be_published(event, secretariat):
    document = service.create_document(event, by=secretariat, symbol="C20/5", title="T", group=1)
    with pytest.raises(DocumentsError, match="Upload the document's file"):
        service.publish(document, by=secretariat)


def test_revisions_need_a_note_and_are_numbered(event, secretariat, doc1):
    with pytest.raises(DocumentsError, match="what changed"):
        service.add_revision(doc1, by=secretariat, files={"en": [pdf()]})
    revision = service.add_revision(doc1, by=secretariat, files={"en": [pdf()]}, note="Annex added")
    assert revision.number == 1 and revision.label == "C20/10(Rev.1)"


def test_an_upload_is_atomic_files_are_removed_when_the_database_part_fails(
    event, secretariat, doc1, monkeypatch
):
    stored = []
    original = default_storage.save

    def save(name, content, **kwargs):
        stored.append(original(name, content, **kwargs))
        return stored[-1]

    monkeypatch.setattr(default_storage, "save", save)

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("vev.documents.services.documents.log_action", fail)
    before = DocumentFile.objects.count()
    with pytest.raises(RuntimeError):
        service.add_revision(doc1, by=secretariat, files={"en": [pdf()], "fr": [pdf()]}, note="x")
    assert len(stored) == 2
    assert not any(default_storage.exists(name) for name in stored)
    assert DocumentFile.objects.count() == before


@pytest.fixture
def stored_names(monkeypatch):
    """The names of the files written to storage during the test."""
    stored = []
    original = default_storage.save

    def save(name, content, **kwargs):
        stored.append(original(name, content, **kwargs))
        return stored[-1]

    monkeypatch.setattr(default_storage, "save", save)
    return stored


def later():
    """A moment when the files stored now are older than the sweep's grace."""
    return timezone.now() + uploads.GRACE + timedelta(minutes=1)


@pytest.fixture
def own_media(settings, tmp_path):
    """A storage of this test's own: other tests' files (their rows rolled back) stay behind in
    the shared one."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_files_of_a_transaction_rolled_back_after_the_upload_are_swept(
    event, secretariat, doc1, own_media, stored_names
):
    """The upload itself succeeded; the caller's transaction (a savepoint here) fails later:
    no row names the files, and the worker's sweep removes them once they are old enough."""
    before = DocumentFile.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        service.add_revision(doc1, by=secretariat, files={"en": [pdf()], "fr": [pdf()]}, note="x")
        assert len(stored_names) == 2
        raise RuntimeError("the caller failed after the upload")
    assert DocumentFile.objects.count() == before
    assert uploads.sweep_orphans() == []  # too young: its transaction might still be running
    assert all(default_storage.exists(name) for name in stored_names)
    assert sorted(uploads.sweep_orphans(now=later())) == sorted(stored_names)
    assert not any(default_storage.exists(name) for name in stored_names)


def test_the_sweep_keeps_every_file_a_row_names(event, secretariat, doc1, own_media, stored_names):
    with transaction.atomic():
        service.add_revision(doc1, by=secretariat, files={"en": [pdf()]}, note="x")
    assert set(stored_names) <= set(DocumentFile.objects.values_list("file", flat=True))
    assert uploads.sweep_orphans(now=later()) == []
    assert all(default_storage.exists(name) for name in stored_names)


@pytest.mark.django_db(transaction=True)
def test_files_of_a_failed_commit_are_swept(own_media, stored_names):
    """A real COMMIT that fails: foreign keys are checked at commit (deferred constraints)."""
    from django.db import IntegrityError

    from tests import factories
    from vev.council.models import Registration

    event = factories.create_event()
    secretariat = factories.create_user("sec@example.org")
    factories.assign(secretariat, event, "secretariat")
    document = factories.create_document(event, with_file=False)
    stored_names.clear()
    with pytest.raises(IntegrityError), transaction.atomic():
        service.add_revision(document, by=secretariat, files={"en": [pdf()]})
        # A row naming a user that does not exist: refused only when the transaction commits.
        Registration.objects.create(
            event=event, user_id=987654, entity=factories.member_entity(event)
        )
    assert not DocumentFile.objects.exists()
    assert uploads.sweep_orphans(now=later()) == stored_names
    assert not default_storage.exists(stored_names[0])


@pytest.mark.django_db(transaction=True)
def test_the_worker_task_sweeps_files_left_by_a_rollback(own_media):
    from vev.core.tasks import sweep_orphan_uploads

    orphan = default_storage.save("documents/left-over.pdf", ContentFile(b"%PDF-1.4"))
    old = (timezone.now() - 2 * uploads.GRACE).timestamp()
    os.utime(default_storage.path(orphan), (old, old))
    assert sweep_orphan_uploads.call_local() == 1
    assert not default_storage.exists(orphan)


def test_two_files_of_the_same_format_for_one_language_are_refused(event, secretariat, doc1):
    with pytest.raises(DocumentsError, match="at most one PDF and one DOCX"):
        service.add_revision(doc1, by=secretariat, files={"en": [pdf(), pdf()]}, note="x")


def test_regrouping_is_recorded(event, secretariat, doc4):
    service.set_group(doc4, 3, by=secretariat, note="Grouping approved")
    doc4.refresh_from_db()
    change = doc4.history.get()
    assert (doc4.group, change.group_from, change.group_to) == (3, 4, 3)


def test_withdrawing_the_last_document_does_not_defer_the_item(event, secretariat, doc1):
    service.withdraw(doc1, by=secretariat, note="Replaced by C20/11")
    doc1.refresh_from_db()
    assert doc1.status == Document.Status.WITHDRAWN
    assert doc1.agenda_item.status == AgendaItem.Status.ON_AGENDA
