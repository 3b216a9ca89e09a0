"""Roles and permissions of vev, named in one place.

Every view declares the permission it needs (``EventPermissionMixin.permission``) and every
WebSocket command does the same; both resolve through :func:`has_perm`. Roles are derived from an
event's registrations (delegation roles) and staff assignments (functions). ``docs/permissions.md``
shows the matrix; ``tests/council/test_role_matrix.py`` proves every view refuses the wrong role.
"""

from __future__ import annotations

import time
from enum import StrEnum

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vev.accounts.policies import has_second_factor

from .models import CouncilMembership, Event, Registration, StaffAssignment


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    AUTHENTICATED = "authenticated"  # signed in, no approved part in this event
    HEAD_OF_DELEGATION = "head_of_delegation"  # of a Council Member State
    COUNCILLOR = "councillor"
    ADVISER = "adviser"
    OBSERVER = "observer"  # delegate of a non-member state or other entity
    FOCAL_POINT = "focal_point"  # may approve their own delegation
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MODERATOR = "moderator"
    INTERPRETER = "interpreter"
    CAPTIONER = "captioner"
    TECHNICIAN = "technician"


class Perm(StrEnum):
    # event
    EVENT_VIEW_PUBLIC = "event.view_public"  # public pages: anyone (public event), else event.view
    EVENT_VIEW = "event.view"  # non-public pages of an event
    EVENT_MANAGE = "event.manage"  # settings, meetings, agenda
    EVENT_REGISTER = "event.register"  # ask to take part
    PARTICIPANTS_VIEW = "event.participants.view"
    REGISTRATION_REVIEW = "registration.review"  # decide any registration
    REGISTRATION_REVIEW_OWN = "registration.review_own"  # focal point: own delegation
    STAFF_MANAGE = "staff.manage"
    AUDIT_VIEW = "audit.view"
    # meetings
    MEETING_VIEW = "meeting.view"  # a meeting's page (public meetings: anyone)
    MEETING_ATTEND = "meeting.attend"  # enter the live room
    MEETING_ATTEND_CLOSED = "meeting.attend_closed"  # enter a closed meeting
    MEETING_PRESIDE = "meeting.preside"  # give the floor, call items, put conclusions
    MEETING_DECIDE = "meeting.decide"  # object, reply to consultations: Council Members only
    MEETING_RUNNING_ORDER = "meeting.running_order"  # the chair's running order, time used
    MEETING_MODERATE = (
        "meeting.moderate"  # the list of speakers and floor, mute, remove, lock, chat
    )
    MEETING_SUPPORT = "meeting.support"  # support tickets, connection log, reset a connection
    # agenda and time-management plan (vev.planning)
    AGENDA_MANAGE = "agenda.manage"  # items, estimates, constraints, plan, publish, reorder
    PLAN_APPROVE = "plan.approve"  # record the opening plenary's approval of a plan version
    # media (audio, interpretation, video, recording)
    MEDIA_INTERPRET = "media.interpret"  # work in a booth: booth microphone, handover, relay
    MEDIA_MODERATE = "media.moderate"  # mute all / unmute all / mute one / kick on Janus
    MEDIA_RECORD = "media.record"  # start and stop recording a meeting
    # documents and the consultation (DM-20/1004 Annex 2)
    DOCUMENTS_MANAGE = "documents.manage"  # upload, group, publish, deadlines, answer, decide
    CONSULTATION_VIEW = "consultation.view"  # the live matrix of replies and its exports
    CONSULTATION_REPLY = "consultation.reply"  # keep or move, for one's Council Member State
    DOCUMENTS_REQUEST = "documents.request"  # discuss, defer, regroup: for one's State
    DOCUMENTS_SUBMIT = "documents.submit"  # clarifications, comments, contributions
    # the virtual venue (VEV 2021)
    VENUE_ENTER = "venue.enter"  # spaces, conversations, side meetings, robots, exhibits
    VENUE_MANAGE = "venue.manage"  # spaces, areas, exhibits, sponsors, robots, join links, counts
    VENUE_MODERATE = "venue.moderate"  # read and handle reports about participants
    # live captions (vev.live: DM-20/1004 Annex 3)
    CAPTIONS_MANAGE = "captions.manage"  # create, rotate and revoke a meeting's caption address
    CAPTIONS_PROVIDE = "captions.provide"  # the captioner's page: the address, the feed's state
    # decisions: the written procedure of Council RoP Rule 3.2 (DM-20/1004 Annex 1 §2)
    DECISIONS_MANAGE = "decisions.manage"  # draft, launch, extend, withdraw written procedures
    DECISIONS_MONITOR = "decisions.monitor"  # live table of replies by State while open
    DECISIONS_REPLY = "decisions.reply"  # agree, object, abstain: for one's Council Member State
    # records: the summary record of each meeting (vev.records)
    RECORDS_EDIT = "records.edit"  # edit a meeting's summary record, see drafts, publish it


