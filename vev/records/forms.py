from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vev.council.models import Event

from .services import audit_log


class AuditFilterForm(forms.Form):
    """Filters of the audit page (GET); dates are days in the event's time zone."""

    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=120,
        help_text=_("A kind of act, or the beginning of its name, e.g. vev.documents."),
        widget=forms.TextInput(attrs={"list": "audit-actions", "autocomplete": "off"}),
    )
    actor = forms.ChoiceField(label=_("Who acted"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(
        label=_("Text in the data"),
        required=False,
        max_length=200,
        help_text=_("Searched in the data of each entry, the name of who acted and the action."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [
            ("", _("Anyone")),
            ("none", _("The system (no person)")),
            *[(str(pk), name) for pk, name in audit_log.actors(event)],
        ]
        zone = {"zone": event.time_zone}
        self.fields["date_from"].help_text = _("Day in the event's time zone (%(zone)s).") % zone
        self.fields["date_to"].help_text = _("Included; the event's time zone (%(zone)s).") % zone

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data

    def query(self) -> audit_log.AuditFilter:
        """The filter of the valid fields (an invalid one is reported and left out)."""
        if not self.is_bound:
            return audit_log.AuditFilter()
        self.is_valid()
        data = self.cleaned_data
        return audit_log.AuditFilter(
            action=data.get("action") or "",
            actor=data.get("actor") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=data.get("q") or "",
        )


class SummaryRecordForm(forms.Form):
    """The secretariat's text of a meeting's summary record (``base_version``: the version the
    text started from, for the optimistic check)."""

    text = forms.CharField(
        label=_("Text of the summary record"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "record-text"}),
        help_text=_(
            "Plain text. It starts from what the room recorded: attendance, items, speakers "
            "with the caption transcript of their turn, comments, conclusions."
        ),
    )
    note = forms.CharField(
        label=_("Note on this version (optional)"),
        required=False,
        max_length=300,
        help_text=_("What you changed, for the list of versions."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_text(self):
        from .services.summary import RecordError, clean_text

        try:
            return clean_text(self.cleaned_data["text"])
        except RecordError as error:
            raise forms.ValidationError(str(error)) from error
