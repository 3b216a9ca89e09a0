import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vev.documents.errors import DocumentsError
from vev.documents.services.files import check_file, estimate_docx_pages
from vev.documents.services.writers import Paragraph, docx_bytes, simple_pdf


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_pdf_is_accepted_by_content_and_pages_are_counted():
    checked = check_file(upload("whatever.bin", simple_pdf("T", ["x"] * 200, pages=3)))
    assert checked.format == "pdf"
    assert checked.page_count == 3
    assert not checked.pages_estimated
    assert len(checked.sha256) == 64


def test_docx_pages_come_from_app_xml():
    checked = check_file(upload("c.docx", docx_bytes([Paragraph("hello")], pages=4)))
    assert (checked.format, checked.page_count, checked.pages_estimated) == ("docx", 4, False)


def test_docx_without_page_statistics_is_estimated_and_labelled():
    words = [Paragraph("word " * 300) for _ in range(4)]  # 1,200 words
    checked = check_file(upload("c.docx", docx_bytes(words, pages=None)))
    assert checked.pages_estimated
    assert checked.page_count == 3  # 1,200 words / 500 per page


def test_estimate_counts_explicit_page_breaks():
    xml = '<w:t>one</w:t><w:br w:type="page"/><w:t>two</w:t><w:br w:type="page"/>'
    assert estimate_docx_pages(xml) == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"Hello, this is not a PDF", "neither a PDF nor a Word"),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "old Word"),
        ("report.pdf", b"%PDF-1.4\n garbage without objects", "cannot be read"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, data, message):
    with pytest.raises(DocumentsError, match=message):
        check_file(upload(name, data))


def test_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "hi")
    with pytest.raises(DocumentsError, match="not a readable Word"):
        check_file(upload("report.docx", buffer.getvalue()))


def test_macro_enabled_word_file_is_refused():
    data = docx_bytes([Paragraph("x")])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(item, content)
    with pytest.raises(DocumentsError, match="macros"):
        check_file(upload("report.docx", buffer.getvalue()))


def test_size_limit():
    data = simple_pdf("T", ["x"])
    with pytest.raises(DocumentsError, match="too large"):
        check_file(upload("big.pdf", data), max_bytes=len(data) - 1)
