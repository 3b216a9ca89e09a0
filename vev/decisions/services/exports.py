"""Exports of a written procedure's result: CSV (UTF-8 with BOM, for spreadsheets) and PDF.

Both carry the procedure (reference, title, rule, deadline, who instructed it), the result with
its explanation and counts, and every Council Member State's reply with its statement, who gave
it and when. Before closing they are an interim table for the secretariat, labelled as such.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.council.services.participants import representation
from vev.planning.services.pdf import render_pdf

from ..models import WrittenProcedure
from .access import presiding_capacity
from .notices import format_in_zone
from .outcome import Tally, explain
from .replies import StateRow, table, tally


@dataclass
class ResultSheet:
    procedure: WrittenProcedure
    rows: list[StateRow]
    tally: Tally
    explanation: str
    instructed_as: str
    generated_at: datetime

    @property
    def interim(self) -> bool:
        return not self.procedure.is_closed


def sheet(procedure: WrittenProcedure) -> ResultSheet:
    counts = Tally.from_dict(procedure.tally) if procedure.is_closed else tally(procedure)
    explanation = explain(procedure.result_reason, counts) if procedure.is_closed else ""
    return ResultSheet(
        procedure=procedure,
        rows=table(procedure),
        tally=counts,
        explanation=explanation,
        instructed_as=presiding_capacity(procedure.event, procedure.instructed_by) or "",
        generated_at=timezone.now(),
    )


def _when(value: datetime | None, tz_name: str) -> str:
    return format_in_zone(value, tz_name) if value else ""


def result_csv(procedure: WrittenProcedure) -> bytes:
    data = sheet(procedure)
    event = procedure.event
    tz = event.time_zone
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Written procedure"), procedure.reference])
    writer.writerow([_("Title"), procedure.title])
    writer.writerow([_("Event"), event.title])
    writer.writerow([_("Outcome rule"), procedure.get_rule_display()])
    writer.writerow(
        [
            _("Instructed by"),
            (
                representation(procedure.instructed_by, event).label
                if procedure.instructed_by
                else ""
            )
            + (f" – {data.instructed_as}" if data.instructed_as else ""),
            _when(procedure.instructed_at, tz),
        ]
    )
    writer.writerow([_("Launched"), _when(procedure.launched_at, tz)])
    writer.writerow(
        [
            _("Deadline"),
            _when(procedure.deadline, tz),
            procedure.deadline.isoformat() if procedure.deadline else "",
        ]
    )
    writer.writerow([_("Status"), procedure.get_status_display()])
    if data.interim:
        writer.writerow([_("Result"), _("Interim: the procedure is still open.")])
    else:
        writer.writerow([_("Result"), procedure.get_result_display(), data.explanation])
        writer.writerow([_("Closed"), _when(procedure.closed_at, tz)])
    writer.writerow([_("Agree"), data.tally.agree])
    writer.writerow([_("Object"), data.tally.object])
    writer.writerow([_("Abstain"), data.tally.abstain])
    writer.writerow([_("No reply"), data.tally.no_reply])
    writer.writerow([_("Council Members"), data.tally.members])
    writer.writerow([_("Content SHA-256"), procedure.content_sha256])
    writer.writerow([])
    writer.writerow(
        [
            _("Member State"),
            _("Reply"),
            _("Statement"),
            _("Replied by"),
            _("Replied at (%(zone)s)") % {"zone": tz},
            _("Replied at (UTC)"),
            _("Changes"),
        ]
    )
    for row in data.rows:
        reply = row.reply
        writer.writerow(
            [
                row.entity.display_name,
                reply.get_choice_display() if reply else _("no reply"),
                reply.statement if reply else "",
                reply.replied_by.display_name if reply and reply.replied_by else "",
                _when(reply.replied_at, tz) if reply else "",
                reply.replied_at.isoformat() if reply else "",
                reply.changes if reply else "",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def result_pdf(procedure: WrittenProcedure) -> bytes:
    data = sheet(procedure)
    with timezone.override(procedure.event.tz):
        html = render_to_string(
            "decisions/exports/result_pdf.html",
            {
                "sheet": data,
                "procedure": procedure,
                "event": procedure.event,
                "generated": format_in_zone(data.generated_at, procedure.event.time_zone),
                "history": procedure.reply_history.select_related("entity", "by"),
                "extensions": procedure.deadline_changes.select_related("by"),
                "late": procedure.late_replies.select_related("entity", "by"),
            },
        )
    return render_pdf(html)
