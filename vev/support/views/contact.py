"""The secretariat sets the event's support contact (shown in every meeting room)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from vev.council.permissions import EventPermissionMixin, Perm

from ..services.contact import set_contact


class ContactForm(forms.Form):
    support_contact = forms.CharField(
        label=gettext_lazy("Support contact"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "An address, a telephone number or both, shown in every meeting room of the "
            "session. Left empty, the platform's default contact is shown."
        ),
    )


class SupportContactView(EventPermissionMixin, FormView):
    template_name = "support/contact.html"
    form_class = ContactForm
    permission = Perm.EVENT_MANAGE

    def get_initial(self):
        return {"support_contact": self.event.support_contact}

    def form_valid(self, form):
        set_contact(
            self.event,
            self.request.user,
            form.cleaned_data["support_contact"],
            request=self.request,
        )
        messages.success(self.request, _("Support contact saved."))
        return redirect("support:contact", event=self.event.slug)
