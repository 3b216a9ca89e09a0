"""The planning pages through the Django client."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from vev.core.models import AuditEntry
from vev.council.models import AgendaItem, Meeting
from vev.planning.models import PlanVersion


@pytest.fixture
def users(council_2020):
    User = get_user_model()
    return {
        "secretariat": User.objects.get(email="secretariat@vev.test"),
        "chair": User.objects.get(email="chair@vev.test"),
        "head": User.objects.get(email="head.fr@vev.test"),
    }


def _url(name, event, **kwargs):
    return reverse(f"planning:{name}", kwargs={"event": event.slug, **kwargs})


def test_manage_page_lists_items_with_defaults_and_constraints(client, council_2020, users):
    client.force_login(users["secretariat"])
    page = client.get(_url("manage", council_2020)).content.decode()
    assert "37 items on the agenda" in page
    assert "fixed to PL 1" in page
    assert "(default)" in page
    symbol = council_2020.documents.filter(group=3).first().symbol
    assert f">{symbol}</a>" in page  # each item lists its documents with their group


def test_impossible_plan_is_explained_on_the_page_and_the_note_is_kept(client, db):
    from tests import factories

    event = factories.create_event("future-session")
    secretariat = factories.create_user("sec@example.org")
    factories.assign(secretariat, event, "secretariat")
    event.agenda_items.filter(code="PL-2").update(estimated_minutes=500)
    client.force_login(secretariat)
    response = client.post(
        _url("compute", event), {"keep_published": "on", "note": "after consultation"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "No plan satisfies every rule." in page
    assert "PL-2 Item 2 does not fit: its estimate (500 minutes) is longer" in page
    assert 'value="after consultation"' in page
    assert not event.plan_versions.filter(status="draft").exists()


def test_defer_item_compute_and_publish_through_the_pages(client, council_2020, users):
    # Move the session into the future so the planner may use its days.
    shift = timedelta(days=7 * 400)
    council_2020.first_day += shift
    council_2020.last_day += shift
    council_2020.save()
    for meeting in council_2020.meetings.all():
        meeting.starts_at += shift
        meeting.ends_at += shift
        meeting.save()
    client.force_login(users["secretariat"])
    item = council_2020.agenda_items.get(code="ADM 22")
    response = client.post(
        _url("item_edit", council_2020, pk=item.pk),
        {
            "code": item.code,
            "title": item.title,
            "kind": item.kind,
            "committee": item.committee_id,
            "estimated_minutes": "",
            "status": AgendaItem.Status.DEFERRED,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED
    response = client.post(_url("compute", council_2020), {"keep_published": "on"})
    assert response.status_code == 302
    version = council_2020.plan_versions.get(status=PlanVersion.Status.DRAFT)
    page = client.get(response["Location"]).content.decode()
    assert "All planning rules are met." in page
    assert "ADM 22 ITU accountability framework" in page  # in the change log: removed
    response = client.post(_url("publish", council_2020, number=version.number))
    assert response["Location"] == _url("plan", council_2020)
    assert not council_2020.meetings.filter(allocations__item=item).exists()
    plan = client.get(_url("plan", council_2020)).content.decode()
    assert f"Version {version.number}" in plan and "Moved to the next physical session" in plan
    # The chair records the opening plenary's approval: who, when, from which session…
    client.force_login(users["chair"])
    client.post(_url("approve", council_2020, number=version.number))
    version.refresh_from_db()
    assert version.approved_at is not None and version.approved_by == users["chair"]
    entry = AuditEntry.objects.get(action="vev.planning.plan.approved")
    assert entry.actor_id == users["chair"].pk
    assert abs(entry.at - version.approved_at) < timedelta(seconds=5)
    assert entry.data == {"version": version.number, "meeting": "Opening"}
    assert entry.session_key_hash == hashlib.sha256(client.session.session_key.encode()).hexdigest()
    # …and the plan page says it, to a delegate too.
    client.force_login(users["head"])
    page = lxml.html.fromstring(client.get(_url("plan", council_2020)).content)
    approval = " ".join(page.get_element_by_id("plan-approval").text_content().split())
    assert approval.startswith(
        f"Version {version.number} approved by the opening plenary (Opening, "
    )
    assert approval.endswith(f"recorded by {users['chair'].display_name})")


def test_item_form_refuses_a_circle_and_keeps_the_input(client, council_2020, users):
    client.force_login(users["secretariat"])
    adm = council_2020.agenda_items.filter(committee__code="ADM").first()
    report = council_2020.agenda_items.get(code="PL-3.2")  # already follows every ADM item
    response = client.post(
        _url("item_edit", council_2020, pk=adm.pk),
        {
            "code": adm.code,
            "title": "Edited title",
            "kind": adm.kind,
            "committee": adm.committee_id,
            "estimated_minutes": "20",
            "status": adm.status,
            "must_follow": [report.pk],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "already comes after this item" in page
    assert 'value="Edited title"' in page
    adm.refresh_from_db()
    assert adm.title != "Edited title"


def test_running_order_reorder_and_time_used(client, council_2020, users):
    meeting = council_2020.meetings.get(code="PL 2")
    first, second = list(meeting.allocations.order_by("position"))[:2]
    client.force_login(users["secretariat"])
    client.post(
        reverse(
            "planning:running_order_move",
            kwargs={"event": council_2020.slug, "meeting": meeting.slug, "pk": second.pk},
        ),
        {"direction": "up"},
    )
    assert [a.pk for a in meeting.allocations.order_by("position")][:2] == [second.pk, first.pk]
    second.refresh_from_db()
    second.started_at = meeting.starts_at
    second.ended_at = meeting.starts_at + timedelta(minutes=42)
    second.save()
    client.force_login(users["chair"])
    page = client.get(
        reverse(
            "planning:running_order",
            kwargs={"event": council_2020.slug, "meeting": meeting.slug},
        )
    ).content.decode()
    assert "Used so far: 42 minutes." in page
    assert "+12" in page  # 42 used against 30 planned
    assert "Move" not in page  # the chair sees the order; the secretariat changes it


def test_opening_item_cannot_be_moved_after_another(client, council_2020, users):
    opening = council_2020.meetings.get(code="Opening")
    first = opening.allocations.order_by("position").first()
    opening.allocations.create(item=council_2020.agenda_items.get(code="PL-2.2"), position=9)
    client.force_login(users["secretariat"])
    url = reverse(
        "planning:running_order_move",
        kwargs={"event": council_2020.slug, "meeting": opening.slug, "pk": first.pk},
    )
    client.post(url, {"direction": "down"})  # swapping two opening items is fine
    last_opening = opening.allocations.filter(item__opens_session=True).order_by("-position")[0]
    response = client.post(
        reverse(
            "planning:running_order_move",
            kwargs={"event": council_2020.slug, "meeting": opening.slug, "pk": last_opening.pk},
        ),
        {"direction": "down"},
        follow=True,
    )
    assert "must come after" in response.content.decode()


def squashed(text: str) -> str:
    return "".join(text.split())


def test_pdf_of_the_plan(client, council_2020, users):
    client.force_login(users["head"])
    response = client.get(_url("plan_pdf", council_2020) + "?tz=Asia/Tokyo")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Times in Europe/Zurich, and in Asia/Tokyo." in text
    meetings = list(Meeting.objects.filter(event=council_2020).order_by("starts_at"))
    assert len(meetings) == 8
    tokyo = ZoneInfo("Asia/Tokyo")
    for meeting in meetings:
        start, end = meeting.starts_at.astimezone(council_2020.tz), meeting.ends_at
        end = end.astimezone(council_2020.tz)
        there, there_end = meeting.starts_at.astimezone(tokyo), meeting.ends_at.astimezone(tokyo)
        in_geneva = f"{start:%H:%M}–{end:%H:%M} {end.tzname()}"
        in_tokyo = f"{there:%H:%M}–{there_end:%H:%M} JST (Asia/Tokyo)"
        title = f" – {meeting.title}" if meeting.title else ""
        caption = f"{meeting.code}{title} ({meeting.committee.name}): {in_geneva} · "
        caption += f"{there:%a} {there.day} {there:%b} {in_tokyo}"
        # (a long caption wraps, and the PDF's text has the line break where it wrapped)
        assert squashed(caption) in squashed(text), caption


def test_pdf_lists_meetings_in_both_zones(rf, council_2020, users):
    from django.template.loader import render_to_string

    from vev.planning.views.plan import _plan_context

    html = render_to_string(
        "planning/plan_pdf.html",
        {
            **_plan_context(council_2020, users["head"]),
            "event": council_2020,
            "local_tz": "Asia/Tokyo",
            "site_url": "",
        },
    )
    assert "12:00–13:00 CEST" in html
    assert "19:00–20:00 JST" in html


def test_calendar_settings_page_and_reset(client, council_2020, users):
    client.force_login(users["head"])
    page = client.get(reverse("planning:calendar_settings")).content.decode()
    token = users["head"].calendar_feed.token
    assert f"/calendar/{token}/all.ics" in page
    assert f"/calendar/{token}/{council_2020.slug}.ics" in page
    client.post(reverse("planning:calendar_reset"))
    users["head"].calendar_feed.refresh_from_db()
    assert users["head"].calendar_feed.token != token


def test_plan_page_shows_times_in_both_zones(client, council_2020, users):
    users["head"].time_zone = "America/New_York"
    users["head"].save()
    client.force_login(users["head"])
    page = lxml.html.fromstring(client.get(_url("plan", council_2020)).content)
    meetings = list(Meeting.objects.filter(event=council_2020).order_by("starts_at"))
    assert len(meetings) == 8
    new_york = ZoneInfo("America/New_York")

    def day(value) -> str:
        return f"{value:%a} {value.day} {value:%b %Y}"

    for meeting in meetings:
        start = meeting.starts_at.astimezone(council_2020.tz)
        end = meeting.ends_at.astimezone(council_2020.tz)
        local, local_end = (
            meeting.starts_at.astimezone(new_york),
            meeting.ends_at.astimezone(new_york),
        )
        card = page.get_element_by_id(f"meeting-{meeting.pk}").getparent()
        shown = " ".join(card.find_class("meeting-time")[0].text_content().split())
        assert shown.startswith(
            f"{day(start)}, {start:%H:%M} {start.tzname()} "
            f"(your time: {day(local)}, {local:%H:%M} {local.tzname()}) – "
            f"{end:%H:%M} {end.tzname()} (your time: {local_end:%H:%M} {local_end.tzname()})"
        ), shown
    first = page.get_element_by_id(f"meeting-{meetings[0].pk}").getparent()
    assert "Tue 9 Jun 2020, 12:00 CEST (your time: Tue 9 Jun 2020, 06:00 EDT)" in " ".join(
        first.text_content().split()
    )
