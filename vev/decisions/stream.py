"""Commands of the decisions app on the event stream (see docs/protocol/event-stream.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict

from vev.council.permissions import Perm
from vev.council.stream import stream_command

from .errors import DecisionsError
from .models import WrittenProcedure
from .services.replies import table, tally


class ProcedurePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    procedure_id: int


@stream_command("decisions.snapshot", permission=Perm.DECISIONS_MONITOR, payload=ProcedurePayload)
def written_procedure_snapshot(user, event, payload: ProcedurePayload) -> dict:
    """Every Council Member's current reply, for a live table that (re)connects."""
    procedure = (
        WrittenProcedure.objects.filter(event=event, pk=payload.procedure_id)
        .exclude(status=WrittenProcedure.Status.DRAFT)
        .first()
    )
    if procedure is None:
        raise DecisionsError(_("No such written procedure in this event."))
    counts = tally(procedure)
    return {
        "procedure_id": procedure.pk,
        "status": procedure.status,
        "deadline": procedure.deadline.isoformat() if procedure.deadline else None,
        "agree": counts.agree,
        "object": counts.object,
        "abstain": counts.abstain,
        "no_reply": counts.no_reply,
        "rows": [
            {
                "entity_id": row.entity.pk,
                "entity": row.entity.display_name,
                "choice": row.reply.choice if row.reply else None,
                "statement": row.reply.statement if row.reply else "",
                "replied_by": (
                    row.reply.replied_by.display_name
                    if row.reply and row.reply.replied_by
                    else None
                ),
                "replied_at": row.reply.replied_at.isoformat() if row.reply else None,
                "changes": row.reply.changes if row.reply else 0,
            }
            for row in table(procedure)
        ],
    }
