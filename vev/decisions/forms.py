from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vev.council.models import Event
from vev.documents.forms import MultipleFileField, MultipleFileInput
from vev.documents.models import Document

from .models import ReplyChoice, WrittenProcedure
from .services.access import presiding_officers
from .services.procedures import REASON_MAX, TEXT_MAX, TITLE_MAX
from .services.replies import STATEMENT_MAX

DATETIME_INPUT = {
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


class PresidingOfficerChoice(forms.ModelChoiceField):
    def __init__(self, *args, event: Event, **kwargs):
        self.capacities = {a.user_id: a.get_function_display() for a in presiding_officers(event)}
        queryset = get_user_model().objects.filter(pk__in=list(self.capacities))
        super().__init__(queryset, *args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({self.capacities.get(obj.pk, '')})"


class ProcedureForm(forms.Form):
    """The secretariat's form: the proposal, its deadline and outcome rule, the instruction.

    Times are read in the event's time zone (the view overrides the current zone).
    """

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("Text of the proposal"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("The decision Council is asked to take, as it will be circulated."),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Related documents"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Published documents of the event (hold Ctrl or ⌘ to choose several)."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF or DOCX)"),
        required=False,
        widget=MultipleFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,application/vnd.openxmlformats-"
                "officedocument.wordprocessingml.document"
            }
        ),
    )
    rule = forms.ChoiceField(
        label=_("Outcome rule"),
        choices=WrittenProcedure.Rule.choices,
        initial=WrittenProcedure.Rule.SILENCE,
        widget=forms.RadioSelect,
    )
    deadline = forms.DateTimeField(label=_("Deadline for replies"), **DATETIME_INPUT)
    instructed_at = forms.DateTimeField(label=_("Instruction given on"), **DATETIME_INPUT)

    def __init__(self, *args, event: Event, procedure: WrittenProcedure | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["documents"].queryset = (
            Document.objects.filter(event=event)
            .exclude(status=Document.Status.DRAFT)
            .order_by("agenda_item__position", "position", "symbol")
        )
        self.fields["instructed_by"] = PresidingOfficerChoice(
            event=event,
            label=_("Instructed by"),
            help_text=_("The chair or vice-chair on whose instruction the procedure is run."),
        )
        self.order_fields(
            ["title", "text", "documents", "attachments", "rule", "deadline", "instructed_by"]
        )
        zone = {"zone": event.time_zone}
        self.fields["deadline"].help_text = (
            _("Date and time in the event's time zone (%(zone)s); it must be in the future.") % zone
        )
        self.fields["instructed_at"].help_text = (
            _("When the instruction was given, in the event's time zone (%(zone)s).") % zone
        )
        if procedure is not None and procedure.pk:
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                label=_("Remove attachments"),
                queryset=procedure.attachments.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline

    def clean_instructed_at(self):
        value = self.cleaned_data["instructed_at"]
        if value > timezone.now() + timedelta(minutes=1):
            raise forms.ValidationError(_("The chair's instruction cannot be in the future."))
        return value


class ReplyForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Reply"), choices=ReplyChoice.choices, widget=forms.RadioSelect
    )
    statement = forms.CharField(
        label=_("Statement (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_statement(self):
        statement = self.cleaned_data["statement"].strip()
        if len(statement) > STATEMENT_MAX:
            raise forms.ValidationError(
                _("The statement has %(n)s characters; at most %(max)s are accepted.")
                % {"n": f"{len(statement):,}", "max": f"{STATEMENT_MAX:,}"}
            )
        return statement


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal (recorded and sent to the Council Members)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(forms.Form):
    deadline = forms.DateTimeField(label=_("New deadline"), **DATETIME_INPUT)
    reason = forms.CharField(
        label=_("Reason for the extension (recorded and sent to the Council Members)"),
        max_length=REASON_MAX,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = _(
            "Date and time in the event's time zone (%(zone)s), after the current deadline."
        ) % {"zone": event.time_zone}
