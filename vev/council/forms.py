from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import OFFICIAL_LANGUAGES, Entity, Event, Registration, StaffAssignment


class RegistrationForm(forms.Form):
    entity = forms.ModelChoiceField(
        label=_("Delegation"),
        queryset=Entity.objects.none(),
        help_text=_("The Member State or entity you represent."),
    )
    role = forms.ChoiceField(label=_("Role in the delegation"), choices=Registration.Role.choices)
    job_title = forms.CharField(label=_("Title or function"), max_length=200, required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["entity"].queryset = Entity.objects.exclude(
            kind=Entity.Kind.SECRETARIAT
        ).order_by("name")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Reason (required to decline)"), max_length=500, required=False)


class StaffAssignmentForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    function = forms.ChoiceField(label=_("Function"), choices=StaffAssignment.Function.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages (interpreters: booth language first)"),
        choices=[(code, code) for code in OFFICIAL_LANGUAGES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody has an account with this address yet. Ask them to create one first.")
            )
        self.user = user
        return email
