"""What Council Members send about documents, and how the secretariat handles it:
clarifications, comments for the summary record, contributions and requests."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from vev.core import plurals
from vev.council.permissions import Perm

from ..errors import DeadlinePassed, DocumentsError
from ..forms import (
    AnswerForm,
    ClarificationForm,
    CommentForm,
    ContributionForm,
    DecisionForm,
    RequestForm,
)
from ..models import (
    Clarification,
    CommentDraft,
    Deadline,
    Document,
    DocumentGroup,
    DocumentRequest,
    SummaryComment,
)
from ..services import clarifications, comments, contributions, deadlines, requests
from ..services.files import CONTRIBUTION_MAX_BYTES, check_file
from .base import DocumentMixin, DocumentsMixin, render_again
from .public import DocumentDetailView

# --- clarifications ---------------------------------------------------------------------------


class AskClarificationView(DocumentMixin, View):
    """A question on a group 1 or 2 document; refused (deadline passed, wrong group), the
    document's page comes back with the question in its box and the reason."""

    permission = Perm.DOCUMENTS_SUBMIT

    def post(self, request, *args, **kwargs):
        form = ClarificationForm(request.POST)
        if form.is_valid():
            try:
                clarifications.ask(
                    request.user, self.document, form.cleaned_data["question"], request=request
                )
            except DocumentsError as error:
                form.add_error("question", str(error))
            else:
                messages.success(
                    request, _("Your question was sent; it is published here with the answer.")
                )
                return redirect(self.document.get_absolute_url() + "#clarifications")
        messages.error(request, _("Your question was not sent: see below. Your text is kept."))
        return render_again(DocumentDetailView, self, clarification_form=form)


class ClarificationListView(DocumentsMixin, TemplateView):
    """The secretariat's queue: questions to answer, then the answered ones."""

    template_name = "documents/clarifications.html"
    permission = Perm.DOCUMENTS_MANAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = Clarification.objects.filter(document__event=self.event).select_related(
            "document", "entity", "asked_by", "answered_by"
        )
        context.update(
            pending=[c for c in items if not c.is_answered],
            answered=[c for c in items if c.is_answered],
            answer_form=kwargs.get("answer_form") or AnswerForm(),
            answer_for=kwargs.get("answer_for"),
        )
        return context


class AnswerClarificationView(DocumentsMixin, View):
    permission = Perm.DOCUMENTS_MANAGE

    def post(self, request, *args, **kwargs):
        clarification = get_object_or_404(
            Clarification, pk=kwargs["pk"], document__event=self.event
        )
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                clarifications.answer(
                    clarification, form.cleaned_data["answer"], by=request.user, request=request
                )
            except DocumentsError as error:
                form.add_error("answer", str(error))
            else:
                messages.success(
                    request,
                    _("Answer published on %(symbol)s; %(state)s was notified.")
                    % {
                        "symbol": clarification.document.symbol,
                        "state": clarification.entity.display_name,
                    },
                )
                return redirect("documents:clarifications", event=self.event.slug)
        messages.error(request, _("The answer was not published: see below. Your text is kept."))
        return render_again(
            ClarificationListView, self, answer_form=form, answer_for=clarification.pk
        )


# --- comments for the summary record ----------------------------------------------------------


class CommentView(DocumentMixin, FormView):
    """The comment template: the State's comment on a group 2 document, with live limits."""

    template_name = "documents/comment.html"
    form_class = CommentForm
    permission = Perm.DOCUMENTS_SUBMIT

    def get_initial(self):
        draft = CommentDraft.objects.filter(document=self.document, user=self.request.user).first()
        if draft and draft.text:
            return {"text": draft.text}
        comment = self.filed_comment()
        return {"text": comment.text} if comment else {}

    def filed_comment(self):
        if self.state is None:
            return None
        return SummaryComment.objects.filter(document=self.document, entity=self.state).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deadline = deadlines.get_deadline(self.event, Deadline.Kind.SUBMISSIONS)
        draft = CommentDraft.objects.filter(document=self.document, user=self.request.user).first()
        context.update(
            max_words=comments.MAX_WORDS,
            max_chars=comments.MAX_CHARS,
            comment=self.filed_comment(),
            draft=draft,
            deadline=deadline,
            due_at=deadlines.effective_due(deadline, self.state) if deadline else None,
            open=deadlines.is_open(self.event, Deadline.Kind.SUBMISSIONS, self.state),
            group_ok=self.document.group == DocumentGroup.APPROVE,
            state=self.state,
        )
        return context

    def form_valid(self, form):
        text = form.cleaned_data["text"]
        try:
            comments.file_comment(self.request.user, self.document, text, request=self.request)
        except DeadlinePassed as error:
            messages.warning(self.request, str(error))
            return self.form_invalid(form)
        except DocumentsError as error:
            form.add_error("text", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The comment of %(state)s on %(symbol)s was filed for the summary record.")
            % {"state": self.state.display_name, "symbol": self.document.symbol},
        )
        return redirect(self.document.get_absolute_url())


class CommentDraftView(DocumentMixin, View):
    """Autosave while typing (fetch POST ``text``); answers JSON for the page's script."""

    permission = Perm.DOCUMENTS_SUBMIT

    def post(self, request, *args, **kwargs):
        try:
            draft = comments.save_draft(request.user, self.document, request.POST.get("text", ""))
        except DocumentsError as error:
            return JsonResponse({"ok": False, "error": str(error)}, status=400)
        length = comments.measure(draft.text)
        return JsonResponse(
            {
                "ok": True,
                "saved_at": draft.saved_at.isoformat(),
                "words": length.words,
                "chars": length.chars,
                "open": deadlines.is_open(self.event, Deadline.Kind.SUBMISSIONS, self.state),
            }
        )


