"""Who may see and contact whom in the venue: one set of rules for every listing and socket.

A participant chooses their visibility (everybody / my delegation / hidden), do-not-disturb and
who may invite them; they may block someone (then neither sees nor contacts the other, in every
event) and report someone to the secretariat. Every listing — the map snapshot, the list view,
search, invitations, WebSocket events — goes through :func:`can_see`; conversations and
invitations through :func:`approach_refusal` and :func:`invite_refusal`.

Settings and blocks are personal choices, not procedural acts: they are not written to the audit
log (the secretariat has no need to know who blocked whom). Reports are, since the secretariat
acts on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Event, Registration, StaffAssignment
from vev.council.permissions import Perm, functions_with, has_perm
from vev.council.services.participants import representations

from ..errors import VenueError
from ..models import Block, Report, VenueProfile

Visibility = VenueProfile.Visibility
InvitesFrom = VenueProfile.InvitesFrom


@dataclass(frozen=True)
class Persona:
    """What the privacy rules need to know about one participant of one event."""

    user_id: int
    name: str
    entity_id: int | None
    entity: str
    region: str
    visibility: str = Visibility.ALL
    dnd: bool = False
    invites_from: str = InvitesFrom.ANYONE

    def to_dict(self) -> dict:
        return {
            "user_id": self.user_id,
            "name": self.name,
            "entity_id": self.entity_id,
            "entity": self.entity,
            "region": self.region,
            "visibility": self.visibility,
            "dnd": self.dnd,
            "invites_from": self.invites_from,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Persona:
        return cls(**data)


def profile(user, event: Event) -> VenueProfile:
    """The user's settings (an unsaved default row when they never changed them)."""
    found = VenueProfile.objects.filter(event=event, user=user).first()
    return found or VenueProfile(event=event, user=user)


def is_participant(user_id: int, event: Event) -> bool:
    return (
        Registration.objects.filter(
            event=event, user_id=user_id, status=Registration.Status.APPROVED
        ).exists()
        or StaffAssignment.objects.filter(event=event, user_id=user_id).exists()
    )


def personas(event: Event, user_ids: Iterable[int] | None = None) -> dict[int, Persona]:
    """Participants of ``event`` (approved or staff) with their venue settings."""
    reps = representations(event)
    wanted = set(reps) if user_ids is None else set(user_ids) & set(reps)
    settings = {p.user_id: p for p in VenueProfile.objects.filter(event=event, user_id__in=wanted)}
    result = {}
    for user_id in wanted:
        rep = reps[user_id]
        setting = settings.get(user_id)
        result[user_id] = Persona(
            user_id=user_id,
            name=rep.name,
            entity_id=rep.entity.pk if rep.entity else None,
            entity=rep.entity.display_name if rep.entity else "",
            region=(rep.entity.itu_region if rep.entity else "") or "",
            visibility=setting.visibility if setting else Visibility.ALL,
            dnd=setting.do_not_disturb if setting else False,
            invites_from=setting.invites_from if setting else InvitesFrom.ANYONE,
        )
    return result


def persona(user, event: Event) -> Persona | None:
    return personas(event, [user.pk]).get(user.pk)


def blocked_ids(user_id: int) -> set[int]:
    """Everyone ``user_id`` blocked or was blocked by: they do not see each other."""
    pairs = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return {a if b == user_id else b for a, b in pairs}


def can_see(viewer: Persona, subject: Persona, blocked: set[int]) -> bool:
    """Whether ``viewer`` may see ``subject`` anywhere in the venue.

    ``blocked`` is ``blocked_ids(viewer.user_id)``.
    """
    if viewer.user_id == subject.user_id:
        return True
    if subject.user_id in blocked:
        return False
    if subject.visibility == Visibility.HIDDEN:
        return False
    if subject.visibility == Visibility.DELEGATION:
        return subject.entity_id is not None and subject.entity_id == viewer.entity_id
    return True


def visible(viewer: Persona, subjects: Iterable[Persona], blocked: set[int]) -> list[Persona]:
    return [s for s in subjects if can_see(viewer, s, blocked)]


def approach_refusal(mover: Persona, other: Persona, blocked: set[int]) -> str | None:
    """Why ``mover`` cannot open a conversation with ``other`` (None: they may).

    Both must see each other; a hidden participant takes part in no conversation; someone in
    do-not-disturb is not approached (and approaches nobody while it is on).
    """
    if mover.visibility == Visibility.HIDDEN:
        return _("You are hidden: make yourself visible to talk to people.")
    if mover.dnd:
        return _("You are in do-not-disturb: turn it off to talk to people.")
    if not can_see(mover, other, blocked) or not can_see(other, mover, blocked):
        return _("You cannot join this conversation.")
    if other.dnd:
        return _("%(name)s does not wish to be disturbed at the moment.") % {"name": other.name}
    return None


