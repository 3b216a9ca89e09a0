"""The audit log of an event for the secretariat: entries, the chain check, exports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.generic import TemplateView, View

from vev.core.models import AuditEntry
from vev.council.permissions import EventPermissionMixin, Perm

from ..forms import AuditFilterForm
from ..services import audit_log

PAGE_SIZE = 50


class AuditMixin(EventPermissionMixin):
    permission = Perm.AUDIT_VIEW

    def filter_form(self) -> AuditFilterForm:
        return AuditFilterForm(self.request.GET or None, event=self.event)


class AuditLogView(AuditMixin, TemplateView):
    template_name = "records/audit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form()
        query = form.query()
        items = audit_log.entries(self.event, query)
        page = Paginator(items, PAGE_SIZE).get_page(self.request.GET.get("page"))
        status = audit_log.chain_status()
        event_positions = set(
            AuditEntry.objects.filter(
                event_id=self.event.pk, position__in=list(status.by_position)
            ).values_list("position", flat=True)
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            form=form,
            filtered=query.active,
            page=page,
            rows=audit_log.rows(self.event, page.object_list, status),
            status=status,
            problems=[
                (position, text, position in event_positions) for position, text in status.texts()
            ],
            event_count=AuditEntry.objects.filter(event_id=self.event.pk).count(),
            action_options=audit_log.action_prefixes(self.event),
            query_string=params.urlencode(),
        )
        return context


def _batches(lines: Iterable[str], size: int = 500) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


async def _async_stream(chunks: Iterator[str]) -> AsyncIterator[str]:
    """Serve a sync generator (it reads the database) to the ASGI server without buffering."""
    done = object()
    step = sync_to_async(next, thread_sensitive=True)
    while (chunk := await step(chunks, done)) is not done:
        yield chunk


def stream(request, lines: Iterable[str]):
    """An iterator the server can stream: async under ASGI, sync under WSGI and the test client."""
    chunks = _batches(lines)
    return _async_stream(chunks) if isinstance(request, ASGIRequest) else chunks


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", audit_log.export_csv_rows),
    "jsonl": ("application/jsonl; charset=utf-8", audit_log.export_lines),
}


class AuditExportView(AuditMixin, View):
    """Every field of the (filtered) entries, hashes included, oldest first."""

    def get(self, request, *args, **kwargs):
        fmt = kwargs["format"]
        if fmt not in EXPORTS:
            raise Http404
        content_type, render = EXPORTS[fmt]
        items = audit_log.entries(self.event, self.filter_form().query())
        response = StreamingHttpResponse(
            stream(request, render(self.event, items)), content_type=content_type
        )
        stamp = timezone.now().astimezone(self.event.tz).strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="audit-{self.event.slug}-{stamp}.{fmt}"'
        )
        return response
