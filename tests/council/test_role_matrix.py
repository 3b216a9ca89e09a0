"""Every view, every role: who gets the page, who is refused.

The test walks the URL configuration, so a new view without a row here fails the suite.
Refused means 403 for a signed-in user, a redirect to sign in for an anonymous visitor; a user
whose role requires two-factor authentication but who has not enrolled is sent to enrol (302)
wherever they go. Views that accept GET and POST have a ``#post`` row too (the matrix posts no
valid form, so the page comes back with its errors where the role may act).

The matrix runs for a public event (``MATRIX``) and again for a non-public one, where only
approved registrants and staff see the pages that are public for a public event: signed-in
outsiders get 404 (the event does not exist for them), pending and declined registrants 403,
except on the event's page, which shows them where their registration stands
(``PRIVATE_MATRIX`` holds the rows that differ). For the non-public event every view is tried
by everyone without an approved part in it (anonymous, signed-in outsider, pending and declined
registrants), and the views whose rule depends on the event being public by every role; the
other views check permissions that only approved registrations and staff functions grant, the
same for both events, and are not tried twice by those roles.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from vev.council.models import Registration, StaffAssignment

OK, DENIED, LOGIN, MFA, REDIRECT, NOT_ALLOWED = 200, 403, "login", "mfa", 302, 405
INVALID = 422  # the matrix posts no valid form: the page comes back with its errors

#: ``declined``: a registration the secretariat declined (for Council Member 1, Kenya).
ALL_ROLES = [*factories.ROLE_NAMES, "declined"]
DELEGATES = {"head_of_delegation", "councillor", "adviser", "observer", "focal_point"}
STAFF = {
    "secretariat",
    "chair",
    "vice_chair",
    "moderator",
    "interpreter",
    "captioner",
    "technician",
}
PARTICIPANTS = DELEGATES | STAFF
#: Head of delegation and councillors of Council Members (the focal point heads member 1).
STATE_ACTORS = {"head_of_delegation", "councillor", "focal_point"}
CONSULTATION_VIEWERS = {"secretariat", "chair", "vice_chair"}
#: Everyone with a registration in the event, whatever became of it.
REGISTRANTS = {"pending", "declined"} | DELEGATES

# Third-party views that only act on the signed-in user's own account (allauth, tested
# upstream) or are Django's own: listed so that nothing is skipped silently.
EXCLUDED_PREFIXES = ("account_", "mfa_", "admin:", "set_language")


def expect(
    ok: set[str], *, method: str = "get", anonymous=LOGIN, others=DENIED, ok_code=OK, no_mfa=MFA
):
    table = {}
    for role in ALL_ROLES:
        if role == "anonymous":
            table[role] = ok_code if "anonymous" in ok else anonymous
        elif role == "no_mfa_councillor":
            table[role] = no_mfa
        else:
            table[role] = ok_code if role in ok else others
    return method, table


EVERYONE = set(ALL_ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}


def _draft_row():
    """A draft written procedure: the secretariat only; participants get 404 (as if it did not
    exist), outsiders are refused by the event permission first."""
    method, table = expect({"secretariat"}, others=404)
    table.update(authenticated=DENIED, pending=DENIED, declined=DENIED)
    return method, table


MATRIX = {
    "home": expect(EVERYONE),
    "healthz": expect(EVERYONE, no_mfa=OK),
    "accounts:profile": expect(SIGNED_IN),
    "accounts:profile#post": expect(SIGNED_IN, method="post"),
    "council:event_detail": expect(EVERYONE),
    "council:register": expect(SIGNED_IN),
    "council:register#post": expect(SIGNED_IN, method="post"),
    "council:registration_withdraw": expect(
        REGISTRANTS, method="post", ok_code=REDIRECT, others=404
    ),
    "council:registration_withdraw#get": expect(SIGNED_IN, others=NOT_ALLOWED, ok_code=NOT_ALLOWED),
    "council:registration_review": expect({"secretariat", "focal_point"}),
    "council:registration_decide": expect(
        {"secretariat", "focal_point"}, method="post", ok_code=REDIRECT
    ),
    "council:delegate_area": expect(PARTICIPANTS),
    "council:participants": expect(PARTICIPANTS),
    "council:staff": expect({"secretariat"}),
    "council:staff#post": expect({"secretariat"}, method="post"),
    "council:staff_remove": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "council:meeting_detail": expect(EVERYONE),
    "council:meeting_detail#closed": expect(
        {"head_of_delegation", "councillor", "adviser", "focal_point"} | STAFF
    ),
    # planning (issue 4)
    "planning:plan": expect(EVERYONE),
    "planning:plan_pdf": expect(EVERYONE),
    "planning:event_calendar": expect(EVERYONE),
    "planning:history": expect(EVERYONE),
    "planning:manage": expect({"secretariat"}),
    "planning:compute": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "planning:settings": expect({"secretariat"}, method="post", ok_code=INVALID),
    "planning:version": expect({"secretariat"}),
    "planning:publish": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "planning:approve": expect(
        {"secretariat", "chair", "vice_chair"}, method="post", ok_code=REDIRECT
    ),
    "planning:item_add": expect({"secretariat"}),
    "planning:item_add#post": expect({"secretariat"}, method="post", ok_code=INVALID),
    "planning:item_edit": expect({"secretariat"}),
    "planning:item_edit#post": expect({"secretariat"}, method="post", ok_code=INVALID),
    "planning:fairness": expect(PARTICIPANTS),
    "planning:running_order": expect(STAFF),
    "planning:running_order_move": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    # Own account only; the feeds are opened with the secret token of the councillor.
    "planning:calendar_settings": expect(SIGNED_IN),
    "planning:calendar_reset": expect(SIGNED_IN, method="post", ok_code=REDIRECT),
    "planning:user_calendar": expect(EVERYONE),
    "planning:user_event_calendar": expect(EVERYONE),
    # notifications: one's own list
    "notifications:list": expect(SIGNED_IN),
    "notifications:mark_read": expect(SIGNED_IN, method="post", ok_code=REDIRECT),
    # documents: the Council website (public event) and the secretariat's pages
    "documents:list": expect(EVERYONE),
    "documents:packages": expect(EVERYONE),
    "documents:detail": expect(EVERYONE),
    "documents:detail#draft": expect({"secretariat"}, anonymous=404, others=404),
    "documents:file": expect(EVERYONE),
    "documents:manage": expect({"secretariat"}),
    "documents:manage#post": expect({"secretariat"}, method="post"),
    "documents:edit": expect({"secretariat"}),
    "documents:edit#post": expect({"secretariat"}, method="post"),
    "documents:revision_add": expect({"secretariat"}, ok_code=REDIRECT),
    "documents:revision_add#post": expect({"secretariat"}, method="post", ok_code=INVALID),
    "documents:publish": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "documents:set_group": expect({"secretariat"}, method="post", ok_code=INVALID),
    "documents:withdraw": expect({"secretariat"}, method="post", ok_code=INVALID),
    "documents:deadlines": expect(PARTICIPANTS),
    "documents:deadline_set": expect({"secretariat"}, method="post"),
    "documents:extension_grant": expect({"secretariat"}, method="post"),
    # the consultation: acts of a Council Member State; the matrix for secretariat and chairs
    "documents:consultation": expect(STATE_ACTORS),
    "documents:consultation#post": expect(STATE_ACTORS, method="post"),
    "documents:matrix": expect(CONSULTATION_VIEWERS),
    "documents:matrix_export": expect(CONSULTATION_VIEWERS),
    "documents:clarification_ask": expect(STATE_ACTORS, method="post", ok_code=INVALID),
    "documents:clarifications": expect({"secretariat"}),
    "documents:clarification_answer": expect({"secretariat"}, method="post", ok_code=INVALID),
    "documents:comment": expect(STATE_ACTORS),
    "documents:comment#post": expect(STATE_ACTORS, method="post"),
    "documents:comment_draft": expect(STATE_ACTORS, method="post"),
    "documents:summary_record": expect(PARTICIPANTS),
    "documents:contribute": expect(STATE_ACTORS),
    "documents:contribute#post": expect(STATE_ACTORS, method="post"),
    "documents:contribution_file": expect(PARTICIPANTS),
    "documents:contribution_template": expect(PARTICIPANTS),
    "documents:request_make": expect(STATE_ACTORS, method="post", ok_code=INVALID),
    "documents:requests": expect({"secretariat"}),
    "documents:request_decide": expect({"secretariat"}, method="post", ok_code=INVALID),
    "documents:request_withdraw": expect(STATE_ACTORS, method="post", ok_code=REDIRECT),
    # venue (VEV 2021): the unified schedule, spaces, privacy, side meetings, robots, set-up
    "venue:schedule": expect(SIGNED_IN),
    "venue:join": expect(PARTICIPANTS, ok_code=REDIRECT),
    "venue:join_links": expect({"secretariat"}),
    "venue:join_links#post": expect({"secretariat"}, method="post", ok_code=INVALID),
    "venue:home": expect(PARTICIPANTS),
    "venue:privacy": expect(PARTICIPANTS),
    "venue:privacy#post": expect(PARTICIPANTS, method="post"),
    "venue:export": expect(PARTICIPANTS),
    "venue:delete_data": expect(PARTICIPANTS, method="post", ok_code=REDIRECT),
    "venue:people": expect(PARTICIPANTS),
    "venue:block": expect(PARTICIPANTS, method="post", ok_code=REDIRECT),
    "venue:unblock": expect(PARTICIPANTS, method="post", ok_code=REDIRECT),
    "venue:report": expect(PARTICIPANTS),
    "venue:report#post": expect(PARTICIPANTS, method="post"),
    "venue:reports": expect({"secretariat", "moderator"}),
    "venue:report_handle": expect({"secretariat", "moderator"}, method="post", ok_code=REDIRECT),
    "venue:side_meetings": expect(PARTICIPANTS),
    "venue:side_meeting_new": expect(PARTICIPANTS),
    "venue:side_meeting_new#post": expect(PARTICIPANTS, method="post", ok_code=INVALID),
    # Private: the councillor organised it and invited the observer; other participants get 404.
    "venue:side_meeting": expect({"councillor", "observer"}, others=DENIED),
    "venue:side_meeting_respond": expect(
        {"councillor", "observer"}, method="post", ok_code=REDIRECT
    ),
    "venue:side_meeting_cancel": expect(
        {"councillor", "observer"}, method="post", ok_code=REDIRECT
    ),
    "venue:side_meeting_ics": expect({"councillor", "observer"}),
    "venue:side_meeting_call": expect({"councillor", "observer"}),
    "venue:robots": expect(PARTICIPANTS),
    "venue:robot": expect(PARTICIPANTS),
    "venue:robot_book": expect(PARTICIPANTS, method="post", ok_code=REDIRECT),
    "venue:robot_booking_act": expect(PARTICIPANTS, method="post", ok_code=REDIRECT),
    "venue:robot_queue": expect(PARTICIPANTS, method="post", ok_code=REDIRECT),
    # Only the delegate holding the robot now (the councillor, checked in) gets the link.
    "venue:robot_control": expect({"councillor"}, ok_code=REDIRECT),
    "venue:exhibit": expect(PARTICIPANTS),
    "venue:file": expect(PARTICIPANTS),
    "venue:manage": expect({"secretariat"}),
    "venue:manage#post": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "venue:manage_new": expect({"secretariat"}),
    "venue:manage_new#post": expect({"secretariat"}, method="post", ok_code=INVALID),
    "venue:manage_edit": expect({"secretariat"}),
    "venue:manage_edit#post": expect({"secretariat"}, method="post", ok_code=INVALID),
    "venue:manage_delete": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "venue:analytics": expect({"secretariat"}),
    "venue:analytics_csv": expect({"secretariat"}),
    "venue:space": expect(PARTICIPANTS),
    "venue:space_list": expect(PARTICIPANTS),
    "venue:space_360": expect(PARTICIPANTS),
    # the live room (issue 5): the room, the chair's console, the technical console
    "live:room": expect(PARTICIPANTS),
    "live:room#closed": expect(
        {"head_of_delegation", "councillor", "focal_point", "chair", "vice_chair"}
    ),
    "live:console": expect({"secretariat", "chair", "vice_chair", "moderator"}),
    "live:tech": expect({"secretariat", "moderator", "technician"}),
    # media (issue 7): the interpreter's booth console; the webcast (public meeting: anyone;
    # closed meetings have none: 404 for those who may see them)
    "live:booth": expect({"interpreter"}),
    "live:webcast": expect(EVERYONE),
    "live:webcast#closed": (
        "get",
        {
            **expect(set())[1],
            **dict.fromkeys(
                {"head_of_delegation", "councillor", "adviser", "focal_point"} | STAFF, 404
            ),
        },
    ),
    # live captions: the captioner's page, the transcript (public meeting of a public event:
    # anyone; closed meeting: as the room), the providers' endpoint (signed address only)
    "live:captioner": expect({"secretariat", "technician", "captioner"}),
    "live:transcript": expect(EVERYONE),
    "live:transcript#closed": expect(
        {"head_of_delegation", "councillor", "focal_point", "chair", "vice_chair"}
    ),
    "live:transcript_text": expect(EVERYONE),
    "live:transcript_vtt": expect(EVERYONE),
    "live:transcript_vtt#closed": expect(
        {"head_of_delegation", "councillor", "focal_point", "chair", "vice_chair"}
    ),
    "captions:ingest": expect(set(), method="post", anonymous=DENIED, no_mfa=DENIED),
    "captions:seq": expect(set(), anonymous=DENIED, no_mfa=DENIED),
    # decisions: written procedures (Rule 3.2); replies are acts of a Council Member State
    "decisions:list": expect(PARTICIPANTS),
    "decisions:conclusions": expect(PARTICIPANTS),
    "decisions:conclusions#post": expect(
        {"secretariat", "chair", "vice_chair"}, method="post", ok_code=422
    ),
    "decisions:create": expect({"secretariat"}),
    "decisions:create#post": expect({"secretariat"}, method="post"),
    "decisions:detail": expect(PARTICIPANTS),
    "decisions:detail#draft": _draft_row(),
    "decisions:edit": expect({"secretariat"}),
    "decisions:edit#post": expect({"secretariat"}, method="post"),
    "decisions:reply": expect(STATE_ACTORS, method="post"),  # the page with the form's errors
    "decisions:withdraw": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "decisions:extend": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "decisions:attachment": expect(PARTICIPANTS),
    "decisions:export": expect(PARTICIPANTS),  # closed: the result for every participant
    "decisions:export#open": expect(CONSULTATION_VIEWERS),  # open: the interim table
    # records: the audit log of the event (audit.view: the secretariat only)
    "records:audit": expect({"secretariat"}),
    "records:audit_export": expect({"secretariat"}),
    # records: a meeting's summary record (published: participants; drafts, edit, publish,
    # versions: records.edit, the secretariat) and the report of proposed conclusions (a
    # secretariat document for the next physical meeting, closed meetings included)
    "records:summary": expect(PARTICIPANTS),
    "records:summary#closed": expect(PARTICIPANTS - {"observer"}),
    "records:summary_edit": expect({"secretariat"}),
    "records:summary_edit#post": expect({"secretariat"}, method="post", ok_code=INVALID),
    "records:summary_publish": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "records:summary_versions": expect({"secretariat"}),
    "records:report": expect({"secretariat"}),
    # support: the event's support contact shown in the meeting rooms
    "support:contact": expect({"secretariat"}),
    "support:contact#post": expect({"secretariat"}, method="post", ok_code=REDIRECT),
}

#: Side meetings are private: participants who were not invited get 404, not 403.
for _name in [
    n for n in MATRIX if n.startswith("venue:side_meeting") and n != "venue:side_meetings"
]:
    if _name.split("#")[0] == "venue:side_meeting_new":
        continue
    for _role in PARTICIPANTS - {"councillor", "observer"}:
        MATRIX[_name][1][_role] = 404


# --- a non-public event ---------------------------------------------------------------------
#: Signed-in outsiders of a non-public event: 404 for strangers, 403 for its registrants who are
#: not (or not yet) approved (they know the event exists).
OUTSIDERS = {"authenticated": 404, "pending": DENIED, "declined": DENIED}


def private(ok: set[str], **kwargs):
    """A page that is public for a public event, for a non-public one: ``ok`` only."""
    method, table = expect(ok, **kwargs)
    table.update({role: code for role, code in OUTSIDERS.items() if role not in ok})
    return method, table


CLOSED_ADMITTED = {"head_of_delegation", "councillor", "adviser", "focal_point"} | STAFF
CLOSED_ROOM = {"head_of_delegation", "councillor", "focal_point", "chair", "vice_chair"}

#: The rows that differ for a non-public event (the views of ``event.view_public``).
PRIVATE_MATRIX = {
    # Its own page: also for whoever registered, to see where their registration stands.
    "council:event_detail": expect(PARTICIPANTS | {"pending", "declined"}, others=404),
    "council:meeting_detail": private(PARTICIPANTS),
    "council:meeting_detail#closed": private(CLOSED_ADMITTED),
    "planning:plan": private(PARTICIPANTS),
    "planning:plan_pdf": private(PARTICIPANTS),
    "planning:event_calendar": private(PARTICIPANTS),
    "planning:history": private(PARTICIPANTS),
    "documents:list": private(PARTICIPANTS),
    "documents:packages": private(PARTICIPANTS),
    "documents:detail": private(PARTICIPANTS),
    "documents:detail#draft": private({"secretariat"}, others=404),
    "documents:file": private(PARTICIPANTS),
    "live:webcast": private(PARTICIPANTS),
    "live:webcast#closed": (
        "get",
        {**private(set())[1], **dict.fromkeys(CLOSED_ADMITTED, 404)},
    ),
    "live:transcript": private(PARTICIPANTS),
    "live:transcript#closed": private(CLOSED_ROOM),
    "live:transcript_text": private(PARTICIPANTS),
    "live:transcript_vtt": private(PARTICIPANTS),
    "live:transcript_vtt#closed": private(CLOSED_ROOM),
}


def url_views(resolver=None, namespace=""):
    """(name, view) of every named URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def url_names():
    for name, _view in url_views():
        yield name


