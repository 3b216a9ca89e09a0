"""Factories for tests: small events built in code, and users of every role."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.utils import timezone

from vev.council.models import (
    AgendaAllocation,
    AgendaItem,
    Committee,
    CouncilMembership,
    Entity,
    Event,
    Meeting,
    Registration,
    StaffAssignment,
)

PASSWORD = "a-long-test-password"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_counter = itertools.count(1)


def create_user(email: str | None = None, *, mfa: bool = True, **fields):
    email = email or f"user{next(_counter)}@example.org"
    user = get_user_model().objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=fields.pop("full_name", email.split("@")[0]),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code(user, offset: int = 0) -> str:
    """The code of ``user``'s authenticator, ``offset`` periods from now."""
    import time as _time

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(_time.time()) // 30 + offset))


def create_entity(
    name: str,
    iso: str | None = None,
    *,
    kind=Entity.Kind.MEMBER_STATE,
    region: str = "B",
    tz: str = "Europe/Paris",
) -> Entity:
    return Entity.objects.create(
        kind=kind, name=name, iso_code=iso, itu_region=region, time_zone=tz
    )


def create_event(
    slug: str = "test-session",
    *,
    members: int = 3,
    observers: int = 1,
    first_day: date | None = None,
    is_public: bool = True,
    **fields,
) -> Event:
    first_day = first_day or timezone.localdate() + timedelta(days=20)
    secretariat = Entity.objects.get_or_create(
        name="Test Secretariat", defaults={"kind": Entity.Kind.SECRETARIAT}
    )[0]
    event = Event.objects.create(
        slug=slug,
        title=fields.pop("title", "Test session"),
        kind=fields.pop("kind", Event.Kind.COUNCIL_SESSION),
        first_day=first_day,
        last_day=first_day + timedelta(days=4),
        is_public=is_public,
        secretariat=secretariat,
        **fields,
    )
    codes = ["FR", "KE", "JP", "BR", "EG", "IN", "CA", "AU"]
    names = ["France", "Kenya", "Japan", "Brazil", "Egypt", "India", "Canada", "Australia"]
    for index in range(members):
        entity = Entity.objects.filter(iso_code=codes[index]).first() or create_entity(
            names[index], codes[index]
        )
        CouncilMembership.objects.create(
            event=event, entity=entity, status=CouncilMembership.Status.MEMBER
        )
    for index in range(observers):
        entity = Entity.objects.filter(name=f"Observer State {index}").first() or create_entity(
            f"Observer State {index}", None
        )
        CouncilMembership.objects.create(
            event=event, entity=entity, status=CouncilMembership.Status.OBSERVER
        )
    committee = Committee.objects.create(event=event, code="PL", name="Plenary")
    tz = ZoneInfo(event.time_zone)
    for day_index, code in enumerate(["PL 1", "PL 2"]):
        day = first_day + timedelta(days=day_index)
        meeting = Meeting.objects.create(
            event=event,
            code=code,
            committee=committee,
            starts_at=datetime.combine(day, time(12), tzinfo=tz),
            ends_at=datetime.combine(day, time(15), tzinfo=tz),
        )
        item = AgendaItem.objects.create(
            event=event,
            code=f"PL-{day_index + 1}",
            title=f"Item {day_index + 1}",
            committee=committee,
            position=day_index,
        )
        AgendaAllocation.objects.create(meeting=meeting, item=item, position=0)
    Meeting.objects.create(
        event=event,
        code="Closed 1",
        committee=committee,
        access=Meeting.Access.CLOSED,
        starts_at=datetime.combine(first_day + timedelta(days=2), time(12), tzinfo=tz),
        ends_at=datetime.combine(first_day + timedelta(days=2), time(15), tzinfo=tz),
    )
    return event


def member_entity(event: Event, index: int = 0) -> Entity:
    return [m.entity for m in event.memberships.filter(status="member").order_by("id")][index]


def observer_entity(event: Event, index: int = 0) -> Entity:
    return [m.entity for m in event.memberships.filter(status="observer").order_by("id")][index]


def register(
    user,
    event: Event,
    entity: Entity,
    role: str = Registration.Role.COUNCILLOR,
    *,
    approved: bool = True,
    focal_point: bool = False,
) -> Registration:
    return Registration.objects.create(
        event=event,
        user=user,
        entity=entity,
        role=role,
        is_focal_point=focal_point,
        status=Registration.Status.APPROVED if approved else Registration.Status.PENDING,
    )


def assign(user, event: Event, function: str, languages: list[str] | None = None):
    return StaffAssignment.objects.create(
        event=event, user=user, function=function, languages=languages or []
    )


