"""A Council Member State replies to a written procedure: agree, object or abstain."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vev.council.permissions import Perm

from ..errors import DecisionsError, ReplyTooLate
from ..forms import ReplyForm
from ..services import replies
from .procedures import ProcedureDetailView


class ReplyView(ProcedureDetailView):
    """POST only. A refused reply shows the procedure's page again with what was written."""

    permission = Perm.DECISIONS_REPLY
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reply_form=form))
        try:
            reply = replies.reply(
                request.user,
                self.procedure,
                form.cleaned_data["choice"],
                form.cleaned_data["statement"],
                request=request,
            )
        except ReplyTooLate as error:
            messages.error(request, str(error))
            return self.render_to_response(
                self.get_context_data(reply_form=form, late_refused=True)
            )
        except DecisionsError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(reply_form=form))
        messages.success(
            request,
            _("The reply of %(state)s to %(ref)s is recorded: %(choice)s.")
            % {
                "state": reply.entity.display_name,
                "ref": self.procedure.reference,
                "choice": reply.get_choice_display(),
            },
        )
        return redirect(self.procedure.get_absolute_url() + "#your-reply")