def test_every_view_is_in_the_matrix():
    names = {name for name in url_names() if not name.startswith(EXCLUDED_PREFIXES)}
    covered = {key.split("#")[0] for key in MATRIX}
    missing = names - covered
    assert not missing, f"views without a row in the role matrix: {sorted(missing)}"
    assert not covered - names, f"rows for views that no longer exist: {covered - names}"
    assert not set(PRIVATE_MATRIX) - set(MATRIX)


def test_every_view_of_both_methods_has_a_post_row():
    """A view that also accepts POST is tested by POST: the refusal may differ from GET's."""
    missing = []
    for name, view in url_views():
        cls = getattr(view, "view_class", None)
        if name.startswith(EXCLUDED_PREFIXES) or cls is None:
            continue
        if not (hasattr(cls, "get") and hasattr(cls, "post")):
            continue
        if not any(key.split("#")[0] == name and MATRIX[key][0] == "post" for key in MATRIX):
            missing.append(name)
    assert not missing, f"views accepting GET and POST without a POST row: {sorted(missing)}"


def _url(name: str, event, users) -> str:
    base, _, variant = name.partition("#")
    kwargs = {"event": event.slug}
    if base == "council:meeting_detail" or base.startswith("live:"):
        kwargs["meeting"] = "closed-1" if variant == "closed" else "pl-1"
    elif base == "council:registration_decide":
        kwargs["pk"] = Registration.objects.get(user=users["pending"]).pk
    elif base == "council:staff_remove":
        kwargs["pk"] = StaffAssignment.objects.get(user=users["technician"]).pk
    elif base in ("home", "healthz", "accounts:profile") or base.startswith("notifications:"):
        kwargs = {}
    elif base.startswith("planning:"):
        kwargs = _planning_kwargs(base, event, users)
    elif base.startswith("documents:"):
        kwargs.update(_document_kwargs(base, variant, event, users))
    elif base.startswith("venue:"):
        kwargs = _venue_kwargs(base, event, users)
    if base.startswith("captions:"):  # the providers' endpoint: no kwargs, a signed query
        kwargs = {}
    elif base.startswith("decisions:"):
        kwargs.update(_decision_kwargs(base, variant, event, users))
    elif base == "records:audit_export":
        kwargs["format"] = "jsonl"
    elif base.startswith("records:summary"):
        kwargs["meeting"] = "closed-1" if variant == "closed" else "pl-1"
    elif base == "records:report":
        kwargs["format"] = "docx"
    return reverse(base, kwargs=kwargs)


