"""What a user may do with a meeting's media, computed once per connection."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from vev.council.models import Meeting, StaffAssignment
from vev.council.permissions import Perm, can_see_meeting, has_perm, may_enter_closed_meeting

from ..errors import MediaDenied


@dataclass(frozen=True)
class MediaAccess:
    user_id: int  # 0 for an anonymous viewer of a public webcast
    display: str
    may_attend: bool  # join the floor (speak when the policy lets them)
    may_watch: bool  # receive the webcast
    booth_language: str | None  # interpreter: the booth they work in
    may_moderate: bool
    may_record: bool


def media_access(user, meeting: Meeting) -> MediaAccess:
    event = meeting.event
    authenticated = bool(getattr(user, "is_authenticated", False))
    may_attend = authenticated and has_perm(user, Perm.MEETING_ATTEND, event)
    if meeting.is_closed:
        may_attend = may_attend and has_perm(user, Perm.MEETING_ATTEND_CLOSED, event)
    booth = None
    if authenticated and has_perm(user, Perm.MEDIA_INTERPRET, event):
        assignment = StaffAssignment.objects.filter(
            event=event, user=user, function=StaffAssignment.Function.INTERPRETER
        ).first()
        if assignment and assignment.languages and assignment.languages[0] in event.languages:
            booth = assignment.languages[0]
    if authenticated:
        from vev.council.services.participants import representation

        display = representation(user, event).label
    else:
        display = _("Webcast viewer")
    may_watch = can_see_meeting(user, meeting)
    if meeting.is_closed:
        # No webcast of a closed meeting: only those admitted to it hear and see it.
        may_watch = may_watch and authenticated and may_enter_closed_meeting(user, meeting)
        may_attend = may_attend and may_watch
    return MediaAccess(
        user_id=user.pk if authenticated else 0,
        display=display,
        may_attend=may_attend,
        may_watch=may_watch,
        booth_language=booth if may_attend else None,
        may_moderate=authenticated and has_perm(user, Perm.MEDIA_MODERATE, event),
        may_record=authenticated and has_perm(user, Perm.MEDIA_RECORD, event),
    )


def require_moderator(user, meeting: Meeting) -> None:
    if not has_perm(user, Perm.MEDIA_MODERATE, meeting.event):
        raise MediaDenied(_("Only the chair and the meeting's moderators may do this."))
