"""Exports of a written procedure's result (CSV, PDF)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import View

from vev.council.permissions import Perm

from ..services import exports
from .base import ProcedureMixin

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.result_csv),
    "pdf": ("application/pdf", exports.result_pdf),
}


class ResultExportView(ProcedureMixin, View):
    """After closing: every participant. While open: the interim table, for those who follow
    the replies live (secretariat, chair, vice-chair)."""

    permission = Perm.EVENT_VIEW

    def get(self, request, *args, **kwargs):
        fmt = kwargs["format"]
        if fmt not in FORMATS:
            raise Http404
        procedure = self.procedure
        if procedure.is_draft:
            raise Http404
        if not procedure.is_closed and not self.can_monitor:
            raise PermissionDenied
        content_type, render = FORMATS[fmt]
        response = HttpResponse(render(procedure), content_type=content_type)
        stamp = timezone.now().astimezone(self.event.tz).strftime("%Y%m%d-%H%M")
        kind = "result" if procedure.is_closed else "interim"
        response["Content-Disposition"] = (
            f'attachment; filename="{self.event.slug}-wp{procedure.number}-{kind}-{stamp}.{fmt}"'
        )
        return response
