import pytest
from django.db import connection

from vev.core.audit import log_action


@pytest.fixture
def users(role_users):
    return role_users


@pytest.fixture
def secretariat(users):
    return users["secretariat"]


def tamper(sql: str, params=()) -> None:
    """Change the log behind the application's back, as someone with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def json_param() -> str:
    """Placeholder for a JSON value in raw SQL (PostgreSQL's jsonb needs the cast)."""
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


@pytest.fixture
def acts(event, users):
    """A few acts of the event by real people, and one of another event."""
    from tests import factories

    other = factories.create_event("other-session")
    log_action("vev.council.demo.loaded", event=other)
    entries = [
        log_action(
            "vev.documents.consultation.replied",
            actor=users["councillor"],
            event=event,
            data={"symbol": "C20/37", "entity": "France", "choice": "move"},
        ),
        log_action(
            "vev.documents.deadline.extended",
            actor=users["secretariat"],
            event=event,
            data={"kind": "consultation", "entity": "Côte d'Ivoire", "reason": "Outage"},
        ),
        log_action("vev.decisions.procedure.closed", event=event, data={"result": "adopted"}),
        log_action(
            "vev.decisions.reply.given",
            actor=users["focal_point"],
            event=event,
            data={"entity": "Kenya", "choice": "object", "statement": "Kenya objects."},
        ),
        log_action("vev.somewhere.new_act", actor=users["chair"], event=event, data={"x": 1}),
    ]
    return entries
