"""The secretariat's pages: create, upload, group, publish and withdraw documents."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from vev.council.permissions import Perm

from ..errors import DocumentsError
from ..forms import DocumentEditForm, DocumentForm, GroupForm, RevisionForm, WithdrawForm
from ..models import Document
from ..services import documents as document_service
from ..services.files import CheckedFile, check_file
from .base import DocumentMixin, DocumentsMixin, ServiceActionMixin, render_again


def _check_all(form, files_by_language) -> dict[str, list[CheckedFile]] | None:
    """Check every uploaded file; report each refusal on its field. None if any was refused."""
    checked: dict[str, list[CheckedFile]] = {}
    ok = True
    for language, uploads in files_by_language.items():
        for upload in uploads:
            try:
                checked.setdefault(language, []).append(check_file(upload))
            except DocumentsError as error:
                form.add_error(f"files_{language}", str(error))
                ok = False
    return checked if ok else None


class ManageDocumentsView(DocumentsMixin, FormView):
    """All documents with their state (drafts included) and the form for a new one."""

    template_name = "documents/manage.html"
    form_class = DocumentForm
    permission = Perm.DOCUMENTS_MANAGE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documents"] = (
            Document.objects.filter(event=self.event)
            .select_related("agenda_item", "source")
            .order_by("agenda_item__position", "position", "symbol")
        )
        return context

    def form_valid(self, form):
        files = _check_all(form, form.files_by_language())
        if files is None:
            return self.form_invalid(form)
        try:
            document = document_service.create_document(
                self.event,
                by=self.request.user,
                symbol=form.cleaned_data["symbol"],
                title=form.cleaned_data["title"],
                group=form.cleaned_data["group"],
                agenda_item=form.cleaned_data["agenda_item"],
                source=form.cleaned_data["source"],
                files=files,
                request=self.request,
            )
        except DocumentsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Document %(symbol)s created. Publish it when its files are complete.")
            % {"symbol": document.symbol},
        )
        return redirect("documents:edit", event=self.event.slug, document=document.pk)


class EditDocumentView(DocumentMixin, FormView):
    template_name = "documents/edit.html"
    form_class = DocumentEditForm
    permission = Perm.DOCUMENTS_MANAGE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_initial(self):
        return {
            "title": self.document.title,
            "agenda_item": self.document.agenda_item,
            "source": self.document.source,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            revision_form=kwargs.get("revision_form") or RevisionForm(event=self.event),
            group_form=kwargs.get("group_form")
            or GroupForm(initial={"group": self.document.group}),
            withdraw_form=kwargs.get("withdraw_form") or WithdrawForm(),
            revisions=self.document.revisions.order_by("-number").prefetch_related("files"),
            history=self.document.history.select_related("by", "entity"),
        )
        return context

    def form_valid(self, form):
        try:
            document_service.update_document(
                self.document,
                by=self.request.user,
                title=form.cleaned_data["title"],
                agenda_item=form.cleaned_data["agenda_item"],
                source=form.cleaned_data["source"],
                request=self.request,
            )
        except DocumentsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Document saved."))
        return redirect("documents:edit", event=self.event.slug, document=self.document.pk)


class AddRevisionView(DocumentMixin, FormView):
    """Upload files: the first ones, or a revision (with a note of what changed)."""

    template_name = "documents/edit.html"
    form_class = RevisionForm
    permission = Perm.DOCUMENTS_MANAGE

    def get(self, request, *args, **kwargs):
        return redirect("documents:edit", event=self.event.slug, document=self.document.pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def form_invalid(self, form):
        """Show the edit page again with the refusals next to the file fields."""
        return edit_page_again(self, revision_form=form)

    def form_valid(self, form):
        files = _check_all(form, form.files_by_language())
        if files is None:
            return self.form_invalid(form)
        if not files:
            form.add_error(None, _("Upload at least one file (PDF or DOCX)."))
            return self.form_invalid(form)
        note = form.cleaned_data["note"]
        if not self.document.revisions.exists():
            note = ""
        try:
            revision = document_service.add_revision(
                self.document, by=self.request.user, files=files, note=note, request=self.request
            )
        except DocumentsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Files of %(label)s saved.") % {"label": revision.label})
        return redirect("documents:edit", event=self.event.slug, document=self.document.pk)


def edit_page_again(view, **forms):
    """The edit page with one of its forms bound (what was typed) and its errors."""
    details = DocumentEditForm(
        initial={
            "title": view.document.title,
            "agenda_item": view.document.agenda_item,
            "source": view.document.source,
        },
        event=view.event,
    )
    return render_again(EditDocumentView, view, form=details, **forms)


class PublishView(ServiceActionMixin, DocumentMixin, View):
    permission = Perm.DOCUMENTS_MANAGE

    @property
    def success_message(self):
        return _("%(symbol)s is published.") % {"symbol": self.document.symbol}

    def next_url(self):
        return reverse(
            "documents:edit", kwargs={"event": self.event.slug, "document": self.document.pk}
        )

    def act(self, request):
        document_service.publish(self.document, by=request.user, request=request)


class SetGroupView(DocumentMixin, View):
    """Refused, the edit page comes back with the group and the note as typed."""

    permission = Perm.DOCUMENTS_MANAGE

    def post(self, request, *args, **kwargs):
        form = GroupForm(request.POST)
        if not form.is_valid():
            form.add_error(None, _("Choose group 1, 2, 3 or 4."))
        else:
            try:
                document_service.set_group(
                    self.document,
                    form.cleaned_data["group"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except DocumentsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Group saved."))
                return redirect("documents:edit", event=self.event.slug, document=self.document.pk)
        return edit_page_again(self, group_form=form)


class WithdrawDocumentView(DocumentMixin, View):
    """Refused, the edit page comes back with the reason as typed."""

    permission = Perm.DOCUMENTS_MANAGE

    def post(self, request, *args, **kwargs):
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            form.add_error(None, _("Give the reason for withdrawing the document."))
        else:
            try:
                document_service.withdraw(
                    self.document, by=request.user, note=form.cleaned_data["note"], request=request
                )
            except DocumentsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Document withdrawn."))
                return redirect("documents:edit", event=self.event.slug, document=self.document.pk)
        return edit_page_again(self, withdraw_form=form)