_DELEGATE = {
    Perm.EVENT_VIEW,
    Perm.PARTICIPANTS_VIEW,
    Perm.MEETING_VIEW,
    Perm.MEETING_ATTEND,
    Perm.VENUE_ENTER,
}
_STAFF = _DELEGATE | {Perm.MEETING_ATTEND_CLOSED, Perm.MEETING_RUNNING_ORDER}
_PRESIDING = _STAFF | {
    Perm.MEETING_PRESIDE,
    Perm.MEETING_MODERATE,
    Perm.MEDIA_MODERATE,
    Perm.PLAN_APPROVE,
    Perm.CONSULTATION_VIEW,
    Perm.DECISIONS_MONITOR,
}
#: Acts of a Council Member State, by its head of delegation or a councillor.
_STATE_ACTS = {
    Perm.MEETING_DECIDE,
    Perm.CONSULTATION_REPLY,
    Perm.DOCUMENTS_REQUEST,
    Perm.DOCUMENTS_SUBMIT,
    Perm.DECISIONS_REPLY,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ANONYMOUS: frozenset(),
    Role.AUTHENTICATED: frozenset({Perm.EVENT_REGISTER}),
    Role.HEAD_OF_DELEGATION: frozenset(_DELEGATE | {Perm.MEETING_ATTEND_CLOSED} | _STATE_ACTS),
    Role.COUNCILLOR: frozenset(_DELEGATE | {Perm.MEETING_ATTEND_CLOSED} | _STATE_ACTS),
    Role.ADVISER: frozenset(_DELEGATE | {Perm.MEETING_ATTEND_CLOSED}),
    Role.OBSERVER: frozenset(_DELEGATE),
    Role.FOCAL_POINT: frozenset({Perm.REGISTRATION_REVIEW_OWN}),
    Role.SECRETARIAT: frozenset(
        _STAFF
        | {
            Perm.EVENT_MANAGE,
            Perm.REGISTRATION_REVIEW,
            Perm.REGISTRATION_REVIEW_OWN,
            Perm.STAFF_MANAGE,
            Perm.AUDIT_VIEW,
            Perm.AGENDA_MANAGE,
            Perm.PLAN_APPROVE,
            Perm.MEDIA_MODERATE,
            Perm.MEDIA_RECORD,
            Perm.MEETING_MODERATE,
            Perm.MEETING_SUPPORT,
            Perm.DOCUMENTS_MANAGE,
            Perm.CONSULTATION_VIEW,
            Perm.VENUE_MANAGE,
            Perm.VENUE_MODERATE,
            Perm.CAPTIONS_MANAGE,
            Perm.CAPTIONS_PROVIDE,
            Perm.DECISIONS_MANAGE,
            Perm.DECISIONS_MONITOR,
            Perm.RECORDS_EDIT,
        }
    ),
    Role.CHAIR: frozenset(_PRESIDING),
    Role.VICE_CHAIR: frozenset(_PRESIDING),
    Role.MODERATOR: frozenset(
        _STAFF
        | {Perm.MEDIA_MODERATE, Perm.MEETING_MODERATE, Perm.MEETING_SUPPORT, Perm.VENUE_MODERATE}
    ),
    Role.INTERPRETER: frozenset(_STAFF | {Perm.MEDIA_INTERPRET}),
    Role.CAPTIONER: frozenset(_STAFF | {Perm.CAPTIONS_PROVIDE}),
    Role.TECHNICIAN: frozenset(
        _STAFF
        | {Perm.MEDIA_MODERATE, Perm.MEETING_SUPPORT}
        | {Perm.CAPTIONS_MANAGE, Perm.CAPTIONS_PROVIDE}
    ),
}

