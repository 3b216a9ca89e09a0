from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from vev.council.models import AgendaItem, CouncilMembership, Event, Meeting, Registration
from vev.council.permissions import Role, event_roles
from vev.council.services.demo import DEMO_PASSWORD, load_demo, shift_for

GENEVA = ZoneInfo("Europe/Zurich")


@pytest.fixture
def demo(db):
    return load_demo(today=date(2026, 11, 24))


def test_demo_has_the_2020_session(demo):
    event = demo.event
    assert event.kind == Event.Kind.COUNCIL_SESSION
    assert event.memberships.filter(status=CouncilMembership.Status.MEMBER).count() == 48
    assert event.memberships.filter(status=CouncilMembership.Status.OBSERVER).count() >= 3
    codes = list(event.meetings.values_list("code", flat=True))
    assert codes == ["Opening", "PL 1", "PL 2", "ADM 1", "ADM 2", "ADM 3", "ADM 4", "PL 3"]
    assert AgendaItem.objects.filter(event=event).count() == 37
    assert event.children.count() == 2  # rehearsal and informal meeting


def test_demo_moves_dates_but_keeps_weekday_and_geneva_times(demo):
    event = demo.event
    assert event.date_shift_days % 7 == 0
    assert event.first_day >= date(2026, 12, 8)
    assert event.first_day.weekday() == date(2020, 6, 9).weekday()
    for meeting in Meeting.objects.filter(event=event):
        local = meeting.starts_at.astimezone(GENEVA)
        assert local.time() in (time(12, 0), time(13, 0))
        assert meeting.ends_at.astimezone(GENEVA).time() in (time(13, 0), time(15, 0))


def test_demo_without_shift_keeps_2020_dates(db):
    event = load_demo(shift=False).event
    opening = event.meetings.get(code="Opening")
    assert opening.starts_at.astimezone(GENEVA).isoformat() == "2020-06-09T12:00:00+02:00"


def test_demo_users_for_every_role(demo):
    event = demo.event
    User = get_user_model()
    expectations = {
        "secretariat@vev.test": Role.SECRETARIAT,
        "chair@vev.test": Role.CHAIR,
        "vicechair@vev.test": Role.VICE_CHAIR,
        "moderator@vev.test": Role.MODERATOR,
        "head.fr@vev.test": Role.HEAD_OF_DELEGATION,
        "councillor1.fr@vev.test": Role.COUNCILLOR,
        "adviser.fr@vev.test": Role.ADVISER,
        "observer.at@vev.test": Role.OBSERVER,
        "interpreter.ar1@vev.test": Role.INTERPRETER,
        "captioner@vev.test": Role.CAPTIONER,
        "technician@vev.test": Role.TECHNICIAN,
    }
    for email, role in expectations.items():
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert role in event_roles(user, event), email
    assert (
        Registration.objects.get(event=event, user__email="applicant@vev.test").status == "pending"
    )
    france = Registration.objects.filter(event=event, entity__iso_code="FR", status="approved")
    assert france.count() == 6  # head, 4 councillors, adviser: more than 3 active seats


def test_loading_twice_keeps_the_data_and_reset_reloads(demo):
    again = load_demo(today=date(2026, 11, 24))
    assert not again.created and again.event.pk == demo.event.pk
    fresh = load_demo(today=date(2026, 11, 24), reset=True)
    assert fresh.created and fresh.event.pk != demo.event.pk


def test_shift_is_whole_weeks():
    assert shift_for(date(2020, 6, 9), date(2020, 5, 1)) == 0
    assert shift_for(date(2020, 6, 9), date(2026, 11, 24)) % 7 == 0
