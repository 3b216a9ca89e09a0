"""Audit actions in words: a label per action name, and per prefix for the families of acts.

:func:`action_label` tries the full dotted name, then ever shorter prefixes (“Document: moved”),
and falls back to the dotted name itself, so an action added by a new app is still shown. Add
the label of every action you log here (``tests/records/test_labels.py`` checks that every
action name written in the code has one).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: Families of acts (also offered as filters on the audit page).
PREFIX_LABELS = {
    "vev.council": _("Council"),
    "vev.council.registration": _("Registration"),
    "vev.council.staff": _("Staff function"),
    "vev.council.demo": _("Demo"),
    "vev.planning": _("Agenda and planning"),
    "vev.planning.plan": _("Time-management plan"),
    "vev.planning.item": _("Agenda item"),
    "vev.planning.running_order": _("Running order"),
    "vev.planning.settings": _("Planning settings"),
    "vev.planning.calendar_token": _("Calendar address"),
    "vev.media": _("Media"),
    "vev.media.recording": _("Recording"),
    "vev.documents": _("Documents"),
    "vev.documents.document": _("Document"),
    "vev.documents.revision": _("Document revision"),
    "vev.documents.deadline": _("Deadline"),
    "vev.documents.consultation": _("Consultation"),
    "vev.documents.request": _("Request on a document"),
    "vev.documents.clarification": _("Request for clarification"),
    "vev.documents.comment": _("Comment for the summary record"),
    "vev.documents.contribution": _("Written contribution"),
    "vev.documents.agenda_item": _("Agenda item"),
    "vev.decisions": _("Decisions"),
    "vev.decisions.procedure": _("Written procedure"),
    "vev.decisions.reply": _("Reply to a written procedure"),
    "vev.records": _("Records"),
    "vev.records.summary": _("Summary record of a meeting"),
    "vev.chat": _("Chat of a meeting room"),
    "vev.support": _("Support"),
}

ACTION_LABELS = {
    # council
    "vev.council.registration.requested": _("Registration requested"),
    "vev.council.registration.approved": _("Registration approved"),
    "vev.council.registration.declined": _("Registration declined"),
    "vev.council.registration.withdrawn": _("Registration withdrawn"),
    "vev.council.registration.focal_point_set": _("Focal point designated"),
    "vev.council.registration.focal_point_cleared": _("Focal point designation removed"),
    "vev.council.staff.assigned": _("Staff function assigned"),
    "vev.council.staff.removed": _("Staff function removed"),
    "vev.council.demo.loaded": _("Demo session loaded"),
    # planning
    "vev.planning.plan.computed": _("Plan version computed"),
    "vev.planning.plan.recorded": _("Meetings in place recorded as a plan version"),
    "vev.planning.plan.published": _("Plan version published"),
    "vev.planning.plan.approved": _("Plan version approved"),
    "vev.planning.item.created": _("Agenda item created"),
    "vev.planning.item.updated": _("Agenda item changed"),
    "vev.planning.item.deferred": _("Agenda item moved to the next physical session"),
    "vev.planning.item.withdrawn": _("Agenda item withdrawn"),
    "vev.planning.item.restored": _("Agenda item back on the agenda"),
    "vev.planning.running_order.changed": _("Running order changed"),
    "vev.planning.settings.updated": _("Planning settings changed"),
    "vev.planning.calendar_token.reset": _("Calendar address changed"),
    # media
    "vev.media.recording.started": _("Recording started"),
    "vev.media.recording.stopped": _("Recording stopped"),
    # documents
    "vev.documents.document.created": _("Document created"),
    "vev.documents.document.updated": _("Document changed"),
    "vev.documents.document.published": _("Document published"),
    "vev.documents.document.regrouped": _("Document moved to another group"),
    "vev.documents.document.withdrawn": _("Document withdrawn"),
    "vev.documents.document.moved": _("Document moved to the next physical session"),
    "vev.documents.document.restored": _("Document back on the virtual agenda"),
    "vev.documents.revision.added": _("Document files uploaded"),
    "vev.documents.deadline.set": _("Deadline set"),
    "vev.documents.deadline.changed": _("Deadline changed"),
    "vev.documents.deadline.extended": _("Deadline extended"),
    "vev.documents.consultation.replied": _("Consultation reply"),
    "vev.documents.request.made": _("Request made"),
    "vev.documents.request.accepted": _("Request accepted"),
    "vev.documents.request.declined": _("Request declined"),
    "vev.documents.request.withdrawn": _("Request withdrawn"),
    "vev.documents.clarification.asked": _("Question for clarification asked"),
    "vev.documents.clarification.answered": _("Question for clarification answered"),
    "vev.documents.clarification.answer_revised": _("Answer to a question revised"),
    "vev.documents.comment.filed": _("Comment for the summary record filed"),
    "vev.documents.comment.replaced": _("Comment for the summary record replaced"),
    "vev.documents.comment.withdrawn": _("Comment for the summary record withdrawn"),
    "vev.documents.contribution.submitted": _("Written contribution submitted"),
    "vev.documents.contribution.withdrawn": _("Written contribution withdrawn"),
    "vev.documents.agenda_item.deferred": _(
        "Agenda item moved to the next physical session (all its documents moved)"
    ),
    "vev.documents.agenda_item.restored": _("Agenda item back on the agenda"),
    # decisions
    "vev.decisions.procedure.drafted": _("Written procedure drafted"),
    "vev.decisions.procedure.draft_changed": _("Written procedure draft changed"),
    "vev.decisions.procedure.launched": _("Written procedure circulated"),
    "vev.decisions.procedure.extended": _("Written procedure deadline extended"),
    "vev.decisions.procedure.withdrawn": _("Written procedure withdrawn"),
    "vev.decisions.procedure.closed": _("Written procedure closed: result"),
    "vev.decisions.reply.given": _("Written procedure reply"),
    "vev.decisions.reply.changed": _("Written procedure reply changed"),
    "vev.decisions.reply.refused_late": _("Written procedure reply refused (late)"),
    # records
    "vev.records.summary.edited": _("Summary record: version saved"),
    "vev.records.summary.published": _("Summary record published"),
    # chat and support
    "vev.chat.message.deleted": _("Chat message deleted by a moderator"),
    "vev.support.contact.changed": _("Support contact changed"),
}


def action_label(action: str) -> str:
    """The act in words, in the active language; the dotted name if it has no label."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    parts = action.split(".")
    for cut in range(len(parts) - 1, 1, -1):
        prefix = ".".join(parts[:cut])
        if prefix in PREFIX_LABELS:
            rest = " ".join(parts[cut:]).replace("_", " ")
            return f"{PREFIX_LABELS[prefix]}: {rest}"
    return action


def has_label(action: str) -> bool:
    return action_label(action) != action
