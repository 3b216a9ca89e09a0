"""The consultation: a State's replies, the live matrix and its exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from vev.council.permissions import Perm

from ..errors import DocumentsError
from ..forms import ConsultationForm
from ..models import Deadline
from ..services import consultation, deadlines, exports
from ..services.access import acting_state
from .base import DocumentsMixin


class ConsultationView(DocumentsMixin, TemplateView):
    """A head of delegation or councillor answers for their State: keep or move, per document."""

    template_name = "documents/consultation.html"
    permission = Perm.CONSULTATION_REPLY

    def _form(self, data=None):
        state = acting_state(self.request.user, self.event, Perm.CONSULTATION_REPLY)
        replies = consultation.replies_of(self.event, state)
        open_ = deadlines.is_open(self.event, Deadline.Kind.CONSULTATION, state)
        form = ConsultationForm(
            data,
            documents=consultation.consultation_documents(self.event),
            replies=replies,
            open_=open_,
        )
        return form, state, replies, open_

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            form, state, replies, open_ = self._form()
        except DocumentsError as error:
            raise Http404(str(error)) from error
        form = kwargs.get("form") or form
        deadline = deadlines.get_deadline(self.event, Deadline.Kind.CONSULTATION)
        context.update(
            form=form,
            state=state,
            replies=replies,
            open=open_,
            deadline=deadline,
            due_at=deadlines.effective_due(deadline, state) if deadline else None,
            answered=len(replies),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            form, state, _replies, _open = self._form(request.POST)
        except DocumentsError as error:
            messages.error(request, str(error))
            return redirect("documents:consultation", event=self.event.slug)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        choices = form.choices()
        if request.POST.get("keep_rest"):
            for document in form.documents:
                if document.pk not in choices and document.pk not in _replies:
                    choices[document.pk] = "keep"
        try:
            saved = consultation.reply_many(request.user, self.event, choices, request=request)
        except DocumentsError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        moved = sum(1 for r in saved if r.choice == "move")
        messages.success(
            request,
            _("The replies of %(state)s were saved. Documents answered: %(n)s; to move: %(moved)s.")
            % {"state": state.display_name, "n": len(saved), "moved": moved},
        )
        return redirect("documents:consultation", event=self.event.slug)


class MatrixView(DocumentsMixin, TemplateView):
    """Documents × Council Member States; server-rendered, updated live by event-stream.js."""

    template_name = "documents/matrix.html"
    permission = Perm.CONSULTATION_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deadline = deadlines.get_deadline(self.event, Deadline.Kind.CONSULTATION)
        context.update(matrix=consultation.matrix(self.event), deadline=deadline)
        return context


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.matrix_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.matrix_xlsx,
    ),
    "pdf": ("application/pdf", exports.matrix_pdf),
}


class MatrixExportView(DocumentsMixin, TemplateView):
    permission = Perm.CONSULTATION_VIEW

    def get(self, request, *args, **kwargs):
        fmt = kwargs["format"]
        if fmt not in EXPORTS:
            raise Http404
        content_type, render = EXPORTS[fmt]
        body = render(consultation.matrix(self.event))
        stamp = timezone.now().astimezone(self.event.tz).strftime("%Y%m%d-%H%M")
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="consultation-{self.event.slug}-{stamp}.{fmt}"'
        )
        return response
