"""Texts of the objection call in the meeting room (added to the room's strings)."""

from django.utils.translation import gettext_lazy as _

CONCLUSION_STRINGS = {
    "objection_by": _("%(state)s objects."),
    "objection_by_reason": _("%(state)s objects: %(reason)s"),
    "call_objected": _("A Council Member objected: the matter goes to the next physical meeting."),
    "call_held": _("No objection, but a Council Member could not take part: the chair decides."),
    "call_no_objection_yet": _("No objection so far."),
    "guard_absent": _("Not connected: %(states)s."),
    "guard_dropped": _("Lost the connection during the call: %(states)s."),
    "call_seconds_left": _("%(n)s seconds left to object"),
    "call_time_up": _("The time to object is over."),
    "put_to_meeting": _("Put to the meeting"),
    "absence_noted": _("(absence noted: %(states)s)"),
    "announce_call": _("The chair asks: is there any objection to: %(text)s"),
    "objection_recorded": _("Your objection is recorded."),
    "state_draft": _("Draft"),
    "state_called": _("Put to the meeting"),
    "state_agreed": _("Agreed"),
    "state_deferred": _("Deferred"),
    "state_forwarded": _("Forwarded"),
    "state_withdrawn": _("Withdrawn"),
    "outcome_agreed": _("No objection: the proposed conclusion is agreed."),
    "outcome_agreed_absent": _("Agreed, with the absence of Council Members noted."),
    "outcome_deferred": _("Objection: the matter goes to the next physical meeting."),
    "outcome_recalled": _("The chair puts it to the meeting again."),
    "outcome_withdrawn": _("The proposed conclusion was withdrawn."),
    "outcome_closed": _("The call is closed."),
}