def _venue_kwargs(base: str, event, users) -> dict:
    """A venue with a lounge (360° view, background), a meeting room, an exhibit, a robot."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tests.venue.conftest import create_venue
    from vev.venue.models import Exhibit, Report, RobotBooking, SideMeeting

    venue = create_venue(event)
    space = venue.spaces.get()
    space.stream_kind, space.stream_url = "hls", "https://stream.example/lounge.m3u8"
    space.background.save("map.svg", ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg"/>'))
    kwargs = {"event": event.slug}
    name = base.split(":")[1]
    if name == "schedule":
        return {}
    if name in ("join", "join_links"):
        kwargs["meeting"] = "pl-1"
    elif name in ("block", "unblock", "report"):
        kwargs["user"] = users["observer"].pk if users else 0
    elif name == "report_handle":
        kwargs["pk"] = Report.objects.create(
            event=event,
            reporter=users["councillor"],
            reported=users["observer"],
            reason="spam",
            details="Unwanted messages.",
        ).pk
    elif name.startswith("side_meeting") and name not in ("side_meetings", "side_meeting_new"):
        start = timezone.now().replace(microsecond=0)
        meeting = SideMeeting.objects.create(
            event=event,
            room=space.areas.first(),
            organiser=users["councillor"],
            title="Talk",
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
        )
        meeting.invitations.create(user=users["councillor"], status="accepted")
        meeting.invitations.create(user=users["observer"], status="accepted")
        kwargs["pk"] = meeting.pk
    elif name.startswith("robot") and name != "robots":
        robot = event.robots.get()
        kwargs["pk"] = robot.pk
        if name in ("robot_booking_act", "robot_control"):
            now = timezone.now()
            booking = RobotBooking.objects.create(
                robot=robot,
                user=users["councillor"],
                starts_at=now - timedelta(minutes=1),
                ends_at=now + timedelta(minutes=29),
                status="checked_in",
                checked_in_at=now,
            )
            if name == "robot_booking_act":
                kwargs.update(booking=booking.pk, action="hand-over")
    elif name == "exhibit":
        kwargs["pk"] = Exhibit.objects.create(
            space=space, kind="link", title="Visit", url="https://example.org/"
        ).pk
    elif name == "file":
        kwargs.update(kind="background", pk=space.pk)
    elif name in ("manage_new", "manage_edit", "manage_delete"):
        kwargs["kind"] = "space"
        if name != "manage_new":
            kwargs["pk"] = space.pk
    elif name in ("space", "space_list", "space_360"):
        kwargs["space"] = space.slug
    return kwargs


def _planning_kwargs(base: str, event, users) -> dict:
    from vev.planning.services import calendar, planner, publishing

    kwargs = {"event": event.slug}
    if base in ("planning:version", "planning:publish", "planning:approve"):
        version = planner.compute_plan(event, by=users["secretariat"])
        if base == "planning:approve":
            publishing.publish_version(version, by=users["secretariat"])
        kwargs["number"] = version.number
    elif base == "planning:item_edit":
        kwargs["pk"] = event.agenda_items.first().pk
    elif base in ("planning:running_order", "planning:running_order_move"):
        kwargs["meeting"] = "pl-1"
        if base == "planning:running_order_move":
            meeting = event.meetings.get(slug="pl-1")
            other = event.agenda_items.exclude(allocations__meeting=meeting).first()
            meeting.allocations.create(item=other, position=1)
            kwargs["pk"] = meeting.allocations.order_by("position").first().pk
    elif base in ("planning:calendar_settings", "planning:calendar_reset"):
        kwargs = {}
    elif base == "planning:user_calendar":
        kwargs = {"token": calendar.feed_token(users["councillor"]).token}
    elif base == "planning:user_event_calendar":
        kwargs["token"] = calendar.feed_token(users["councillor"]).token
    return kwargs


def _document_kwargs(base: str, variant: str, event, users) -> dict:
    """Objects the documents views act on: a published group 1 document and what hangs off it."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from vev.documents.models import Clarification, Contribution, DocumentRequest

    document = factories.create_document(
        event, status="draft" if variant == "draft" else "on_agenda"
    )
    state = factories.member_entity(event, 0)
    if base == "documents:file":
        return {"document": document.pk, "file": document.revisions.get().files.get().pk}
    if base == "documents:contribution_file":
        contribution = Contribution(
            document=document,
            entity=state,
            title="C",
            format="pdf",
            size=4,
            sha256="0" * 64,
            submitted_at=timezone.now(),
            page_count=1,
        )
        contribution.file.save("c.pdf", ContentFile(b"%PDF"), save=False)
        contribution.save()
        return {"document": document.pk, "contribution": contribution.pk}
    if base == "documents:clarification_answer":
        question = Clarification.objects.create(
            document=document, entity=state, question="Why?", asked_at=timezone.now()
        )
        return {"pk": question.pk}
    if base in ("documents:request_decide", "documents:request_withdraw"):
        record = DocumentRequest.objects.create(
            document=document,
            entity=state,
            kind="defer",
            requested_at=timezone.now(),
            status="applied",
        )
        return {"pk": record.pk}
    if base == "documents:matrix_export":
        return {"format": "csv"}
    if base in (
        "documents:list",
        "documents:packages",
        "documents:manage",
        "documents:deadlines",
        "documents:deadline_set",
        "documents:extension_grant",
        "documents:consultation",
        "documents:matrix",
        "documents:clarifications",
        "documents:summary_record",
        "documents:contribution_template",
        "documents:requests",
    ):
        return {}
    return {"document": document.pk}


