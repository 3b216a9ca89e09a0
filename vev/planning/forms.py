from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from vev.core import plurals
from vev.council.models import AgendaItem, Meeting

from .models import PlanningSettings

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PlanForm(forms.Form):
    keep_published = forms.BooleanField(
        label=_("Keep the published meetings stable"),
        required=False,
        initial=True,
        help_text=_(
            "Items stay in their published meetings unless the session can end earlier. "
            "Untick to plan everything afresh."
        ),
    )
    note = forms.CharField(
        label=_("Reason for this version"),
        required=False,
        max_length=300,
        help_text=_("For example: “after the consultation on the virtual agenda”."),
    )


class AgendaItemForm(forms.ModelForm):
    must_follow = forms.ModelMultipleChoiceField(
        label=_("Comes after"),
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text=_("Items that must be taken before this one (hold Ctrl to choose several)."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = AgendaItem
        fields = [
            "code",
            "title",
            "kind",
            "committee",
            "estimated_minutes",
            "status",
            "opens_session",
            "pinned_meeting",
            "must_follow",
        ]

    def __init__(self, *args, event, default_minutes: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["committee"].queryset = event.committees.all()
        self.fields["committee"].required = True
        self.fields["pinned_meeting"].queryset = event.meetings.exclude(
            status=Meeting.Status.CANCELLED
        )
        items = event.agenda_items.all()
        if self.instance.pk:
            items = items.exclude(pk=self.instance.pk)
        self.fields["must_follow"].queryset = items
        self.fields["must_follow"].label_from_instance = lambda item: item.label[:120]
        minutes = self.fields["estimated_minutes"]
        minutes.widget.attrs.update({"min": 1, "max": 600})
        if default_minutes:
            minutes.help_text = _(
                "Left empty, the planner uses %(duration)s (the default for its kind)."
            ) % {"duration": plurals.minutes(default_minutes)}

    def clean_estimated_minutes(self):
        value = self.cleaned_data.get("estimated_minutes")
        if value is not None and not 1 <= value <= 600:
            raise forms.ValidationError(_("Give a duration between 1 and 600 minutes."))
        return value

    def _post_clean(self):
        # The service assigns and validates; the model instance is not touched here.
        pass


class PlanningSettingsForm(forms.ModelForm):
    meeting_weekdays = forms.TypedMultipleChoiceField(
        label=_("Meeting days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PlanningSettings
        fields = ["meeting_weekdays", "night_start", "night_end"]
        widgets = {
            "night_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "night_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class FairnessForm(forms.Form):
    start = forms.TimeField(
        label=_("Daily meetings start"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Daily meetings end"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    members_only = forms.BooleanField(label=_("Council Members only"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            raise forms.ValidationError(
                _("The window must end after it starts, on the same day (event time).")
            )
        return data


def valid_zone(name: str) -> str:
    return name if name in zoneinfo.available_timezones() else ""