def invite_refusal(inviter: Persona, invitee: Persona, blocked: set[int]) -> str | None:
    """Why ``inviter`` may not invite ``invitee`` to a side meeting (None: they may)."""
    if inviter.user_id == invitee.user_id:
        return _("You are the organiser of this meeting.")
    if not can_see(inviter, invitee, blocked) or not can_see(invitee, inviter, blocked):
        return _("%(name)s does not accept invitations from you.") % {"name": invitee.name}
    if invitee.dnd:
        return _("%(name)s does not wish to be disturbed at the moment.") % {"name": invitee.name}
    same_delegation = invitee.entity_id is not None and invitee.entity_id == inviter.entity_id
    if invitee.invites_from == InvitesFrom.NOBODY or (
        invitee.invites_from == InvitesFrom.DELEGATION and not same_delegation
    ):
        return _("%(name)s does not accept invitations from you.") % {"name": invitee.name}
    return None


def invitable(event: Event, inviter) -> list[Persona]:
    """People ``inviter`` may invite, by delegation and name (hidden people never listed)."""
    everyone = personas(event)
    me = everyone.get(inviter.pk)
    if me is None:
        return []
    blocked = blocked_ids(inviter.pk)
    people = [
        p for uid, p in everyone.items() if uid != inviter.pk and not invite_refusal(me, p, blocked)
    ]
    return sorted(people, key=lambda p: (p.entity, p.name))


def search(event: Event, viewer, query: str, limit: int = 25) -> list[Persona]:
    """Participants whose name or delegation contains ``query``, as ``viewer`` may see them."""
    query = (query or "").strip().casefold()
    everyone = personas(event)
    me = everyone.get(viewer.pk)
    if me is None or not query:
        return []
    blocked = blocked_ids(viewer.pk)
    found = [
        p
        for p in everyone.values()
        if p.user_id != viewer.pk
        and can_see(me, p, blocked)
        and (query in p.name.casefold() or query in p.entity.casefold())
    ]
    return sorted(found, key=lambda p: (p.name, p.entity))[:limit]


# --- acts -------------------------------------------------------------------------------------


def _require_participant(user, event: Event) -> None:
    if not has_perm(user, Perm.VENUE_ENTER, event):
        raise VenueError(_("Only participants of this event use the venue."))


@transaction.atomic
def update_settings(
    user, event: Event, *, visibility: str, do_not_disturb: bool, invites_from: str
) -> VenueProfile:
    _require_participant(user, event)
    if visibility not in Visibility.values or invites_from not in InvitesFrom.values:
        raise VenueError(_("Choose one of the options offered."))
    row, _created = VenueProfile.objects.select_for_update().get_or_create(event=event, user=user)
    row.visibility = visibility
    row.do_not_disturb = do_not_disturb
    row.invites_from = invites_from
    row.save(update_fields=["visibility", "do_not_disturb", "invites_from", "updated_at"])
    from .presence_events import settings_changed

    settings_changed(event, user.pk)
    return row


@transaction.atomic
def block(user, event: Event, other_id: int) -> Block:
    _require_participant(user, event)
    if other_id == user.pk:
        raise VenueError(_("You cannot block yourself."))
    if not is_participant(other_id, event):
        raise VenueError(_("This person is not a participant of this event."))
    row, _created = Block.objects.get_or_create(blocker=user, blocked_id=other_id)
    from .presence_events import blocks_changed

    blocks_changed([user.pk, other_id])
    return row


@transaction.atomic
def unblock(user, other_id: int) -> None:
    Block.objects.filter(blocker=user, blocked_id=other_id).delete()
    from .presence_events import blocks_changed

    blocks_changed([user.pk, other_id])


@transaction.atomic
def report(user, event: Event, other_id: int, *, reason: str, details: str, request=None) -> Report:
    _require_participant(user, event)
    details = (details or "").strip()
    if other_id == user.pk:
        raise VenueError(_("You cannot report yourself."))
    if not is_participant(other_id, event):
        raise VenueError(_("This person is not a participant of this event."))
    if reason not in Report.Reason.values:
        raise VenueError(_("Choose a reason."))
    if not details:
        raise VenueError(_("Say briefly what happened, so the secretariat can act."))
    if len(details) > 2000:
        raise VenueError(_("Keep it to 2,000 characters (you wrote %(n)d).") % {"n": len(details)})
    row = Report.objects.create(
        event=event, reporter=user, reported_id=other_id, reason=reason, details=details
    )
    log_action(
        "vev.venue.report.made",
        actor=user,
        event=event,
        target=row,
        data={"reason": reason},
        request=request,
    )
    from vev.notifications.services import notify

    moderators = [
        a.user
        for a in StaffAssignment.objects.filter(
            event=event, function__in=functions_with(Perm.VENUE_MODERATE)
        ).select_related("user")
    ]
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    notify(
        moderators,
        kind="venue.report",
        title=gettext_lazy("A participant was reported in the venue"),
        url=reverse("venue:reports", kwargs={"event": event.slug}),
        event=event,
    )
    return row


