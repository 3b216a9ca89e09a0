from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vev.core import plurals
from vev.core.i18n import interpolate_lazy
from vev.council.models import AgendaItem, Entity, Event

from .models import ConsultationReply, Deadline, DocumentGroup, DocumentRequest
from .models.contributions import SUGGESTED_MAX_PAGES
from .models.documents import LANGUAGE_CHOICES
from .services import comments
from .services.files import CONTRIBUTION_MAX_BYTES, DOCUMENT_MAX_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service layer."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _language_fields(form: forms.Form, event: Event, *, required_one: bool) -> None:
    names = dict(LANGUAGE_CHOICES)
    for code in event.languages:
        form.fields[f"files_{code}"] = MultipleFileField(
            label=_("%(language)s version (PDF and/or DOCX)") % {"language": names.get(code, code)},
            required=False,
            widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
        )
    form.language_codes = list(event.languages)
    form.required_one = required_one


def _files_by_language(form: forms.Form) -> dict[str, list]:
    return {
        code: form.cleaned_data.get(f"files_{code}") or []
        for code in form.language_codes
        if form.cleaned_data.get(f"files_{code}")
    }


class DocumentForm(forms.Form):
    symbol = forms.CharField(label=_("Symbol"), max_length=40, help_text=_("For example C20/37."))
    title = forms.CharField(label=_("Title"), max_length=500)
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    group = forms.TypedChoiceField(
        label=_("Group"), choices=DocumentGroup.choices, coerce=int, initial=DocumentGroup.NOTE
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Entity.objects.none(),
        required=False,
        empty_label=_("Secretariat"),
        help_text=_("Leave “Secretariat” for documents of the secretariat."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = event.agenda_items.order_by("position")
        self.fields["source"].queryset = Entity.objects.filter(memberships__event=event).order_by(
            "name"
        )
        _language_fields(self, event, required_one=False)

    def files_by_language(self):
        return _files_by_language(self)


class DocumentEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Entity.objects.none(),
        required=False,
        empty_label=_("Secretariat"),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = event.agenda_items.order_by("position")
        self.fields["source"].queryset = Entity.objects.filter(memberships__event=event).order_by(
            "name"
        )


class RevisionForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=500,
        required=False,
        help_text=_("Required for a revision; leave empty for the first upload."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, event, required_one=True)

    def files_by_language(self):
        return _files_by_language(self)


class GroupForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Group"), choices=DocumentGroup.choices, coerce=int)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500)


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Deadline for"), choices=Deadline.Kind.choices)
    due_at = forms.DateTimeField(
        label=_("Due (date and time in the event's time zone)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExtensionForm(forms.Form):
    deadline = forms.ModelChoiceField(label=_("Deadline"), queryset=Deadline.objects.none())
    entity = forms.ModelChoiceField(
        label=_("Delegation"),
        queryset=Entity.objects.none(),
        required=False,
        empty_label=_("Every delegation"),
    )
    until = forms.DateTimeField(
        label=_("Extended until (event's time zone)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Reason (recorded)"), max_length=500)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].queryset = Deadline.objects.filter(event=event)
        self.fields["entity"].queryset = Entity.objects.filter(memberships__event=event).order_by(
            "name"
        )


class ConsultationForm(forms.Form):
    """One keep/move choice per document; documents left unanswered are not sent."""

    def __init__(self, *args, documents, replies, open_: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        for document in self.documents:
            current = replies.get(document.pk)
            self.fields[f"doc_{document.pk}"] = forms.ChoiceField(
                label=f"{document.symbol} {document.title}",
                choices=ConsultationReply.Choice.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.choice if current else None,
                disabled=not open_,
            )

    def choices(self) -> dict[int, str]:
        result = {}
        for document in self.documents:
            value = self.cleaned_data.get(f"doc_{document.pk}")
            if value:
                result[document.pk] = value
        return result

    def rows(self):
        for document in self.documents:
            yield document, self[f"doc_{document.pk}"]


class ClarificationForm(forms.Form):
    question = forms.CharField(
        label=_("Your question for clarification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer of the secretariat"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )


class CommentForm(forms.Form):
    # No max_length here: the service checks the limits and keeps the text as a draft.
    text = forms.CharField(
        label=_("Comment for the summary record"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=interpolate_lazy(
            _("At most half a page: %(words)s and %(chars)s."),
            {
                "words": lambda: plurals.words(comments.MAX_WORDS),
                "chars": lambda: plurals.characters(comments.MAX_CHARS),
            },
        ),
        strip=False,
    )


class ContributionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    file = forms.FileField(
        label=_("Contribution (PDF or DOCX, on the template)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
        help_text=interpolate_lazy(
            _("At most %(size)s MB; at most %(pages)s are suggested."),
            {
                "size": CONTRIBUTION_MAX_BYTES // (1024 * 1024),
                "pages": lambda: plurals.pages(SUGGESTED_MAX_PAGES),
            },
        ),
    )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=DocumentRequest.Kind.choices)
    target_group = forms.TypedChoiceField(
        label=_("To group (for a group 4 document)"),
        choices=[("", "—")]
        + [c for c in DocumentGroup.choices if c[0] != DocumentGroup.INFORMATION],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Reason (required to decline)"), max_length=500, required=False)


DOCUMENT_MAX_MB = DOCUMENT_MAX_BYTES // (1024 * 1024)
