"""The report of the session's proposed conclusions for the next physical meeting."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import View

from vev.council.permissions import EventPermissionMixin, Perm

from ..services import report

FORMATS = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        report.report_docx,
    ),
    "pdf": ("application/pdf", report.report_pdf),
}


class ConclusionsReportView(EventPermissionMixin, View):
    """The secretariat's document for the next physical meeting (``records.edit``): every
    agreed, forwarded and deferred conclusion and election, those of closed meetings included,
    and the items and documents moved to the next physical session; never drafts."""

    permission = Perm.RECORDS_EDIT

    def get(self, request, *args, **kwargs):
        fmt = kwargs["format"]
        if fmt not in FORMATS:
            raise Http404
        content_type, render = FORMATS[fmt]
        response = HttpResponse(render(self.event), content_type=content_type)
        stamp = timezone.now().astimezone(self.event.tz).strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.event.slug}-proposed-conclusions-{stamp}.{fmt}"'
        )
        return response
