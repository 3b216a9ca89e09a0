"""Every view, every role: who gets the page, who is refused.

The test walks the URL configuration, so a new view without a row here fails the suite.
Refused means 403 for a signed-in user, a redirect to sign in for an anonymous visitor; a user
whose role requires two-factor authentication but who has not enrolled is sent to enrol (302)
wherever they go.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from vev.council.models import Registration, StaffAssignment

OK, DENIED, LOGIN, MFA, REDIRECT, NOT_ALLOWED = 200, 403, "login", "mfa", 302, 405
INVALID = 422  # the matrix posts no valid form: the page comes back with its errors

ALL_ROLES = factories.ROLE_NAMES
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

MATRIX = {
    "home": expect(EVERYONE),
    "healthz": expect(EVERYONE, no_mfa=OK),
    "accounts:profile": expect(SIGNED_IN),
    "council:event_detail": expect(EVERYONE),
    "council:register": expect(SIGNED_IN),
    "council:registration_withdraw": expect(SIGNED_IN, others=NOT_ALLOWED, ok_code=NOT_ALLOWED),
    "council:registration_review": expect({"secretariat", "focal_point"}),
    "council:registration_decide": expect(
        {"secretariat", "focal_point"}, method="post", ok_code=REDIRECT
    ),
    "council:delegate_area": expect(PARTICIPANTS),
    "council:participants": expect(PARTICIPANTS),
    "council:staff": expect({"secretariat"}),
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
    "planning:item_edit": expect({"secretariat"}),
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
    "documents:edit": expect({"secretariat"}),
    "documents:revision_add": expect({"secretariat"}, ok_code=REDIRECT),
    "documents:publish": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "documents:set_group": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "documents:withdraw": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "documents:deadlines": expect(PARTICIPANTS),
    "documents:deadline_set": expect({"secretariat"}, method="post"),
    "documents:extension_grant": expect({"secretariat"}, method="post"),
    # the consultation: acts of a Council Member State; the matrix for secretariat and chairs
    "documents:consultation": expect(STATE_ACTORS),
    "documents:matrix": expect(CONSULTATION_VIEWERS),
    "documents:matrix_export": expect(CONSULTATION_VIEWERS),
    "documents:clarification_ask": expect(STATE_ACTORS, method="post", ok_code=REDIRECT),
    "documents:clarifications": expect({"secretariat"}),
    "documents:clarification_answer": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "documents:comment": expect(STATE_ACTORS),
    "documents:comment_draft": expect(STATE_ACTORS, method="post"),
    "documents:summary_record": expect(PARTICIPANTS),
    "documents:contribute": expect(STATE_ACTORS),
    "documents:contribution_file": expect(PARTICIPANTS),
    "documents:contribution_template": expect(PARTICIPANTS),
    "documents:request_make": expect(STATE_ACTORS, method="post", ok_code=REDIRECT),
    "documents:requests": expect({"secretariat"}),
    "documents:request_decide": expect({"secretariat"}, method="post", ok_code=REDIRECT),
    "documents:request_withdraw": expect(STATE_ACTORS, method="post", ok_code=REDIRECT),
}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_view_is_in_the_matrix():
    names = {name for name in url_names() if not name.startswith(EXCLUDED_PREFIXES)}
    covered = {key.split("#")[0] for key in MATRIX}
    missing = names - covered
    assert not missing, f"views without a row in the role matrix: {sorted(missing)}"
    assert not covered - names, f"rows for views that no longer exist: {covered - names}"


def _url(name: str, event, users) -> str:
    base, _, variant = name.partition("#")
    kwargs = {"event": event.slug}
    if base == "council:meeting_detail":
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
    return reverse(base, kwargs=kwargs)


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


CASES = [(name, role) for name in MATRIX for role in ALL_ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_matrix(client, event, role_users, name, role):
    method, table = MATRIX[name]
    expected = table[role]
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
            f"{name} as {role}: {response.status_code}, expected {expected}"
        )


def test_private_event_is_hidden_from_outsiders(client, db):
    private = factories.create_event("private-session", is_public=False)
    users = factories.create_role_users(private)
    url = reverse("council:event_detail", kwargs={"event": private.slug})
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(users["authenticated"])
    assert client.get(url).status_code == 404
    client.force_login(users["pending"])
    assert client.get(url).status_code == 200
    client.force_login(users["councillor"])
    assert client.get(url).status_code == 200


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
