"""Written procedures: the list, a procedure's page, the secretariat's form and acts."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from vev.council.permissions import Perm
from vev.documents.errors import DocumentsError
from vev.documents.services.files import DOCUMENT_MAX_BYTES, check_file

from ..errors import DecisionsError
from ..forms import ExtendForm, ProcedureForm, ReplyForm, WithdrawForm
from ..models import WrittenProcedure, WrittenReply
from ..services import procedures, replies
from ..services.access import presiding_capacity, presiding_officers
from ..services.notices import council_member_actors
from ..services.outcome import Tally, explain
from .base import DecisionsMixin, EventTimeFormMixin, ProcedureMixin


class ProcedureListView(DecisionsMixin, TemplateView):
    """Every written procedure of the event: open ones first, then the closed and withdrawn."""

    template_name = "decisions/list.html"
    permission = Perm.EVENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = WrittenProcedure.objects.filter(event=self.event)
        if not self.can_manage:
            items = items.exclude(status=WrittenProcedure.Status.DRAFT)
        items = list(items.order_by("-number"))
        mine = {}
        if self.state is not None:
            mine = {
                r.procedure_id: r
                for r in WrittenReply.objects.filter(
                    procedure__in=items, entity=self.state
                ).select_related("replied_by")
            }
        for item in items:
            item.my_reply = mine.get(item.pk)
            if item.is_closed:
                item.explanation = explain(item.result_reason, Tally.from_dict(item.tally))
        order = {"draft": 0, "open": 1, "closed": 2, "withdrawn": 3}
        context["procedures"] = sorted(items, key=lambda p: (order[p.status], -p.number))
        context["open_count"] = sum(1 for p in items if p.is_open)
        return context


class ProcedureDetailView(ProcedureMixin, TemplateView):
    """The proposal, its documents, the deadline; the State's reply form; the table of replies
    for the secretariat and the chairs (live) and, once closed, the full result for everyone."""

    template_name = "decisions/detail.html"
    permission = Perm.EVENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        procedure = self.procedure
        now = timezone.now()
        accepting = procedure.is_open and procedure.deadline and procedure.deadline > now
        my_reply = replies.reply_of(procedure, self.state)
        reply_form = kwargs.get("reply_form") or ReplyForm(
            initial={"choice": my_reply.choice, "statement": my_reply.statement}
            if my_reply
            else None
        )
        show_table = self.can_monitor or procedure.is_closed
        counts = (
            Tally.from_dict(procedure.tally) if procedure.is_closed else replies.tally(procedure)
        )
        context.update(
            accepting=accepting,
            overdue=procedure.is_open and not accepting,
            my_reply=my_reply,
            reply_form=reply_form,
            may_reply=self.state is not None and procedure.is_open,
            late_replies=replies.late_replies_of(procedure, self.state),
            late_refused=kwargs.get("late_refused", False),
            show_table=show_table,
            rows=replies.table(procedure) if show_table else [],
            counts=counts,
            explanation=explain(procedure.result_reason, counts) if procedure.is_closed else "",
            instructed_as=presiding_capacity(self.event, procedure.instructed_by),
            documents=procedure.documents.select_related("agenda_item"),
            attachments=procedure.attachments.all(),
            extensions=procedure.deadline_changes.select_related("by"),
            statement_max=replies.STATEMENT_MAX,
        )
        if self.can_monitor:
            context.update(
                history=procedure.reply_history.select_related("entity", "by"),
                all_late=procedure.late_replies.select_related("entity", "by"),
            )
        if self.can_manage:
            context.update(
                withdraw_form=kwargs.get("withdraw_form") or WithdrawForm(),
                extend_form=kwargs.get("extend_form") or ExtendForm(event=self.event),
                recipients=len({u.pk for u, _e in council_member_actors(self.event)}),
            )
        return context


def _checked_attachments(form):
    """Check every uploaded file like the documents app does; errors on the field."""
    checked, ok = [], True
    for upload in form.cleaned_data.get("attachments") or []:
        try:
            checked.append(check_file(upload, max_bytes=DOCUMENT_MAX_BYTES))
        except DocumentsError as error:
            form.add_error("attachments", str(error))
            ok = False
    return checked if ok else None


class ProcedureFormMixin(EventTimeFormMixin):
    """Create or change a draft; the “launch” button circulates it at once."""

    template_name = "decisions/form.html"
    form_class = ProcedureForm
    draft: WrittenProcedure | None = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event, "procedure": self.draft}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft"] = self.draft
        context["presiding"] = presiding_officers(self.event).exists()
        return context

    def form_valid(self, form):
        attachments = _checked_attachments(form)
        if attachments is None:
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            procedure = procedures.save_draft(
                self.event,
                by=self.request.user,
                title=data["title"],
                text=data["text"],
                rule=data["rule"],
                deadline=data["deadline"],
                documents=data["documents"],
                instructed_by=data["instructed_by"],
                instructed_at=data["instructed_at"],
                attachments=attachments,
                remove_attachments=[a.pk for a in data.get("remove_attachments") or []],
                procedure=self.draft,
                request=self.request,
            )
        except DecisionsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if self.request.POST.get("action") != "launch":
            messages.success(
                self.request,
                _("Draft %(ref)s saved. It is not circulated until you launch it.")
                % {"ref": procedure.reference},
            )
            return redirect("decisions:edit", event=self.event.slug, number=procedure.number)
        try:
            procedure = procedures.launch(procedure, by=self.request.user, request=self.request)
        except DecisionsError as error:
            messages.error(
                self.request,
                _("Draft %(ref)s saved but not circulated: %(error)s")
                % {"ref": procedure.reference, "error": error},
            )
            return redirect("decisions:edit", event=self.event.slug, number=procedure.number)
        messages.success(
            self.request,
            _("%(ref)s was circulated to the Council Members; replies are open until the deadline.")
            % {"ref": procedure.reference},
        )
        return redirect(procedure.get_absolute_url())


class ProcedureCreateView(DecisionsMixin, ProcedureFormMixin, FormView):
    permission = Perm.DECISIONS_MANAGE

    def get_initial(self):
        return {"instructed_at": timezone.now().astimezone(self.event.tz).replace(second=0)}


class ProcedureEditView(ProcedureMixin, ProcedureFormMixin, FormView):
    permission = Perm.DECISIONS_MANAGE

    def get(self, request, *args, **kwargs):
        if not self.procedure.is_draft:
            return redirect(self.procedure.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.procedure.is_draft:
            messages.error(request, _("This written procedure was circulated already."))
            return redirect(self.procedure.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.draft = self.procedure
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        self.draft = self.procedure
        context = super().get_context_data(**kwargs)
        context["withdraw_form"] = WithdrawForm()
        return context

    def get_initial(self):
        p = self.procedure
        return {
            "title": p.title,
            "text": p.text,
            "rule": p.rule,
            "deadline": p.deadline,
            "documents": list(p.documents.all()),
            "instructed_by": p.instructed_by,
            "instructed_at": p.instructed_at,
        }


class WithdrawView(ProcedureMixin, View):
    permission = Perm.DECISIONS_MANAGE

    def post(self, request, *args, **kwargs):
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for the withdrawal; it is recorded."))
        else:
            try:
                procedures.withdraw(
                    self.procedure,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DecisionsError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("%(ref)s was withdrawn.") % {"ref": self.procedure.reference},
                )
        return redirect(self.procedure.get_absolute_url())


class ExtendView(ProcedureMixin, EventTimeFormMixin, View):
    permission = Perm.DECISIONS_MANAGE

    def post(self, request, *args, **kwargs):
        form = ExtendForm(request.POST, event=self.event)
        if not form.is_valid():
            errors = "; ".join(str(e) for field in form.errors.values() for e in field)
            messages.error(request, _("The deadline was not extended: %(e)s") % {"e": errors})
        else:
            try:
                procedures.extend(
                    self.procedure,
                    by=request.user,
                    deadline=form.cleaned_data["deadline"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DecisionsError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("The deadline of %(ref)s was extended; the Council Members were told.")
                    % {"ref": self.procedure.reference},
                )
        return redirect(self.procedure.get_absolute_url())


class AttachmentView(ProcedureMixin, View):
    permission = Perm.EVENT_VIEW

    def get(self, request, *args, **kwargs):
        attachment = get_object_or_404(self.procedure.attachments, pk=kwargs["attachment"])
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        name = attachment.original_name or f"{self.procedure.reference}.{attachment.format}"
        content_type = (
            "application/pdf"
            if attachment.format == "pdf"
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        return FileResponse(handle, as_attachment=False, filename=name, content_type=content_type)