ROLE_NAMES = [
    "anonymous",
    "authenticated",
    "pending",
    "no_mfa_councillor",
    "head_of_delegation",
    "councillor",
    "adviser",
    "observer",
    "focal_point",
    "secretariat",
    "chair",
    "vice_chair",
    "moderator",
    "interpreter",
    "captioner",
    "technician",
]


def create_role_users(event: Event) -> dict[str, object]:
    """One user per role in ``event`` (``anonymous`` is None)."""
    users: dict[str, object] = {"anonymous": None}
    users["authenticated"] = create_user("authenticated@example.org", mfa=False)
    users["pending"] = create_user("pending@example.org", mfa=False)
    register(users["pending"], event, member_entity(event, 1), approved=False)
    users["no_mfa_councillor"] = create_user("nomfa@example.org", mfa=False)
    register(users["no_mfa_councillor"], event, member_entity(event, 1))
    users["head_of_delegation"] = create_user("head@example.org")
    register(
        users["head_of_delegation"],
        event,
        member_entity(event, 0),
        Registration.Role.HEAD_OF_DELEGATION,
    )
    users["councillor"] = create_user("councillor@example.org")
    register(users["councillor"], event, member_entity(event, 0))
    users["adviser"] = create_user("adviser@example.org")
    register(users["adviser"], event, member_entity(event, 0), Registration.Role.ADVISER)
    users["observer"] = create_user("observer@example.org")
    register(users["observer"], event, observer_entity(event), Registration.Role.OBSERVER)
    users["focal_point"] = create_user("focal@example.org")
    register(
        users["focal_point"],
        event,
        member_entity(event, 1),
        Registration.Role.HEAD_OF_DELEGATION,
        focal_point=True,
    )
    for function in [
        "secretariat",
        "chair",
        "vice_chair",
        "moderator",
        "interpreter",
        "captioner",
        "technician",
    ]:
        users[function] = create_user(f"{function}@example.org")
        assign(
            users[function], event, function, ["fr", "en"] if function == "interpreter" else None
        )
    return users


def create_document(
    event: Event,
    *,
    symbol: str | None = None,
    group: int = 1,
    status: str = "on_agenda",
    item: AgendaItem | None = None,
    with_file: bool = True,
    pages: int = 1,
):
    """A document of ``event`` (published unless ``status="draft"``) with an English PDF."""
    from django.core.files.base import ContentFile

    from vev.documents.models import Document, DocumentFile, DocumentRevision
    from vev.documents.services.writers import simple_pdf

    symbol = symbol or f"C20/{next(_counter)}"
    document = Document.objects.create(
        event=event,
        symbol=symbol,
        title=f"Report {symbol}",
        group=group,
        status=status,
        agenda_item=item if item is not None else event.agenda_items.order_by("position").first(),
        published_at=None if status == "draft" else timezone.now(),
    )
    if with_file:
        revision = DocumentRevision.objects.create(document=document, number=0)
        data = simple_pdf(symbol, ["text"], pages=pages)
        record = DocumentFile(
            revision=revision,
            language="en",
            format="pdf",
            size=len(data),
            sha256="0" * 64,
            page_count=pages,
        )
        record.file.save(f"{symbol.replace('/', '-')}.pdf", ContentFile(data), save=False)
        record.save()
    return document


def create_written_procedure(
    event: Event,
    *,
    secretariat,
    chair,
    status: str = "open",
    rule: str = "silence",
    hours: float = 48,
    title: str = "Urgent decision",
    text: str = "Council is invited to approve the proposal by correspondence.",
    documents=(),
):
    """A written procedure of ``event`` through the services: a draft, open (launched) or
    closed (launched, then its deadline passed and the sweeper closed it)."""
    from vev.decisions.models import WrittenProcedure
    from vev.decisions.services import closing, procedures

    now = timezone.now()
    procedure = procedures.save_draft(
        event,
        by=secretariat,
        title=title,
        text=text,
        rule=rule,
        deadline=now + timedelta(hours=hours),
        documents=documents,
        instructed_by=chair,
        instructed_at=now - timedelta(hours=1),
    )
    if status in ("open", "closed"):
        procedure = procedures.launch(procedure, by=secretariat)
    if status == "closed":
        WrittenProcedure.objects.filter(pk=procedure.pk).update(deadline=now - timedelta(minutes=1))
        procedure = closing.close(procedure.pk)
    procedure.refresh_from_db()
    return procedure


def open_meeting(event, slug: str = "pl-1") -> Meeting:
    """Make a test meeting current: started a minute ago, in session."""
    meeting = event.meetings.get(slug=slug)
    now = timezone.now()
    meeting.starts_at = now - timezone.timedelta(minutes=1)
    meeting.ends_at = now + timezone.timedelta(hours=3)
    meeting.status = Meeting.Status.LIVE
    meeting.save()
    return meeting