def _decision_kwargs(base: str, variant: str, event, users) -> dict:
    """A written procedure: open, a draft (for the edit page) or closed (for the result)."""
    from django.core.files.base import ContentFile

    from vev.decisions.models import WrittenProcedureAttachment

    if base in ("decisions:list", "decisions:create", "decisions:conclusions"):
        return {}
    if base == "decisions:edit" or variant == "draft":
        status = "draft"
    elif base in ("decisions:export", "decisions:attachment") and variant != "open":
        status = "closed"
    else:
        status = "open"
    procedure = factories.create_written_procedure(
        event, secretariat=users["secretariat"], chair=users["chair"], status=status
    )
    kwargs = {"number": procedure.number}
    if base == "decisions:export":
        kwargs["format"] = "csv"
    elif base == "decisions:attachment":
        attachment = WrittenProcedureAttachment(
            procedure=procedure, format="pdf", size=4, sha256="0" * 64, original_name="a.pdf"
        )
        attachment.file.save("a.pdf", ContentFile(b"%PDF"), save=False)
        attachment.save()
        kwargs["attachment"] = attachment.pk
    return kwargs


@pytest.fixture
def event(request, db):
    """The matrix's event: public (the default) or, parametrized, non-public."""
    return factories.create_event(is_public=getattr(request, "param", "public") == "public")