class SummaryRecordView(DocumentsMixin, TemplateView):
    """Comments filed on group 2 documents, listed for the summary record."""

    template_name = "documents/summary_record.html"
    permission = Perm.EVENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documents"] = comments.summary_record(self.event)
        return context


# --- contributions ----------------------------------------------------------------------------


class ContributionView(DocumentMixin, FormView):
    template_name = "documents/contribution.html"
    form_class = ContributionForm
    permission = Perm.DOCUMENTS_SUBMIT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deadline = deadlines.get_deadline(self.event, Deadline.Kind.SUBMISSIONS)
        context.update(
            deadline=deadline,
            due_at=deadlines.effective_due(deadline, self.state) if deadline else None,
            open=deadlines.is_open(self.event, Deadline.Kind.SUBMISSIONS, self.state),
            group_ok=self.document.group == DocumentGroup.DISCUSS,
            state=self.state,
            own=self.document.contributions.filter(entity=self.state) if self.state else [],
        )
        return context

    def form_valid(self, form):
        try:
            checked = check_file(form.cleaned_data["file"], max_bytes=CONTRIBUTION_MAX_BYTES)
            contribution = contributions.submit(
                self.request.user,
                self.document,
                title=form.cleaned_data["title"],
                checked=checked,
                request=self.request,
            )
        except DocumentsError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            (
                _("Contribution received (%(pages)s).")
                % {"pages": plurals.pages(contribution.page_count)}
                if contribution.page_count
                else _("Contribution received.")
            ),
        )
        if warning := contributions.length_warning(contribution):
            messages.warning(self.request, warning)
        return redirect(self.document.get_absolute_url() + "#contributions")


class ContributionTemplateView(DocumentsMixin, View):
    """The DOCX template for contributions, filled in for a document and the user's State."""

    permission = Perm.EVENT_VIEW

    def get(self, request, *args, **kwargs):
        document = None
        if (pk := request.GET.get("document", "")).isdigit():
            document = (
                Document.objects.filter(event=self.event, pk=int(pk))
                .exclude(status=Document.Status.DRAFT)
                .select_related("agenda_item", "event")
                .first()
            )
        body = contributions.template_docx(document, self.state)
        name = f"contribution-{document.symbol if document else 'template'}".replace("/", "-")
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
        return response


# --- requests ---------------------------------------------------------------------------------


class MakeRequestView(DocumentMixin, View):
    """Discuss, defer or regroup; refused, the document's page comes back with the request
    as it was filled in (kind, group, reason) and the reason of the refusal."""

    permission = Perm.DOCUMENTS_REQUEST

    def post(self, request, *args, **kwargs):
        form = RequestForm(request.POST)
        if not form.is_valid():
            form.add_error(None, _("Choose a request (and, for a group 4 document, a group)."))
        else:
            try:
                record = requests.make_request(
                    request.user,
                    self.document,
                    form.cleaned_data["kind"],
                    target_group=form.cleaned_data["target_group"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DocumentsError as error:
                form.add_error(None, str(error))
            else:
                self.report(record)
                return redirect(self.document.get_absolute_url() + "#requests")
        messages.error(request, _("Your request was not sent: see below. Your text is kept."))
        return render_again(DocumentDetailView, self, request_form=form)

    def report(self, record):
        request = self.request
        if record.status == DocumentRequest.Status.APPLIED:
            messages.success(
                request,
                _("Your request was recorded and applied: %(kind)s.")
                % {"kind": record.get_kind_display()},
            )
        else:
            messages.success(
                request, _("Your request was recorded; the secretariat will decide it.")
            )


class WithdrawRequestView(DocumentsMixin, View):
    permission = Perm.DOCUMENTS_REQUEST

    def post(self, request, *args, **kwargs):
        record = get_object_or_404(
            DocumentRequest.objects.select_related("document"),
            pk=kwargs["pk"],
            document__event=self.event,
        )
        try:
            requests.withdraw(request.user, record, request=request)
        except DocumentsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your request was withdrawn."))
        return redirect(record.document.get_absolute_url() + "#requests")


class RequestListView(DocumentsMixin, TemplateView):
    template_name = "documents/requests.html"
    permission = Perm.DOCUMENTS_MANAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = DocumentRequest.objects.filter(document__event=self.event).select_related(
            "document", "entity", "requested_by", "decided_by"
        )
        context.update(
            pending=[r for r in records if r.status == DocumentRequest.Status.PENDING],
            others=[r for r in records if r.status != DocumentRequest.Status.PENDING],
            decision_form=kwargs.get("decision_form") or DecisionForm(),
            decision_for=kwargs.get("decision_for"),
        )
        return context


class DecideRequestView(DocumentsMixin, View):
    permission = Perm.DOCUMENTS_MANAGE

    def post(self, request, *args, **kwargs):
        record = get_object_or_404(DocumentRequest, pk=kwargs["pk"], document__event=self.event)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            form.add_error(None, _("Choose to accept or decline."))
        else:
            try:
                requests.decide(
                    record,
                    by=request.user,
                    accept=form.cleaned_data["decision"] == "accept",
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except DocumentsError as error:
                form.add_error("note", str(error))
            else:
                messages.success(request, _("Request decided."))
                return redirect(reverse("documents:requests", kwargs={"event": self.event.slug}))
        messages.error(request, _("The request was not decided: see below. Your text is kept."))
        return render_again(RequestListView, self, decision_form=form, decision_for=record.pk)
