from datetime import UTC, datetime

import pytest

from vev.council.services.demo import load_demo

#: A week before the 2020 session: every 2020 meeting is still to come.
BEFORE_2020 = datetime(2020, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def council_2020(db):
    return load_demo(shift=False).event


@pytest.fixture
def secretariat_2020(council_2020):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email="secretariat@vev.test")
