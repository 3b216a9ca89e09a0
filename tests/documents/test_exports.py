import csv
import io

from openpyxl import load_workbook
from pypdf import PdfReader

from vev.documents.services import consultation, exports


def _matrix(event, users, doc1, doc2):
    consultation.reply(users["councillor"], doc1, "move")
    consultation.reply(users["focal_point"], doc1, "keep")
    return consultation.matrix(event)


def test_csv_has_one_row_per_document_and_one_column_per_state(event, users, doc1, doc2, france):
    data = exports.matrix_csv(_matrix(event, users, doc1, doc2))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, first = rows[0], rows[1]
    assert header[:7] == ["Symbol", "Title", "Agenda item", "Group", "Status", "Keep", "Move"]
    assert france.name in header
    assert first[0] == "C20/10" and first[4] == "Moved to the next physical session"
    assert first[header.index(france.name)] == "move"
    assert len(rows) == 3


def test_xlsx_opens_with_the_replies(event, users, doc1, doc2, france):
    workbook = load_workbook(io.BytesIO(exports.matrix_xlsx(_matrix(event, users, doc1, doc2))))
    sheet = workbook.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[3]
    assert header[0] == "Symbol" and france.name in header
    assert values[4][header.index(france.name)] == "move"


def test_pdf_is_a_real_pdf_with_the_symbols(event, users, doc1, doc2):
    reader = PdfReader(io.BytesIO(exports.matrix_pdf(_matrix(event, users, doc1, doc2))))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "C20/10" in text and "C20/20" in text