@pytest.fixture
def matrix_users(event, role_users):
    users = dict(role_users)
    users["declined"] = factories.create_user("declined@example.org", mfa=False)
    registration = factories.register(
        users["declined"], event, factories.member_entity(event, 1), approved=False
    )
    registration.status = Registration.Status.REJECTED
    registration.decision_note = "Not accredited by the Member State."
    registration.save()
    return users


#: Roles without an approved part in the event: on a non-public event they try every view.
NOT_APPROVED = ["anonymous", "authenticated", "pending", "declined"]

CASES = [("public", name, role) for name in MATRIX for role in ALL_ROLES] + [
    ("private", name, role)
    for name in MATRIX
    for role in (ALL_ROLES if name in PRIVATE_MATRIX else NOT_APPROVED)
]


@pytest.mark.parametrize(
    ("event", "name", "role"),
    CASES,
    ids=[f"{n}-{r}" if p == "public" else f"private:{n}-{r}" for p, n, r in CASES],
    indirect=["event"],
)
def test_role_matrix(client, event, matrix_users, name, role):
    rows = MATRIX if event.is_public else {**MATRIX, **PRIVATE_MATRIX}
    method, table = rows[name]
    expected = table[role]
    role_users = matrix_users
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    url = _url(name, event, role_users)
    data = {"decision": "approve"} if method == "post" else None
    response = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302
        assert "/accounts/2fa/totp/activate" in response["Location"]
    else:
        assert response.status_code == expected, (
            f"{name} as {role} ({'public' if event.is_public else 'non-public'} event): "
            f"{response.status_code}, expected {expected}"
        )


def test_private_event_is_hidden_from_outsiders(client, db):
    private = factories.create_event("private-session", is_public=False)
    users = factories.create_role_users(private)
    url = reverse("council:event_detail", kwargs={"event": private.slug})
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(users["authenticated"])
    assert client.get(url).status_code == 404
    client.force_login(users["pending"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Awaiting approval" in html  # where the registration stands
    for hidden in ("documents:list", "planning:plan"):  # no links to pages they may not see
        assert reverse(hidden, kwargs={"event": private.slug}) not in html
    assert client.get(reverse("documents:list", kwargs={"event": private.slug})).status_code == 403
    client.force_login(users["councillor"])
    html = client.get(url).content.decode()
    assert reverse("documents:list", kwargs={"event": private.slug}) in html


def test_focal_point_decides_only_their_delegation(client, event, role_users):
    other = factories.create_user("other-delegation@example.org", mfa=False)
    registration = factories.register(
        other, event, factories.member_entity(event, 0), approved=False
    )
    client.force_login(role_users["focal_point"])  # focal point of member 1, not member 0
    url = reverse(
        "council:registration_decide", kwargs={"event": event.slug, "pk": registration.pk}
    )
    client.post(url, {"decision": "approve"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
