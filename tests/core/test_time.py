from datetime import UTC, datetime

from django.template import Context, Template
from django.test import RequestFactory

from tests import factories


def render(template: str, **context) -> str:
    return Template("{% load vev_time %}" + template).render(Context(context))


def test_dual_time_shows_event_zone_and_utc_instant():
    html = render(
        "{% dual_time when 'Europe/Zurich' %}", when=datetime(2026, 12, 8, 11, 0, tzinfo=UTC)
    )
    assert 'datetime="2026-12-08T11:00:00Z"' in html
    assert "12:00 CET" in html


def test_dual_time_across_daylight_saving():
    html = render(
        "{% dual_time when 'Europe/Zurich' 'TIME_FORMAT' %}",
        when=datetime(2020, 6, 9, 10, 0, tzinfo=UTC),
    )
    assert "12:00 CEST" in html


def test_signed_in_user_with_time_zone_sees_local_time_without_javascript(db):
    user = factories.create_user(time_zone="America/New_York")
    request = RequestFactory().get("/")
    request.user = user
    html = render(
        "{% dual_time when 'Europe/Zurich' %}",
        request=request,
        when=datetime(2026, 12, 8, 11, 0, tzinfo=UTC),
    )
    assert "06:00 EST" in html
