"""Load the 2020 virtual Council session (DM-20/1004) as the demo event.

The meetings and agenda come from ``data/council-2020.json`` (a copy of the shared fixture),
the entities from ``data/entities.json``. Dates can be moved into the near future, keeping the
weekday and the Geneva clock times; ``Event.date_shift_days`` records the shift so the original
dates stay in the record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from vev.core.audit import log_action

from ..models import (
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
from ..signals import demo_loaded

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SESSION_SLUG = "council-2020"
DEMO_PASSWORD = "demo-council-2020"  # noqa: S105 - documented demo credential, demo data only
DEMO_DOMAIN = "vev.test"  # RFC 2606 reserved: never a real mailbox

#: How far ahead of today the demo session opens. The consultation deadline of the 2020 session
#: was 23 days before the opening: four weeks ahead keep it (and the later deadlines) open.
LEAD_DAYS = 28

#: Delegations with more members than their head, to show capacity (3 active per State).
LARGE_DELEGATIONS = {"FR": 4, "US": 2, "CN": 2, "RU": 2, "BR": 1, "KE": 1, "SA": 1, "IN": 1}


def session_data() -> dict:
    return json.loads((DATA_DIR / "council-2020.json").read_text())


def entity_data() -> dict:
    return json.loads((DATA_DIR / "entities.json").read_text())


def shift_for(first_day: date, today: date, lead_days: int = 14) -> int:
    """Whole weeks that move ``first_day`` to at least ``lead_days`` after today."""
    target = today + timedelta(days=lead_days)
    if first_day >= target:
        return 0
    weeks = -(-(target - first_day).days // 7)
    return weeks * 7


def _at(day: date, clock: str, tz: ZoneInfo) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=tz)


@dataclass
class DemoResult:
    event: Event
    users: dict[str, object] = field(default_factory=dict)
    created: bool = True


def _ensure_entities() -> dict[str, Entity]:
    data = entity_data()
    by_key: dict[str, Entity] = {}
    for row in data["council_members"] + data["observer_states"]:
        entity, _ = Entity.objects.update_or_create(
            iso_code=row["iso_code"],
            defaults={
                "kind": Entity.Kind.MEMBER_STATE,
                "name": row["name"],
                "itu_region": row["itu_region"],
                "time_zone": row["time_zone"],
            },
        )
        by_key[row["iso_code"]] = entity
    for row in data["other_entities"]:
        entity, _ = Entity.objects.update_or_create(
            name=row["name"],
            defaults={
                "kind": row["kind"],
                "short_name": row.get("short_name", ""),
                "time_zone": row["time_zone"],
            },
        )
        by_key[row.get("short_name") or row["name"]] = entity
    return by_key


class _DemoUsers:
    def __init__(self) -> None:
        self.password_hash = make_password(DEMO_PASSWORD)
        self.users: dict[str, object] = {}

    def get(self, local_part: str, full_name: str, *, mfa: bool = True, language: str = "en"):
        User = get_user_model()
        email = f"{local_part}@{DEMO_DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "full_name": full_name,
                "password": self.password_hash,
                "is_demo": True,
                "preferred_language": language,
            },
        )
        if created:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            if mfa:
                TOTP.activate(user, generate_totp_secret())
        self.users[local_part] = user
        return user


@transaction.atomic
def load_demo(*, today: date | None = None, shift: bool = True, reset: bool = False) -> DemoResult:
    """Create the demo session, its rehearsal and informal meeting, entities and demo users."""
    existing = Event.objects.filter(slug=SESSION_SLUG).first()
    if existing is not None and not reset:
        return DemoResult(existing, created=False)
    if existing is not None:
        Event.objects.filter(slug__startswith=SESSION_SLUG).delete()
        get_user_model().objects.filter(is_demo=True).delete()

    data = session_data()
    info = data["event"]
    tz = ZoneInfo(info["time_zone"])
    first_day = date.fromisoformat(info["first_day"])
    today = today or timezone.localdate(timezone=tz)
    days = shift_for(first_day, today, LEAD_DAYS) if shift else 0
    delta = timedelta(days=days)
    entities = _ensure_entities()
    secretariat = entities["ITU"]
    window = [time.fromisoformat(t) for t in info["daily_window"]]
    capacity = info["capacity"]

    event = Event.objects.create(
        slug=SESSION_SLUG,
        title=info["title"],
        kind=info["kind"],
        description=info["outcome"],
        time_zone=info["time_zone"],
        first_day=first_day + delta,
        last_day=date.fromisoformat(info["last_day"]) + delta,
        languages=info["languages"],
        daily_window_start=window[0],
        daily_window_end=window[1],
        active_capacity=capacity["active_total"],
        passive_capacity=capacity["passive_total"],
        active_per_member_state=capacity["active_per_member_state_per_meeting"],
        is_public=True,
        secretariat=secretariat,
        support_contact="council-support@vev.test · +41 22 730 5111",
        source="DM-20/1004 Annex 2 (council-2020.json)",
        date_shift_days=days,
    )
    committees = {
        "PL": Committee.objects.create(event=event, code="PL", name="Plenary"),
        "ADM": Committee.objects.create(
            event=event, code="ADM", name="Standing Committee on Administration and Management"
        ),
    }
    position = 0
    meetings_by_code: dict[str, Meeting] = {}
    for meeting_row in data["meetings"]:
        day = date.fromisoformat(meeting_row["date"]) + delta
        code = "Opening" if meeting_row["code"] == "OPENING" else meeting_row["code"]
        meeting = Meeting.objects.create(
            event=event,
            code=code,
            committee=committees[meeting_row["committee"]],
            title="Opening plenary" if code == "Opening" else "",
            starts_at=_at(day, meeting_row["start"], tz),
            ends_at=_at(day, meeting_row["end"], tz),
            access=Meeting.Access.PUBLIC,
        )
        meetings_by_code[code] = meeting
        for index, item_row in enumerate(meeting_row["items"]):
            position += 1
            kind = _item_kind(item_row["title"], code)
            item = AgendaItem.objects.create(
                event=event,
                code=item_row["code"],
                title=item_row["title"],
                kind=kind,
                committee=committees[meeting_row["committee"]],
                position=position,
                opens_session=code == "Opening",
            )
            AgendaAllocation.objects.create(meeting=meeting, item=item, position=index)
    _add_planning_constraints(event, meetings_by_code)

    for milestone in data["milestones"]:
        what = milestone["what"]
        if what.startswith(("rehearsal", "informal")):
            when = milestone.get("datetime") or f"{milestone['date']}T12:00"
            start = datetime.fromisoformat(when).replace(tzinfo=tz) + delta
            kind = (
                Event.Kind.REHEARSAL
                if what.startswith("rehearsal")
                else Event.Kind.INFORMAL_MEETING
            )
            suffix = "rehearsal" if kind == Event.Kind.REHEARSAL else "informal"
            child = Event.objects.create(
                slug=f"{SESSION_SLUG}-{suffix}",
                title=f"{info['title']}: {what.split(':')[0]}",
                kind=kind,
                parent=event,
                description=what,
                time_zone=info["time_zone"],
                first_day=start.date(),
                last_day=start.date(),
                languages=info["languages"],
                secretariat=secretariat,
                support_contact=event.support_contact,
                source=event.source,
                date_shift_days=days,
            )
            Meeting.objects.create(
                event=child,
                code="Rehearsal" if suffix == "rehearsal" else "Informal",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                access=Meeting.Access.PRIVATE,
            )

    members = entity_data()["council_members"]
    observers = entity_data()["observer_states"]
    CouncilMembership.objects.bulk_create(
        [
            CouncilMembership(
                event=event,
                entity=entities[row["iso_code"]],
                status=CouncilMembership.Status.MEMBER,
            )
            for row in members
        ]
        + [
            CouncilMembership(
                event=event, entity=entities[key], status=CouncilMembership.Status.OBSERVER
            )
            for key in [row["iso_code"] for row in observers] + ["GSMA", "ATU", "CITEL"]
        ]
    )

    people = _DemoUsers()
    _create_demo_people(event, entities, people)
    for child in event.children.all():
        for registration in event.registrations.filter(status=Registration.Status.APPROVED):
            Registration.objects.create(
                event=child,
                user=registration.user,
                entity=registration.entity,
                role=registration.role,
                status=registration.status,
                is_focal_point=registration.is_focal_point,
            )
        for assignment in event.staff.all():
            StaffAssignment.objects.create(
                event=child,
                user=assignment.user,
                function=assignment.function,
                languages=assignment.languages,
                entity=assignment.entity,
            )
        CouncilMembership.objects.bulk_create(
            [
                CouncilMembership(event=child, entity=m.entity, status=m.status)
                for m in event.memberships.all()
            ]
        )
    demo_loaded.send(Event, event=event, people=people.users, delta=delta, data=data)
    log_action(
        "vev.council.demo.loaded",
        event=event,
        target=event,
        data={"date_shift_days": days, "source": event.source},
    )
    return DemoResult(event, people.users)


def _add_planning_constraints(event: Event, meetings: dict[str, Meeting]) -> None:
    """The 2020 plan's own rules (DM-20/1004 Annex 2), for the planner to keep.

    Group 1 and 2 packages are taken at the start of the first plenary (pinned to PL 1), and
    the plenary takes the report of the Standing Committee on Administration and Management
    (PL-3.2) after ADM has dealt with all its items.
    """
    items = event.agenda_items.all()
    items.filter(kind__in=[AgendaItem.Kind.PACKAGE_NOTE, AgendaItem.Kind.PACKAGE_APPROVE]).update(
        pinned_meeting=meetings["PL 1"]
    )
    adm_report = items.filter(code="PL-3.2").first()
    if adm_report is not None:
        adm_report.must_follow.set(items.filter(committee__code="ADM"))


def _item_kind(title: str, meeting_code: str) -> str:
    lowered = title.lower()
    if "group 1 package" in lowered:
        return AgendaItem.Kind.PACKAGE_NOTE
    if "group 2 package" in lowered:
        return AgendaItem.Kind.PACKAGE_APPROVE
    if lowered.startswith(("election", "members of the")):  # elections and appointments
        return AgendaItem.Kind.ELECTION
    if lowered.startswith("statement by"):
        return AgendaItem.Kind.PROCEDURAL
    if meeting_code == "Opening" and lowered.startswith(("opening", "approval")):
        return AgendaItem.Kind.PROCEDURAL
    return AgendaItem.Kind.ITEM


def _create_demo_people(event: Event, entities: dict[str, Entity], people: _DemoUsers) -> None:
    now = timezone.now()
    secretariat_user = people.get("secretariat", "Amina Secretariat")
    approved = {
        "status": Registration.Status.APPROVED,
        "decided_at": now,
        "decided_by": secretariat_user,
    }
    staff = [
        ("secretariat", "Amina Secretariat", StaffAssignment.Function.SECRETARIAT, []),
        ("secretariat2", "Louis Secretariat", StaffAssignment.Function.SECRETARIAT, []),
        ("moderator", "Mei Moderator", StaffAssignment.Function.MODERATOR, []),
        ("captioner", "Carla Captioner", StaffAssignment.Function.CAPTIONER, ["en"]),
        ("technician", "Tomás Technician", StaffAssignment.Function.TECHNICIAN, []),
    ]
    for lang in event.languages:
        staff.append(
            (
                f"interpreter.{lang}1",
                f"Interpreter {lang.upper()} 1",
                StaffAssignment.Function.INTERPRETER,
                [lang, "en" if lang != "en" else "fr"],
            )
        )
        staff.append(
            (
                f"interpreter.{lang}2",
                f"Interpreter {lang.upper()} 2",
                StaffAssignment.Function.INTERPRETER,
                [lang, "fr" if lang != "fr" else "en"],
            )
        )
    for local, name, function, languages in staff:
        StaffAssignment.objects.create(
            event=event,
            user=people.get(local, name),
            function=function,
            languages=languages,
            entity=event.secretariat,
        )

    registrations = []
    for row in entity_data()["council_members"]:
        iso = row["iso_code"].lower()
        entity = entities[row["iso_code"]]
        head = people.get(f"head.{iso}", f"Head of delegation, {row['name']}")
        registrations.append(
            Registration(
                event=event,
                user=head,
                entity=entity,
                role=Registration.Role.HEAD_OF_DELEGATION,
                is_focal_point=True,
                **approved,
            )
        )
        for number in range(1, LARGE_DELEGATIONS.get(row["iso_code"], 0) + 1):
            user = people.get(f"councillor{number}.{iso}", f"Councillor {number}, {row['name']}")
            registrations.append(
                Registration(
                    event=event,
                    user=user,
                    entity=entity,
                    role=Registration.Role.COUNCILLOR,
                    **approved,
                )
            )
    for key in ["AT", "SE", "CL", "NZ", "UA", "LB", "GSMA", "ATU", "CITEL"]:
        entity = entities[key]
        user = people.get(f"observer.{key.lower()}", f"Observer, {entity.name}")
        registrations.append(
            Registration(
                event=event,
                user=user,
                entity=entity,
                role=Registration.Role.OBSERVER,
                is_focal_point=True,
                **approved,
            )
        )
    adviser = people.get("adviser.fr", "Adviser, France", language="fr")
    registrations.append(
        Registration(
            event=event,
            user=adviser,
            entity=entities["FR"],
            role=Registration.Role.ADVISER,
            **approved,
        )
    )
    chair = people.get("chair", "Chair of Council")
    registrations.append(
        Registration(
            event=event,
            user=chair,
            entity=entities["KE"],
            role=Registration.Role.COUNCILLOR,
            **approved,
        )
    )
    vice = people.get("vicechair", "Vice-Chair of Council")
    registrations.append(
        Registration(
            event=event,
            user=vice,
            entity=entities["CA"],
            role=Registration.Role.COUNCILLOR,
            **approved,
        )
    )
    applicant = people.get("applicant", "Anna Applicant", mfa=False)
    registrations.append(
        Registration(
            event=event, user=applicant, entity=entities["DE"], role=Registration.Role.COUNCILLOR
        )
    )
    Registration.objects.bulk_create(registrations)
    StaffAssignment.objects.create(event=event, user=chair, function=StaffAssignment.Function.CHAIR)
    StaffAssignment.objects.create(
        event=event, user=vice, function=StaffAssignment.Function.VICE_CHAIR
    )
    people.get("visitor", "Victor Visitor", mfa=False)


def demo_totp_code(user) -> str | None:
    """The current code of a demo account's authenticator (shown only in demo mode)."""
    if not getattr(user, "is_demo", False):
        return None
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    secret = decrypt(authenticator.data["secret"])
    counter = int(timezone.now().timestamp()) // 30
    return format_hotp_value(hotp_value(secret, counter))
