from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from vev.documents.models import Deadline


@pytest.fixture
def users(role_users):
    return role_users


@pytest.fixture
def secretariat(users):
    return users["secretariat"]


@pytest.fixture
def france(event):
    return factories.member_entity(event, 0)


@pytest.fixture
def doc1(event):
    return factories.create_document(event, symbol="C20/10", group=1)


@pytest.fixture
def doc2(event):
    return factories.create_document(event, symbol="C20/20", group=2)


@pytest.fixture
def doc3(event):
    return factories.create_document(event, symbol="C20/30", group=3)


@pytest.fixture
def doc4(event):
    return factories.create_document(event, symbol="C20/INF/1", group=4)


def set_deadline(event, kind, *, hours: float) -> Deadline:
    return Deadline.objects.update_or_create(
        event=event, kind=kind, defaults={"due_at": timezone.now() + timedelta(hours=hours)}
    )[0]
