"""Documents on the Council website: the list by agenda item and group, a document's page,
its files and the two packages. Public for public events; participants only otherwise."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from vev.council.permissions import Perm, has_perm

from ..forms import ClarificationForm, RequestForm
from ..models import (
    ConsultationReply,
    Contribution,
    Deadline,
    Document,
    DocumentFile,
    DocumentGroup,
    DocumentRequest,
    DocumentRevision,
)
from ..services import deadlines, packages
from ..services.contributions import length_warning
from .base import DocumentMixin, DocumentsMixin


def _revisions_prefetch():
    return Prefetch(
        "revisions",
        queryset=DocumentRevision.objects.order_by("-number").prefetch_related("files"),
    )


class DocumentListView(DocumentsMixin, TemplateView):
    template_name = "documents/list.html"
    permission = Perm.EVENT_VIEW_PUBLIC

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        documents = (
            Document.objects.filter(event=self.event)
            .exclude(status__in=[Document.Status.DRAFT])
            .select_related("agenda_item", "source")
            .prefetch_related(_revisions_prefetch())
            .order_by("agenda_item__position", "group", "position", "symbol")
        )
        group_filter = self.request.GET.get("group", "")
        if group_filter.isdigit() and int(group_filter) in DocumentGroup.values:
            documents = documents.filter(group=int(group_filter))
        by_item: OrderedDict = OrderedDict()
        for document in documents:
            by_item.setdefault(document.agenda_item, []).append(document)
        context.update(
            by_item=list(by_item.items()),
            groups=DocumentGroup.choices,
            group_filter=group_filter,
            can_view_private=has_perm(self.request.user, Perm.EVENT_VIEW, self.event),
            deadlines=deadlines.deadlines_for(self.event, self.state),
        )
        return context


class DocumentDetailView(DocumentMixin, TemplateView):
    template_name = "documents/detail.html"
    permission = Perm.EVENT_VIEW_PUBLIC

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.document
        user = self.request.user
        participant = has_perm(user, Perm.EVENT_VIEW, self.event)
        may_submit = has_perm(user, Perm.DOCUMENTS_SUBMIT, self.event)
        may_request = has_perm(user, Perm.DOCUMENTS_REQUEST, self.event)
        submissions = deadlines.get_deadline(self.event, Deadline.Kind.SUBMISSIONS)
        context.update(
            revisions=document.revisions.order_by("-number").prefetch_related("files"),
            history=document.history.select_related("by", "entity"),
            clarifications=document.clarifications.select_related("entity", "answered_by"),
            participant=participant,
            may_submit=may_submit and document.on_agenda,
            may_request=may_request and document.on_agenda,
            state=self.state,
            submissions_deadline=submissions,
            submissions_due=deadlines.effective_due(submissions, self.state)
            if submissions
            else None,
            submissions_open=deadlines.is_open(self.event, Deadline.Kind.SUBMISSIONS, self.state),
            clarification_form=kwargs.get("clarification_form") or ClarificationForm(),
            request_form=kwargs.get("request_form") or RequestForm(),
            groups=DocumentGroup,
        )
        if participant:
            contributions = list(document.contributions.select_related("entity", "submitted_by"))
            context.update(
                comments=document.comments.select_related("entity", "filed_by"),
                contributions=[(c, length_warning(c)) for c in contributions],
                requests=document.requests.select_related("entity", "requested_by", "decided_by"),
                replies=ConsultationReply.objects.filter(document=document).select_related(
                    "entity", "answered_by"
                )
                if has_perm(user, Perm.CONSULTATION_VIEW, self.event)
                else None,
                my_reply=ConsultationReply.objects.filter(
                    document=document, entity=self.state
                ).first()
                if self.state
                else None,
                my_requests=[
                    r
                    for r in document.requests.all()
                    if self.state
                    and r.entity_id == self.state.pk
                    and r.status in (DocumentRequest.Status.PENDING, DocumentRequest.Status.APPLIED)
                ],
            )
        return context


class DocumentFileView(DocumentMixin, View):
    """Download one language file; served with its checked type, never guessed from the name."""

    permission = Perm.EVENT_VIEW_PUBLIC

    def get(self, request, *args, **kwargs):
        record = get_object_or_404(
            DocumentFile.objects.select_related("revision"),
            pk=kwargs["file"],
            revision__document=self.document,
        )
        return _file_response(
            record.file,
            record.format,
            f"{record.revision.label}-{record.language}".replace("/", "-"),
        )


class ContributionFileView(DocumentMixin, View):
    permission = Perm.EVENT_VIEW

    def get(self, request, *args, **kwargs):
        contribution = get_object_or_404(
            Contribution.objects.select_related("entity"),
            pk=kwargs["contribution"],
            document=self.document,
        )
        name = f"{self.document.symbol}-{contribution.entity.name}".replace("/", "-")
        return _file_response(contribution.file, contribution.format, name)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _file_response(field_file, fmt: str, stem: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=fmt != "pdf",
        filename=f"{stem}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )


class PackagesView(DocumentsMixin, TemplateView):
    template_name = "documents/packages.html"
    permission = Perm.EVENT_VIEW_PUBLIC

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["packages"] = packages.packages(self.event)
        return context
