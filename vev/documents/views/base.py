"""Shared helpers of the documents views: load a document of the event, show service errors."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from vev.council.permissions import EventPermissionMixin, Perm, has_perm

from ..errors import DocumentsError
from ..models import Document
from ..services.access import own_state


class DocumentsMixin(EventPermissionMixin):
    @cached_property
    def can_manage(self) -> bool:
        return has_perm(self.request.user, Perm.DOCUMENTS_MANAGE, self.event)

    @cached_property
    def state(self):
        """The delegation of the signed-in participant (None for staff and visitors)."""
        return own_state(self.request.user, self.event)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.can_manage
        return context


class DocumentMixin(DocumentsMixin):
    """Views about one document (``<int:document>`` in the URL). Drafts: secretariat only."""

    @cached_property
    def document(self) -> Document:
        document = get_object_or_404(
            Document.objects.select_related("agenda_item", "source", "event"),
            event=self.event,
            pk=self.kwargs["document"],
        )
        if document.status == Document.Status.DRAFT and not self.can_manage:
            raise Http404
        return document

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["document"] = self.document
        return context


def render_again(page_class, view, *, status: int = 422, **forms):
    """Show the page the user filled in again, with the bound ``forms`` and their errors.

    For POST-only views whose form sits on another page (a document's page, a queue): a
    refusal must not lose what the user typed, so instead of redirecting back to an empty
    form the page is rendered as ``page_class`` would, with ``forms`` in its context.
    """
    page = page_class()
    page.setup(view.request, *view.args, **view.kwargs)
    page.event = view.event
    if "document" in view.__dict__:  # already loaded (cached_property)
        page.document = view.document
    return page.render_to_response(page.get_context_data(**forms), status=status)


class ServiceActionMixin:
    """POST-only views without text to keep: call a service, report its error as a message,
    go back. (Views with a text field re-render their page instead: ``render_again``.)"""

    success_message = ""

    def act(self, request):  # pragma: no cover - every subclass implements it
        raise NotImplementedError

    def next_url(self):
        return self.document.get_absolute_url()

    def post(self, request, *args, **kwargs):
        try:
            self.act(request)
        except DocumentsError as error:
            messages.error(request, str(error))
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return redirect(self.next_url())


class EventTimeFormMixin:
    """Datetime fields of the forms are read and shown in the event's time zone.

    Put it after the event permission mixin in the bases, so that the event is loaded first.
    """

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(self.event.tz):
            return super().dispatch(request, *args, **kwargs)
