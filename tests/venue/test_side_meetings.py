"""Booking side meetings: slots, conflicts refused with a clear message, invitations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.venue.conftest import at, happening_now
from vev.core.models import AuditEntry
from vev.notifications.models import Notification
from vev.venue.errors import BookingConflict, VenueError
from vev.venue.models import Invitation, SideMeeting
from vev.venue.services import privacy, side_meetings

pytestmark = pytest.mark.django_db


def book(organiser, room, start, invitees, minutes=30, title="Bilateral"):
    return side_meetings.book(
        organiser=organiser,
        room=room,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        invitee_ids=[u.pk for u in invitees],
    )


def test_booking_invites_and_notifies(event, role_users, room):
    councillor, observer = role_users["councillor"], role_users["observer"]
    meeting = book(councillor, room, at(event, 0, 10), [observer])
    assert meeting.status == SideMeeting.Status.SCHEDULED
    statuses = dict(meeting.invitations.values_list("user_id", "status"))
    assert statuses == {councillor.pk: "accepted", observer.pk: "pending"}
    assert Notification.objects.filter(user=observer, kind="venue.side_meeting.invited").exists()
    entry = AuditEntry.objects.get(action="vev.venue.side_meeting.booked")
    assert "Bilateral" not in str(entry.data)  # the subject stays private
    assert entry.actor_id is None and entry.actor_label == ""  # nor who booked it
    assert (entry.target_type, entry.target_id) == ("venue.area", str(room.pk))
    assert entry.data["side_meeting"] == meeting.pk and entry.data["invited"] == 1


def test_the_audit_log_does_not_say_who_meets_whom(client, event, role_users, room):
    """Side meetings are private: the audit log keeps that a room's slot was taken and freed,
    never who booked it, who was invited, who answered, or the subject."""
    from vev.records.services import audit_log

    councillor, observer, adviser = (role_users[r] for r in ("councillor", "observer", "adviser"))
    mine = book(councillor, room, at(event, 0, 10), [observer, adviser], title="Secret talks")
    # Through the pages: requests whose session and address must not be logged either.
    client.force_login(observer)
    client.post(
        reverse("venue:side_meeting_respond", kwargs={"event": event.slug, "pk": mine.pk}),
        {"answer": "accept"},
    )
    assert mine.invitations.get(user=observer).status == Invitation.Status.ACCEPTED
    side_meetings.respond(mine.invitations.get(user=adviser), user=adviser, accept=False)
    client.force_login(councillor)
    client.post(reverse("venue:side_meeting_cancel", kwargs={"event": event.slug, "pk": mine.pk}))
    mine.refresh_from_db()
    assert mine.is_cancelled
    entries = AuditEntry.objects.filter(action__startswith="vev.venue.side_meeting")
    assert sorted(entries.values_list("action", flat=True)) == [
        "vev.venue.side_meeting.booked",
        "vev.venue.side_meeting.cancelled",
    ]
    for entry in entries:
        assert entry.actor_id is None and entry.actor_label == ""
        assert entry.session_key_hash == "" and entry.ip_address is None
    people = {u.pk for u in (councillor, observer, adviser)}
    rows = audit_log.rows(event, entries, audit_log.chain_status())
    for row in rows:
        assert row.actor is None
        assert "Secret talks" not in row.target_label and row.target_label == "Room A"
        assert not {str(p) for p in people} & {value for _key, value in row.data}
    client.force_login(role_users["secretariat"])
    page = client.get(reverse("records:audit", kwargs={"event": event.slug})).content.decode()
    assert "Secret talks" not in page
    # The secretariat cancelling someone else's side meeting is an act of the secretariat.
    other = book(observer, room, at(event, 0, 11), [councillor])
    side_meetings.cancel(other, by=role_users["secretariat"])
    entry = AuditEntry.objects.filter(action="vev.venue.side_meeting.cancelled").latest("position")
    assert entry.actor_id == role_users["secretariat"].pk
    assert entry.data["side_meeting"] == other.pk


def test_room_double_booked_is_refused(event, role_users, room):
    book(role_users["councillor"], room, at(event, 0, 10), [role_users["observer"]])
    with pytest.raises(BookingConflict, match="Room A is already booked at"):
        book(role_users["adviser"], room, at(event, 0, 10), [role_users["chair"]], minutes=60)
    # Overlapping by half: refused too; the next slot is free.
    with pytest.raises(BookingConflict, match="already booked"):
        book(role_users["adviser"], room, at(event, 0, 9, 30), [role_users["chair"]], minutes=60)
    book(role_users["adviser"], room, at(event, 0, 10, 30), [role_users["chair"]])
    assert SideMeeting.objects.count() == 2


def test_invitee_already_booked_is_refused(event, role_users, room, lounge):
    other_room = lounge.areas.get(name="Room B")
    meeting = book(role_users["councillor"], room, at(event, 0, 10), [role_users["observer"]])
    invitation = meeting.invitations.get(user=role_users["observer"])
    side_meetings.respond(invitation, user=role_users["observer"], accept=True)
    with pytest.raises(BookingConflict, match="observer is already booked at"):
        book(role_users["adviser"], other_room, at(event, 0, 10), [role_users["observer"]])
    with pytest.raises(BookingConflict, match="You are already in another side meeting"):
        book(role_users["councillor"], other_room, at(event, 0, 10), [role_users["chair"]])


def test_accepting_a_clashing_invitation_is_refused(event, role_users, room, lounge):
    observer = role_users["observer"]
    first = book(role_users["councillor"], room, at(event, 0, 10), [observer])
    room_b = lounge.areas.get(name="Room B")
    second = book(role_users["adviser"], room_b, at(event, 0, 10), [observer])
    side_meetings.respond(first.invitations.get(user=observer), user=observer, accept=True)
    with pytest.raises(BookingConflict, match="already in another side meeting"):
        side_meetings.respond(second.invitations.get(user=observer), user=observer, accept=True)
    side_meetings.respond(second.invitations.get(user=observer), user=observer, accept=False)
    assert second.invitations.get(user=observer).status == Invitation.Status.DECLINED


def test_outside_opening_hours_and_off_grid_are_refused(event, role_users, room):
    with pytest.raises(BookingConflict, match="outside its opening hours"):
        book(role_users["councillor"], room, at(event, 0, 19, 30), [role_users["observer"]], 60)
    with pytest.raises(BookingConflict, match="outside its opening hours"):
        book(role_users["councillor"], room, at(event, 0, 7, 30), [role_users["observer"]])
    with pytest.raises(BookingConflict, match="outside its opening hours"):
        book(role_users["councillor"], room, at(event, 9, 10), [role_users["observer"]])
    with pytest.raises(BookingConflict, match="slots of 30 minutes"):
        book(role_users["councillor"], room, at(event, 0, 10, 10), [role_users["observer"]])
    with pytest.raises(BookingConflict, match="seats 4 people"):
        book(
            role_users["councillor"],
            room,
            at(event, 0, 10),
            [role_users[r] for r in ("observer", "chair", "adviser", "secretariat")],
        )
    assert not SideMeeting.objects.exists()


def test_privacy_settings_refuse_invitations(event, role_users, room):
    observer, councillor = role_users["observer"], role_users["councillor"]
    privacy.update_settings(
        observer, event, visibility="all", do_not_disturb=True, invites_from="anyone"
    )
    with pytest.raises(VenueError, match="does not wish to be disturbed"):
        book(councillor, room, at(event, 0, 10), [observer])
    privacy.update_settings(
        observer, event, visibility="all", do_not_disturb=False, invites_from="delegation"
    )
    with pytest.raises(VenueError, match="does not accept invitations from you"):
        book(councillor, room, at(event, 0, 10), [observer])
    # Same delegation (France): the adviser may invite the councillor.
    privacy.update_settings(
        councillor, event, visibility="all", do_not_disturb=False, invites_from="delegation"
    )
    book(role_users["adviser"], room, at(event, 0, 10), [councillor])
    privacy.block(observer, event, role_users["chair"].pk)
    privacy.update_settings(
        observer, event, visibility="all", do_not_disturb=False, invites_from="anyone"
    )
    with pytest.raises(VenueError, match="does not accept invitations"):
        book(role_users["chair"], room, at(event, 0, 11), [observer])


def test_only_invitees_see_and_join(event, role_users, room):
    meeting = book(role_users["councillor"], room, at(event, 0, 10), [role_users["observer"]])
    assert side_meetings.may_see(meeting, role_users["observer"])
    assert not side_meetings.may_see(meeting, role_users["adviser"])
    now = meeting.starts_at
    may_join = side_meetings.may_join
    assert may_join(meeting, role_users["councillor"], now=now) is None
    assert "Accept" in may_join(meeting, role_users["observer"], now=now)
    assert "Only the people invited" in may_join(meeting, role_users["adviser"], now=now)
    early = meeting.starts_at - timedelta(minutes=30)
    assert "opens 10 minutes" in may_join(meeting, role_users["councillor"], now=early)


def test_cancel_raises_the_sequence_and_notifies(event, role_users, room):
    meeting = book(role_users["councillor"], room, at(event, 0, 10), [role_users["observer"]])
    with pytest.raises(VenueError, match="Only the organiser"):
        side_meetings.cancel(meeting, by=role_users["observer"])
    side_meetings.cancel(meeting, by=role_users["councillor"])
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.calendar_sequence == 1
    assert Notification.objects.filter(
        user=role_users["observer"], kind="venue.side_meeting.cancelled"
    ).exists()
    # The slot is free again.
    book(role_users["adviser"], room, at(event, 0, 10), [role_users["chair"]])


def test_slots_do_not_say_who_booked(event, role_users, room):
    book(role_users["councillor"], room, at(event, 0, 10), [role_users["observer"]])
    slots = side_meetings.slots(room, event.first_day)
    assert len(slots) == 24
    taken = [s for s in slots if not s["free"]]
    assert [s["starts_at"] for s in taken] == [at(event, 0, 10)]
    assert set(taken[0]) == {"starts_at", "ends_at", "free", "past"}


def test_a_conversation_moves_to_a_free_room_or_is_told_none_is_free(event, role_users, lounge):
    happening_now(event)
    people = [role_users[r] for r in ("councillor", "observer", "adviser")]
    meeting = side_meetings.start_from_bubble(
        organiser=people[0], space=lounge, member_ids=[p.pk for p in people]
    )
    assert meeting.origin == SideMeeting.Origin.BUBBLE and meeting.room.name == "Room A"
    assert meeting.title == "Conversation of councillor"
    assert sorted(meeting.invitations.values_list("user_id", flat=True)) == sorted(
        p.pk for p in people
    )
    # Room B goes to the next conversation; then none is free.
    other = [role_users[r] for r in ("chair", "moderator")]
    second = side_meetings.start_from_bubble(
        organiser=other[0], space=lounge, member_ids=[p.pk for p in other]
    )
    assert second.room.name == "Room B"
    with pytest.raises(BookingConflict, match="No meeting room is free for the next 15 minutes"):
        side_meetings.start_from_bubble(
            organiser=role_users["secretariat"],
            space=lounge,
            member_ids=[role_users["secretariat"].pk, role_users["technician"].pk],
        )
