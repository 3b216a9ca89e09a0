"""Venue pages: refused forms keep what was typed; set-up with checked uploads; reports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.venue.conftest import at
from vev.core.models import AuditEntry
from vev.venue.models import Report, SideMeeting, Space
from vev.venue.services import side_meetings

pytestmark = pytest.mark.django_db


def test_a_refused_booking_keeps_the_subject(client, event, role_users, room):
    side_meetings.book(
        organiser=role_users["adviser"],
        room=room,
        title="First",
        starts_at=at(event, 0, 10),
        ends_at=at(event, 0, 10, 30),
        invitee_ids=[role_users["chair"].pk],
    )
    client.force_login(role_users["councillor"])
    url = reverse("venue:side_meeting_new", kwargs={"event": event.slug})
    response = client.post(
        url,
        {
            "room": room.pk,
            "day": event.first_day.isoformat(),
            "title": "Our bilateral on ADM 6",
            "slot": at(event, 0, 10).isoformat(),
            "slots": 1,
            "invitees": [role_users["observer"].pk],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Room A is already booked at" in page
    assert 'value="Our bilateral on ADM 6"' in page
    assert SideMeeting.objects.count() == 1


def test_hidden_people_are_not_offered_as_invitees(client, event, role_users, room):
    from vev.venue.services import privacy

    privacy.update_settings(
        role_users["observer"],
        event,
        visibility="hidden",
        do_not_disturb=False,
        invites_from="anyone",
    )
    client.force_login(role_users["councillor"])
    page = client.get(reverse("venue:side_meeting_new", kwargs={"event": event.slug})).content
    assert b"observer (Observer State 0)" not in page
    assert b"chair" in page


def test_the_secretariat_adds_a_space_with_a_checked_map(client, event, role_users, venue):
    client.force_login(role_users["secretariat"])
    url = reverse("venue:manage_new", kwargs={"event": event.slug, "kind": "space"})
    data = {
        "name": "Delegates' café",
        "slug": "cafe",
        "kind": "custom",
        "description": "",
        "position": 5,
        "width": 1000,
        "height": 600,
        "proximity_radius": 70,
        "bubble_capacity": 4,
        "stream_kind": "",
        "stream_url": "",
    }
    evil = SimpleUploadedFile("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>')
    response = client.post(url, {**data, "background": evil})
    assert response.status_code == 422
    assert "contains scripts" in response.content.decode()
    assert 'value="Delegates&#x27; café"' in response.content.decode()
    good = SimpleUploadedFile("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    response = client.post(url, {**data, "background": good})
    assert response.status_code == 302
    space = Space.objects.get(slug="cafe")
    assert space.background.name.endswith(".svg") and space.bubble_capacity == 4
    assert AuditEntry.objects.filter(action="vev.venue.space.created").exists()
    served = client.get(
        reverse("venue:file", kwargs={"event": event.slug, "kind": "background", "pk": space.pk})
    )
    assert served["Content-Type"] == "image/svg+xml"
    assert "sandbox" in served["Content-Security-Policy"]
    # A stream address without its kind is refused with the reason.
    response = client.post(
        reverse("venue:manage_edit", kwargs={"event": event.slug, "kind": "space", "pk": space.pk}),
        {**data, "stream_url": "https://cam.example/live.m3u8"},
    )
    assert response.status_code == 422 and "what kind of stream" in response.content.decode()


def test_report_form(client, event, role_users, venue):
    client.force_login(role_users["councillor"])
    url = reverse("venue:report", kwargs={"event": event.slug, "user": role_users["observer"].pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "harassment", "details": "Repeated messages."})
    assert response.status_code == 302
    assert Report.objects.get().details == "Repeated messages."
    client.force_login(role_users["moderator"])
    reports = client.get(reverse("venue:reports", kwargs={"event": event.slug}))
    assert "Repeated messages." in reports.content.decode()


def test_exhibit_closed_outside_its_hours(client, event, role_users, lounge):
    from datetime import time

    from vev.venue.models import Exhibit

    exhibit = Exhibit.objects.create(
        space=lounge,
        kind="link",
        title="Night only",
        url="https://example.org/",
        opens_at=time(0, 0),
        closes_at=time(0, 1),
    )
    client.force_login(role_users["observer"])
    page = client.get(exhibit.get_absolute_url()).content.decode()
    assert "This exhibit is closed now." in page


def test_list_view_and_home_counts_leave_out_stale_presence(client, event, role_users, lounge):
    """Someone whose server process died (not heard of for 90 s) is not shown as present."""
    import time

    from vev.venue.services import presence, privacy

    presence.store().clear()
    rules = presence.SpaceRules.of(lounge)
    now = time.time()
    people = {r: privacy.persona(role_users[r], event) for r in ("observer", "chair", "adviser")}
    with presence.store().transact(presence.space_key(lounge.pk)) as state:
        presence.enter(state, people["observer"], set(), "c1", 100, 100, rules, now)
        presence.enter(state, people["chair"], set(), "c2", 600, 600, rules, now)
        presence.move(state, role_users["chair"].pk, 130, 100, rules, now)
        presence.enter(state, people["adviser"], set(), "c3", 900, 600, rules, now)
        assert len(state["bubbles"]) == 1
        # The two who talked were on a server process that died: not heard of since.
        for role in ("observer", "chair"):
            state["participants"][str(role_users[role].pk)]["seen"] = now - 100
    try:
        client.force_login(role_users["councillor"])
        url = reverse("venue:space_list", kwargs={"event": event.slug, "space": lounge.slug})
        page = client.get(url).content.decode()
        assert "adviser" in page
        assert "observer" not in page and "chair" not in page
        assert "None at the moment." in page  # the stale conversation is not listed either
        home = client.get(reverse("venue:home", kwargs={"event": event.slug})).content.decode()
        assert "1 person here" in home
    finally:
        presence.store().clear()


def test_sponsors_are_shown_on_the_spaces_and_pages_they_sponsor(client, event, role_users, venue):
    from datetime import time

    from django.core.files.base import ContentFile

    from vev.venue.models import Exhibit, Sponsor

    logo = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'
    alpine = Sponsor.objects.create(event=event, name="Alpine Telecom", level="gold")
    alpine.logo.save("alpine.svg", ContentFile(logo))
    Sponsor.objects.create(event=event, name="Leman Networks", level="platinum")
    Sponsor.objects.create(event=event, name="Zurich Partners", level="partner")
    kwargs = {"event": event.slug}
    # The sponsored-space option, set up by the secretariat: a sponsor space needs its sponsor.
    client.force_login(role_users["secretariat"])
    data = {
        "name": "Sponsors' hall",
        "slug": "hall",
        "kind": "sponsor",
        "position": 3,
        "width": 1000,
        "height": 600,
        "proximity_radius": 80,
        "bubble_capacity": 6,
        "stream_kind": "hls",
        "stream_url": "https://cam.example/hall.m3u8",
    }
    url = reverse("venue:manage_new", kwargs={**kwargs, "kind": "space"})
    response = client.post(url, data)
    assert response.status_code == 422
    assert "A sponsor space needs its sponsor." in response.content.decode()
    assert client.post(url, {**data, "sponsor": alpine.pk}).status_code == 302
    hall = Space.objects.get(slug="hall")
    assert hall.sponsor == alpine
    Exhibit.objects.create(
        space=venue.spaces.get(slug="lounge"),
        kind="link",
        title="Fibre to the Alps",
        url="https://alpine.example/",
        sponsor=alpine,
        opens_at=time(0, 0),
        closes_at=time(23, 59),
    )

    client.force_login(role_users["observer"])
    logo_url = reverse("venue:file", kwargs={**kwargs, "kind": "logo", "pk": alpine.pk})
    home = client.get(reverse("venue:home", kwargs=kwargs)).content.decode()
    assert "Sponsored by Alpine Telecom" in home  # on the sponsored space's card
    # All sponsors by level, with their logo where they have one.
    listed = home.split('id="sponsors-title"')[1]
    order = [listed.index(n) for n in ("Leman Networks", 'alt="Alpine Telecom"', "Zurich Partners")]
    assert order == sorted(order)
    assert f'src="{logo_url}"' in listed
    assert client.get(logo_url)["Content-Type"] == "image/svg+xml"
    # The space's own pages: map, list view, 360° view.
    for name in ("space", "space_list", "space_360"):
        page = client.get(reverse(f"venue:{name}", kwargs={**kwargs, "space": "hall"}))
        text = page.content.decode()
        assert "This space is sponsored by Alpine Telecom." in text, name
        assert f'src="{logo_url}"' in text, name
    # A space it does not sponsor does not carry it; the exhibit it sponsors does.
    lounge = client.get(reverse("venue:space", kwargs={**kwargs, "space": "lounge"}))
    assert "This space is sponsored by" not in lounge.content.decode()
    exhibit = Exhibit.objects.get(title="Fibre to the Alps")
    assert "sponsored by Alpine Telecom" in client.get(exhibit.get_absolute_url()).content.decode()
    listing = client.get(reverse("venue:space_list", kwargs={**kwargs, "space": "lounge"}))
    assert "Fibre to the Alps" in listing.content.decode()
    assert "sponsored by Alpine Telecom" in listing.content.decode()