#: Roles that can act in a meeting; a user holding one must use a second factor.
ACTING_ROLES = frozenset(ROLE_PERMISSIONS) - {Role.ANONYMOUS, Role.AUTHENTICATED}

_DELEGATION_ROLE = {
    Registration.Role.HEAD_OF_DELEGATION: Role.HEAD_OF_DELEGATION,
    Registration.Role.COUNCILLOR: Role.COUNCILLOR,
    Registration.Role.ADVISER: Role.ADVISER,
    Registration.Role.OBSERVER: Role.OBSERVER,
}
_FUNCTION_ROLE = {
    StaffAssignment.Function.SECRETARIAT: Role.SECRETARIAT,
    StaffAssignment.Function.CHAIR: Role.CHAIR,
    StaffAssignment.Function.VICE_CHAIR: Role.VICE_CHAIR,
    StaffAssignment.Function.MODERATOR: Role.MODERATOR,
    StaffAssignment.Function.INTERPRETER: Role.INTERPRETER,
    StaffAssignment.Function.CAPTIONER: Role.CAPTIONER,
    StaffAssignment.Function.TECHNICIAN: Role.TECHNICIAN,
}


def functions_with(perm: Perm) -> list[str]:
    """The staff functions whose role carries ``perm`` (e.g. whom to tell about a report)."""
    return [f for f, role in _FUNCTION_ROLE.items() if perm in ROLE_PERMISSIONS[role]]


def is_council_member(event: Event, entity_id: int) -> bool:
    return CouncilMembership.objects.filter(
        event=event, entity_id=entity_id, status=CouncilMembership.Status.MEMBER
    ).exists()


#: Roles are cached on the user object. A change made in this process invalidates at once
#: (the generation counter); one made in another server process shows within ROLE_CACHE_SECONDS.
ROLE_CACHE_SECONDS = 5.0
_generation: dict[int, int] = {}


def _cache(user) -> dict:
    cache = getattr(user, "_vev_role_cache", None)
    now = time.monotonic()
    generation = _generation.get(user.pk, 0)
    if cache is None or cache["generation"] != generation or now - cache["at"] > ROLE_CACHE_SECONDS:
        cache = {"generation": generation, "at": now}
        user._vev_role_cache = cache
    return cache


def forget_roles(user) -> None:
    """Call after changing a user's registrations or functions."""
    _generation[user.pk] = _generation.get(user.pk, 0) + 1


def _mfa_ok(user, cache: dict) -> bool:
    if "mfa" not in cache:
        cache["mfa"] = has_second_factor(user)
    return cache["mfa"]