@transaction.atomic
def handle_report(report_row: Report, *, by, outcome: str, request=None) -> Report:
    if not has_perm(by, Perm.VENUE_MODERATE, report_row.event):
        raise VenueError(_("Only the secretariat and moderators handle reports."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise VenueError(_("Record what was done about the report."))
    row = Report.objects.select_for_update().get(pk=report_row.pk)
    if row.status == Report.Status.HANDLED:
        raise VenueError(_("This report was already handled."))
    row.status = Report.Status.HANDLED
    row.handled_by = by
    row.handled_at = timezone.now()
    row.outcome = outcome[:2000]
    row.save(update_fields=["status", "handled_by", "handled_at", "outcome", "updated_at"])
    log_action("vev.venue.report.handled", actor=by, event=row.event, target=row, request=request)
    return row


# --- the participant's own data -----------------------------------------------------------------


def export_data(user, event: Event) -> dict:
    """Everything the venue keeps about ``user`` in ``event`` (positions are never kept)."""
    from ..models import Invitation, RobotBooking, RobotQueueEntry, SideMeeting

    setting = profile(user, event)
    meetings = SideMeeting.objects.filter(event=event, invitations__user=user).distinct()
    return {
        "event": event.slug,
        "user": {"name": user.display_name, "email": user.email},
        "exported_at": timezone.now().isoformat(),
        "settings": {
            "visibility": setting.visibility,
            "do_not_disturb": setting.do_not_disturb,
            "invites_from": setting.invites_from,
        },
        "blocked": [
            {"name": b.blocked.display_name, "since": b.created_at.isoformat()}
            for b in Block.objects.filter(blocker=user).select_related("blocked")
        ],
        "reports_made": [
            {
                "about": r.reported.display_name,
                "reason": r.reason,
                "details": r.details,
                "at": r.created_at.isoformat(),
                "status": r.status,
            }
            for r in Report.objects.filter(event=event, reporter=user).select_related("reported")
        ],
        "side_meetings": [
            {
                "title": m.title,
                "room": m.room.name,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "status": m.status,
                "organiser": m.organiser_id == user.pk,
                "my_answer": Invitation.objects.get(side_meeting=m, user=user).status,
            }
            for m in meetings.select_related("room")
        ],
        "robot_bookings": [
            {
                "robot": b.robot.name,
                "starts_at": b.starts_at.isoformat(),
                "ends_at": b.ends_at.isoformat(),
                "status": b.status,
            }
            for b in RobotBooking.objects.filter(robot__event=event, user=user).select_related(
                "robot"
            )
        ],
        "robot_queue": [
            {"robot": q.robot.name, "joined_at": q.joined_at.isoformat(), "status": q.status}
            for q in RobotQueueEntry.objects.filter(robot__event=event, user=user).select_related(
                "robot"
            )
        ],
        "not_kept": [
            "positions on the maps",
            "who was in which conversation",
            "conversation chat and calls (never recorded)",
            "which meetings you joined (only counts, by region; a keyed mark that you were "
            "counted is kept until the meeting is over)",
        ],
    }


@transaction.atomic
def delete_data(user, event: Event, *, request=None) -> dict:
    """Erase the user's venue data in ``event``.

    Future side meetings the user organises are cancelled (invitees are told); their other
    side meetings and invitations, robot bookings and queue places are deleted; reports they
    made stay with the secretariat without their name; their settings and blocks go.
    """
    from ..models import Invitation, RobotBooking, RobotQueueEntry, SideMeeting
    from . import side_meetings

    now = timezone.now()
    counts = {}
    upcoming = SideMeeting.objects.filter(
        event=event, organiser=user, status=SideMeeting.Status.SCHEDULED, ends_at__gt=now
    )
    for meeting in upcoming:
        side_meetings.cancel(meeting, by=user, request=request)
    counts["side_meetings"] = SideMeeting.objects.filter(event=event, organiser=user).delete()[0]
    counts["invitations"] = Invitation.objects.filter(
        side_meeting__event=event, user=user
    ).delete()[0]
    counts["robot_bookings"] = RobotBooking.objects.filter(robot__event=event, user=user).delete()[
        0
    ]
    RobotQueueEntry.objects.filter(robot__event=event, user=user).delete()
    from . import analytics

    counts["join_marks"] = analytics.forget_join_marks_of(user, event)
    counts["reports_anonymised"] = Report.objects.filter(event=event, reporter=user).update(
        reporter=None
    )
    VenueProfile.objects.filter(event=event, user=user).delete()
    Block.objects.filter(blocker=user).delete()
    log_action("vev.venue.data.deleted", actor=user, event=event, request=request)
    from .presence_events import blocks_changed, settings_changed

    settings_changed(event, user.pk)
    blocks_changed([user.pk])
    return counts
