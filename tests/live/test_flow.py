"""The meeting's flow: opening, items taken up and closed, the previous meeting's gaps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.live.services import enter, room_events
from vev.council.models import AgendaAllocation, Meeting
from vev.live.errors import LiveError
from vev.live.models import Connection, Participant, RoomState
from vev.live.services import flow, speakers

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_take_up_items_and_close(live):
    event, meeting, users = live
    meeting.status = Meeting.Status.SCHEDULED
    meeting.save()
    enter(users["chair"], meeting)
    with pytest.raises(LiveError):
        flow.take_up_item(meeting, users["chair"], meeting.allocations.first().pk)
    flow.open_meeting(meeting, users["chair"])
    meeting.refresh_from_db()
    assert meeting.status == "live"
    other = event.agenda_items.exclude(allocations__meeting=meeting).first()
    second = AgendaAllocation.objects.create(meeting=meeting, item=other, position=1)
    first = meeting.allocations.get(position=0)
    flow.take_up_item(meeting, users["chair"], first.pk)
    flow.take_up_item(meeting, users["chair"], second.pk)
    first.refresh_from_db()
    assert first.started_at and first.ended_at and first.ended_at >= first.started_at
    assert RoomState.objects.get(pk=meeting.pk).current_allocation_id == second.pk
    events = room_events(meeting, "flow.")
    assert [e["type"] for e in events] == [
        "flow.opened",
        "flow.item_taken_up",
        "flow.item_taken_up",
    ]
    assert events[-1]["current"]["allocation_id"] == second.pk

    enter(users["councillor"], meeting)
    speakers.raise_hand(meeting, users["councillor"])
    flow.suspend(meeting, users["chair"])
    flow.resume(meeting, users["chair"])
    flow.close_meeting(meeting, users["chair"])
    meeting.refresh_from_db()
    second.refresh_from_db()
    assert meeting.status == "ended" and second.ended_at is not None
    assert speakers.speakers_state(meeting.pk).queue == []


def test_only_the_chair_or_secretariat_conduct_the_meeting(live):
    _, meeting, users = live
    for role in ("moderator", "councillor", "technician"):
        with pytest.raises(LiveError) as error:
            flow.suspend(meeting, users[role])
        assert error.value.code == "denied"
    flow.suspend(meeting, users["secretariat"])


def test_the_chair_sees_which_members_missed_items_of_the_previous_meeting(live):
    event, today, users = live
    previous = event.meetings.get(slug="pl-2")  # reuse: make it yesterday's meeting, ended
    start = timezone.now() - timedelta(days=1)
    previous.starts_at, previous.ends_at = start, start + timedelta(hours=3)
    previous.status = Meeting.Status.ENDED
    previous.save()
    item = previous.allocations.get()
    item.started_at, item.ended_at = start + timedelta(minutes=10), start + timedelta(minutes=40)
    item.save()
    france = Participant.objects.create(
        meeting=previous,
        user=users["councillor"],
        entity=factories.member_entity(event, 0),
        name="France delegate",
        kind="member",
        mode="active",
        status="left",
    )
    kenya = Participant.objects.create(
        meeting=previous,
        user=users["focal_point"],
        entity=factories.member_entity(event, 1),
        name="Kenya delegate",
        kind="member",
        mode="active",
        status="left",
    )
    # France was connected throughout; Kenya dropped for 5 minutes during the item.
    Connection.objects.create(
        participant=france,
        channel_name="a",
        process="p",
        last_seen_at=start,
        opened_at=start,
        closed_at=start + timedelta(hours=3),
    )
    for opened, closed in [(0, 20), (25, 180)]:
        connection = Connection.objects.create(
            participant=kenya,
            channel_name="b",
            process="p",
            last_seen_at=start,
            closed_at=start + timedelta(minutes=closed),
        )  # opened_at is set on creation: move it back
        Connection.objects.filter(pk=connection.pk).update(
            opened_at=start + timedelta(minutes=opened)
        )
    Connection.objects.filter(participant=france).update(opened_at=start)
    missed = flow.missed_items(today)
    assert [(m.entity, m.minutes) for m in missed] == [("Kenya", 5)]
    assert flow.absent_members(previous) == []
    assert flow.absent_members(today) == ["France", "Kenya"]  # registered, not connected yet
    # The chair's console gets the three in one go (the flow section of the snapshot).
    shown = flow.continuity(today)
    assert [(m["entity"], m["minutes"]) for m in shown["missed"]] == [("Kenya", 5)]
    assert shown["absent"] == [] and shown["draft_summary"] == flow.draft_summary(today)
    first = today.event.meetings.order_by("starts_at").first()
    assert flow.continuity(first) == {"missed": [], "absent": [], "draft_summary": ""}
    allocation = flow.return_to_item(today, users["chair"], missed[0].item_id)
    assert today.allocations.filter(pk=allocation).exists()
    assert "PL 2" in flow.draft_summary(today)


def test_the_running_order_shows_time_used_once_the_room_records_it(live, client):
    """Issue 4's running order reads what the room records (time used against planned)."""
    from django.urls import reverse

    _, meeting, users = live
    allocation = meeting.allocations.get()
    allocation.planned_minutes = 30
    allocation.save()
    flow.take_up_item(meeting, users["chair"], allocation.pk)
    AgendaAllocation.objects.filter(pk=allocation.pk).update(
        started_at=timezone.now() - timedelta(minutes=42)
    )
    flow.close_item(meeting, users["chair"])
    client.force_login(users["chair"])
    url = reverse(
        "planning:running_order", kwargs={"event": meeting.event.slug, "meeting": meeting.slug}
    )
    page = client.get(url).content.decode()
    assert "Used so far: 42 minutes." in page and "+12" in page