def granted_roles(user, event: Event) -> frozenset[Role]:
    """Roles granted by approved registrations and assignments, before the MFA gate."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset({Role.ANONYMOUS})
    cache = _cache(user)
    key = ("granted", event.pk)
    if key in cache:
        return cache[key]
    roles: set[Role] = {Role.AUTHENTICATED}
    if user.is_superuser:
        roles.add(Role.SECRETARIAT)
    registration = (
        Registration.objects.filter(event=event, user=user, status=Registration.Status.APPROVED)
        .only("role", "entity_id", "is_focal_point")
        .first()
    )
    if registration is not None:
        if is_council_member(event, registration.entity_id):
            roles.add(_DELEGATION_ROLE[registration.role])
        else:
            roles.add(Role.OBSERVER)
        if registration.is_focal_point:
            roles.add(Role.FOCAL_POINT)
    for function in StaffAssignment.objects.filter(event=event, user=user).values_list(
        "function", flat=True
    ):
        roles.add(_FUNCTION_ROLE[function])
    result = frozenset(roles)
    cache[key] = result
    return result


def event_roles(user, event: Event) -> frozenset[Role]:
    """Effective roles: acting roles count only once the user has a second factor."""
    roles = granted_roles(user, event)
    if roles & ACTING_ROLES and not _mfa_ok(user, _cache(user)):
        return frozenset({Role.AUTHENTICATED})
    return roles


def has_perm(user, perm: Perm, event: Event) -> bool:
    if perm == Perm.EVENT_VIEW_PUBLIC:
        # The pages of a public event are public; those of a non-public event are for its
        # approved registrants and staff only (a pending or declined registration is not enough:
        # the event page admits them separately, see ``has_registration``).
        return event.is_public or has_perm(user, Perm.EVENT_VIEW, event)
    return any(perm in ROLE_PERMISSIONS[role] for role in event_roles(user, event))


def has_registration(user, event: Event) -> bool:
    """Whether ``user`` asked to take part in ``event``, whatever became of the request.

    Not a permission: it lets the event's own page show a pending, declined or withdrawn
    registrant where their registration stands, and tells them 403 rather than 404 elsewhere
    (they know the event exists).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(event=event, user=user).exists()


def user_requires_mfa(user) -> bool:
    """Registered with MFA policy: anyone approved in an event or assigned a function."""
    return (
        Registration.objects.filter(user=user, status=Registration.Status.APPROVED).exists()
        or StaffAssignment.objects.filter(user=user).exists()
    )


def may_enter_closed_meeting(user, meeting) -> bool:
    """Closed meetings (Council RoP 8): Councillors, the presiding officers, named staff.

    Councillors are the head of delegation and councillors of a Council Member of the event;
    advisers and observers are not admitted; staff only when the secretariat named them for
    this meeting (``council.ClosedMeetingStaff``), so that everyone present who is not a
    Councillor is known by name and function.
    """
    roles = event_roles(user, meeting.event)
    if roles & {Role.HEAD_OF_DELEGATION, Role.COUNCILLOR, Role.CHAIR, Role.VICE_CHAIR}:
        return True
    if not roles & ACTING_ROLES:
        return False
    return meeting.closed_staff.filter(user=user).exists()


def can_see_meeting(user, meeting) -> bool:
    """A meeting's page: public meetings of public events to anyone, others by permission."""
    event = meeting.event
    if meeting.is_public and event.is_public:
        return True
    if meeting.is_closed:
        return has_perm(user, Perm.MEETING_ATTEND_CLOSED, event)
    return has_perm(user, Perm.MEETING_VIEW, event)


class EventPermissionMixin(AccessMixin):
    """Load the event named in the URL, then require ``permission`` on it.

    Anonymous users are sent to log in; signed-in users without the permission get 403.
    Every event-scoped view declares ``permission``; leaving it unset is an error.
    """

    permission: Perm | None = None
    event: Event

    def dispatch(self, request, *args, **kwargs):
        if self.permission is None:
            raise PermissionDenied("This view declares no permission.")
        self.event = get_object_or_404(Event, slug=kwargs["event"])
        if not self.permitted(request.user):
            if not request.user.is_authenticated:
                return self.handle_no_permission()
            if self.permission == Perm.EVENT_VIEW_PUBLIC and not has_registration(
                request.user, self.event
            ):
                raise Http404  # a non-public event does not exist for outsiders
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def permitted(self, user) -> bool:
        """``permission`` on the event; a view widens it only for a stated reason."""
        return has_perm(user, self.permission, self.event)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["roles"] = event_roles(self.request.user, self.event)
        if self.request.user.is_authenticated and "me" not in context:
            from .services.participants import representation

            context["me"] = representation(self.request.user, self.event)
        context["perms_event"] = {
            perm.name: has_perm(self.request.user, perm, self.event) for perm in Perm
        }
        return context
