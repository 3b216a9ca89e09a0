"""Privacy: one rule for every listing; blocks, reports, export and erasure of one's data."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.venue.conftest import at
from vev.core.models import AuditEntry
from vev.venue.errors import VenueError
from vev.venue.models import Block, Report, SideMeeting, VenueProfile
from vev.venue.services import presence, privacy, side_meetings

pytestmark = pytest.mark.django_db


def settings(user, event, **fields):
    values = {"visibility": "all", "do_not_disturb": False, "invites_from": "anyone", **fields}
    return privacy.update_settings(user, event, **values)


def test_can_see_rules(event, role_users):
    people = privacy.personas(event)
    councillor = people[role_users["councillor"].pk]
    adviser = people[role_users["adviser"].pk]  # same delegation (France)
    observer = people[role_users["observer"].pk]
    assert privacy.can_see(observer, councillor, set())
    hidden = privacy.Persona(**{**councillor.to_dict(), "visibility": "hidden"})
    assert not privacy.can_see(observer, hidden, set())
    assert privacy.can_see(hidden, hidden, set())
    delegation = privacy.Persona(**{**councillor.to_dict(), "visibility": "delegation"})
    assert privacy.can_see(adviser, delegation, set())
    assert not privacy.can_see(observer, delegation, set())
    assert not privacy.can_see(observer, councillor, {councillor.user_id})


def test_a_hidden_participant_appears_in_no_listing(event, role_users, venue, lounge, client):
    hidden = role_users["adviser"]
    settings(hidden, event, visibility="hidden")
    viewer = role_users["councillor"]
    # search, invitation picker
    assert not privacy.search(event, viewer, "adviser")
    assert hidden.pk not in [p.user_id for p in privacy.invitable(event, viewer)]
    # map snapshot and the list page, with the hidden one present in the space
    rules = presence.SpaceRules.of(lounge)
    state: dict = {}
    me = privacy.persona(viewer, event)
    now = presence.now()  # fresh: the pages leave out presence not refreshed for 90 s
    presence.enter(state, privacy.persona(hidden, event), set(), "c1", 10, 10, rules, now)
    presence.enter(state, me, set(), "c2", 500, 500, rules, now)
    snap = presence.snapshot(state, me, set(), rules)
    assert [p["user_id"] for p in snap["participants"]] == [viewer.pk]
    assert presence.count_present(state) == 1  # not counted either
    with presence.store().transact(presence.space_key(lounge.pk)) as stored:
        stored.update(state)
    client.force_login(viewer)
    page = client.get(reverse("venue:space_list", kwargs={"event": event.slug, "space": "lounge"}))
    assert page.status_code == 200
    assert "adviser" not in page.content.decode()
    home = client.get(reverse("venue:home", kwargs={"event": event.slug}))
    assert "1 person here" in home.content.decode()
    presence.store().clear()
    # people search page
    found = client.get(reverse("venue:people", kwargs={"event": event.slug}) + "?q=advi")
    assert "adviser" not in found.content.decode().split("people-results")[-1]


def test_blocked_people_do_not_see_or_invite_each_other(event, role_users, room):
    a, b = role_users["councillor"], role_users["observer"]
    privacy.block(a, event, b.pk)
    assert not privacy.search(event, b, "councillor")
    assert not privacy.search(event, a, "observer")
    assert b.pk not in [p.user_id for p in privacy.invitable(event, a)]
    assert a.pk not in [p.user_id for p in privacy.invitable(event, b)]
    with pytest.raises(VenueError):
        side_meetings.book(
            organiser=b,
            room=room,
            title="x",
            starts_at=at(event, 0, 10),
            ends_at=at(event, 0, 10, 30),
            invitee_ids=[a.pk],
        )
    privacy.unblock(a, b.pk)
    assert privacy.search(event, b, "councillor")
    with pytest.raises(VenueError, match="yourself"):
        privacy.block(a, event, a.pk)
    assert not AuditEntry.objects.filter(action__contains="block").exists()


def test_report_reaches_the_secretariat_and_is_handled(event, role_users):
    with pytest.raises(VenueError, match="Say briefly"):
        privacy.report(
            role_users["councillor"], event, role_users["observer"].pk, reason="spam", details=" "
        )
    row = privacy.report(
        role_users["councillor"], event, role_users["observer"].pk, reason="spam", details="Ads."
    )
    assert AuditEntry.objects.filter(action="vev.venue.report.made").exists()
    assert role_users["secretariat"].notifications.filter(kind="venue.report").exists()
    with pytest.raises(VenueError, match="Only the secretariat"):
        privacy.handle_report(row, by=role_users["chair"], outcome="ok")
    privacy.handle_report(row, by=role_users["moderator"], outcome="Warned the participant.")
    row.refresh_from_db()
    assert row.status == Report.Status.HANDLED and row.handled_by == role_users["moderator"]


def test_export_and_erase_my_venue_data(event, role_users, room):
    me, guest = role_users["councillor"], role_users["observer"]
    settings(me, event, do_not_disturb=True)
    privacy.block(me, event, role_users["chair"].pk)
    privacy.report(me, event, role_users["adviser"].pk, reason="other", details="Rude.")
    meeting = side_meetings.book(
        organiser=me,
        room=room,
        title="Budget talk",
        starts_at=at(event, 0, 10),
        ends_at=at(event, 0, 10, 30),
        invitee_ids=[guest.pk],
    )
    data = privacy.export_data(me, event)
    json.dumps(data)
    assert data["settings"]["do_not_disturb"] is True
    assert data["blocked"][0]["name"] == role_users["chair"].display_name
    assert data["side_meetings"][0]["title"] == "Budget talk"
    assert data["reports_made"][0]["details"] == "Rude."
    assert "positions on the maps" in data["not_kept"]

    from vev.venue.models import MeetingJoinMark
    from vev.venue.services import schedule

    pl1, pl2 = event.meetings.get(slug="pl-1"), event.meetings.get(slug="pl-2")
    schedule.count_join(me, pl1)
    schedule.count_join(guest, pl1)
    schedule.count_join(me, pl2)
    counts = privacy.delete_data(me, event)
    assert counts["join_marks"] == 2
    assert MeetingJoinMark.objects.count() == 1  # the guest's
    assert not VenueProfile.objects.filter(user=me).exists()
    assert not Block.objects.filter(blocker=me).exists()
    assert not SideMeeting.objects.filter(pk=meeting.pk).exists()
    report = Report.objects.get()
    assert report.reporter is None and report.details == "Rude."
    assert guest.notifications.filter(kind="venue.side_meeting.cancelled").exists()
    assert AuditEntry.objects.filter(action="vev.venue.data.deleted").exists()
