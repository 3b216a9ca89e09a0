"""Exports of the consultation matrix: CSV (UTF-8 with BOM, for spreadsheets), XLSX and PDF."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..models import ConsultationReply
from .consultation import Matrix
from .deadlines import format_in_zone


def _cell(reply: ConsultationReply | None) -> str:
    if reply is None:
        return ""
    return _("keep") if reply.choice == ConsultationReply.Choice.KEEP else _("move")


def _header(matrix: Matrix) -> list[str]:
    return [
        _("Symbol"),
        _("Title"),
        _("Agenda item"),
        _("Group"),
        _("Status"),
        _("Keep"),
        _("Move"),
        *[state.display_name for state in matrix.states],
    ]


def _rows(matrix: Matrix):
    for row in matrix.rows:
        document = row.document
        yield [
            document.symbol,
            document.title,
            document.agenda_item.label if document.agenda_item else "",
            document.group,
            document.get_status_display(),
            row.keep,
            row.move,
            *[_cell(c) for c in row.cells],
        ]


def matrix_csv(matrix: Matrix) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(matrix))
    for row in _rows(matrix):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def matrix_xlsx(matrix: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Consultation")[:31]
    sheet.append([matrix.event.title])
    sheet.append(
        [
            _("Generated: %(when)s")
            % {"when": format_in_zone(matrix.generated_at, matrix.event.time_zone)}
        ]
    )
    sheet.append([])
    header = _header(matrix)
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    move_fill = PatternFill("solid", fgColor="F8D7DA")
    keep_fill = PatternFill("solid", fgColor="D4EDDA")
    for values in _rows(matrix):
        sheet.append(values)
        for cell in sheet[sheet.max_row][7:]:
            if cell.value == _("move"):
                cell.fill = move_fill
            elif cell.value == _("keep"):
                cell.fill = keep_fill
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    widths = [12, 50, 30, 7, 22, 7, 7]
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            widths[index - 1] if index <= len(widths) else 10
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def matrix_pdf(matrix: Matrix) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "documents/exports/matrix_pdf.html",
        {
            "matrix": matrix,
            "event": matrix.event,
            "generated": format_in_zone(matrix.generated_at, matrix.event.time_zone),
        },
    )
    return HTML(string=html).write_pdf()
