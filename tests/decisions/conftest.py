from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.live.conftest import hubs  # noqa: F401  (room sockets: stop the hubs after a test)
from vev.council.models import Registration
from vev.decisions.models import WrittenProcedure


@pytest.fixture
def users(role_users):
    return role_users


@pytest.fixture
def secretariat(users):
    return users["secretariat"]


@pytest.fixture
def chair(users):
    return users["chair"]


@pytest.fixture
def france(event):
    return factories.member_entity(event, 0)


@pytest.fixture
def kenya(event):
    return factories.member_entity(event, 1)


@pytest.fixture
def japan(event):
    return factories.member_entity(event, 2)


@pytest.fixture
def japan_head(event, japan):
    user = factories.create_user("head.jp@example.org", time_zone="Asia/Tokyo")
    factories.register(user, event, japan, Registration.Role.HEAD_OF_DELEGATION)
    return user


@pytest.fixture
def make_procedure(event, secretariat, chair):
    def make(**kwargs):
        return factories.create_written_procedure(
            event, secretariat=secretariat, chair=chair, **kwargs
        )

    return make


def pass_deadline(procedure: WrittenProcedure, seconds: int = 1) -> WrittenProcedure:
    """Time passes: the deadline is now ``seconds`` in the past (as when the clock moves on)."""
    WrittenProcedure.objects.filter(pk=procedure.pk).update(
        deadline=timezone.now() - timedelta(seconds=seconds)
    )
    procedure.refresh_from_db()
    return procedure


@pytest.fixture
def published(monkeypatch):
    """Events handed to the channel layer: a list of (group, wire dict). They are sent after
    the commit, so run the act in ``django_capture_on_commit_callbacks(execute=True)``."""
    from vev.core.realtime import publish

    sent: list[tuple[str, dict]] = []

    def capture(group, event):
        sent.append((group, event.to_wire() if hasattr(event, "to_wire") else event))

    monkeypatch.setattr(publish, "send_now", capture)
    return sent


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): act()`` runs what the act leaves for after its commit (e-mails,
    real-time events), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