@pytest.mark.usefixtures("hubs")
async def test_an_item_taken_up_while_a_delegation_was_away_is_offered_back_next_meeting(
    live, monkeypatch
):
    """End to end, with real sockets: France's connection drops while the chair has an item of
    meeting 1 under discussion, and a third Member's delegate arrives late; both are in the
    chair's snapshot of meeting 2. Kenya followed the whole item on the webcast (the room was
    full): it heard the item, so it did not miss it."""
    import asyncio

    from channels.db import database_sync_to_async

    from tests.live.conftest import connect

    event, meeting, users = live
    monkeypatch.setattr(flow, "MISSED_MINIMUM", timedelta(milliseconds=300))

    def prepare():
        event.active_capacity = 2  # the chair and France: Kenya follows the webcast
        event.save(update_fields=["active_capacity"])
        late = factories.create_user("late@example.org", full_name="Late delegate")
        factories.register(late, event, factories.member_entity(event, 2))
        return late, meeting.allocations.get()

    late_user, allocation = await database_sync_to_async(prepare)()
    chair = await connect(users["chair"], meeting)
    france = await connect(users["councillor"], meeting)
    kenya = await connect(users["focal_point"], meeting)
    assert kenya.frames[0]["me"]["mode"] == "passive"

    taken = await chair.command("flow.take_up_item", {"allocation_id": allocation.pk})
    assert taken["ok"], taken
    await france.close()  # the connection drops
    await asyncio.sleep(0.6)
    france = await connect(users["councillor"], meeting, resume=france.positions())
    late = await connect(late_user, meeting)  # arrives while the item is under discussion
    assert (await chair.command("flow.close_item"))["ok"]
    assert (await chair.command("flow.close"))["ok"]
    for client in (france, kenya, late):
        await client.close()

    tomorrow = await database_sync_to_async(lambda: event.meetings.get(slug="pl-2"))()
    chair_tomorrow = await connect(users["chair"], tomorrow)
    state = chair_tomorrow.frames[0]["flow"]
    missed = {(m["entity"], m["item"]) for m in state["missed"]}
    item = await database_sync_to_async(lambda: str(allocation.item))()
    names = await database_sync_to_async(
        lambda: [factories.member_entity(event, i).display_name for i in range(3)]
    )()
    assert missed == {(names[0], item), (names[2], item)}  # France dropped, the third came late
    assert all(m["minutes"] >= 1 for m in state["missed"])
    assert state["absent"] == []  # every registered Member connected to meeting 1
    # The chair puts the item back on today's running order.
    back = await chair_tomorrow.command(
        "flow.return_to_item", {"item_id": state["missed"][0]["item_id"]}
    )
    assert back["ok"], back
    await chair.close()
    await chair_tomorrow.close()
