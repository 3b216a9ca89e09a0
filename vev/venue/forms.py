"""Forms of the venue pages. Rules live in the services; forms only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Area, Exhibit, MeetingJoinLink, Report, Robot, Space, Sponsor, VenueProfile


def _formfield(model_field, **kwargs):
    from django.db import models

    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = VenueProfile
        fields = ["visibility", "do_not_disturb", "invites_from"]
        widgets = {
            "visibility": forms.RadioSelect,
            "invites_from": forms.RadioSelect,
        }


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Report.Reason.choices)
    details = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        max_length=2000,
    )


class HandleReportForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SideMeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Subject"), max_length=200, help_text=_("Only the people invited see it.")
    )
    slot = forms.CharField(label=_("Time slot"), widget=forms.HiddenInput)
    slots = forms.IntegerField(
        label=_("Length"),
        min_value=1,
        max_value=4,
        initial=1,
        help_text=_("In slots of the room (usually 30 minutes)."),
    )
    invitees = forms.TypedMultipleChoiceField(
        label=_("Invite"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 10})
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].choices = [
            (p.user_id, f"{p.name} ({p.entity})" if p.entity else p.name) for p in people
        ]


def _upload_widget():
    return forms.ClearableFileInput(attrs={"accept": ".svg,.png,.jpg,.jpeg,.webp"})


class SpaceForm(forms.ModelForm):
    class Meta:
        model = Space
        formfield_callback = _formfield
        fields = [
            "name",
            "slug",
            "kind",
            "description",
            "position",
            "background",
            "width",
            "height",
            "proximity_radius",
            "bubble_capacity",
            "sponsor",
            "host_entity",
            "stream_kind",
            "stream_url",
            "panorama_poster",
        ]
        widgets = {"background": _upload_widget(), "panorama_poster": _upload_widget()}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = Sponsor.objects.filter(event=event)


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        formfield_callback = _formfield
        fields = [
            "space",
            "kind",
            "name",
            "x",
            "y",
            "w",
            "h",
            "target",
            "capacity",
            "slot_minutes",
            "opens_at",
            "closes_at",
        ]

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        spaces = Space.objects.filter(venue__event=event)
        self.fields["space"].queryset = spaces
        self.fields["target"].queryset = spaces


class ExhibitForm(forms.ModelForm):
    class Meta:
        model = Exhibit
        formfield_callback = _formfield
        fields = [
            "space",
            "kind",
            "title",
            "description",
            "x",
            "y",
            "url",
            "file",
            "opens_at",
            "closes_at",
            "sponsor",
        ]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ".pdf,.webm,.mp4"})}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(venue__event=event)
        self.fields["sponsor"].queryset = Sponsor.objects.filter(event=event)


class SponsorForm(forms.ModelForm):
    class Meta:
        model = Sponsor
        formfield_callback = _formfield
        fields = ["name", "level", "logo", "url", "description"]
        widgets = {"logo": _upload_widget()}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)


class RobotForm(forms.ModelForm):
    class Meta:
        model = Robot
        formfield_callback = _formfield
        fields = [
            "name",
            "description",
            "control_url",
            "slot_minutes",
            "opens_at",
            "closes_at",
            "is_active",
        ]

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)


class JoinLinkForm(forms.ModelForm):
    class Meta:
        model = MeetingJoinLink
        formfield_callback = _formfield
        fields = ["audience", "url"]
