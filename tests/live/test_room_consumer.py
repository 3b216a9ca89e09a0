"""The room socket: admission, snapshot, presence, capacity, resume without loss or duplicates."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from tests import factories
from tests.live.conftest import connect
from vev.council.models import ClosedMeetingStaff, Meeting
from vev.live.models import Connection, Participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


async def test_snapshot_shows_me_the_meeting_and_who_is_here(live):
    event, meeting, users = live
    chair = await connect(users["chair"], meeting)
    snapshot = chair.frames[0]
    assert snapshot["type"] == "room.snapshot"
    assert snapshot["seq"] == {"room": 0, "user": 0} and snapshot["epoch"]
    assert snapshot["meeting"]["code"] == "PL 1"
    assert snapshot["me"]["kind"] == "staff" and snapshot["me"]["mode"] == "active"
    assert snapshot["me"]["may_preside"] is True
    names = [p["name"] for p in snapshot["presence"]["participants"]]
    assert users["chair"].display_name in names

    delegate = await connect(users["fr"][0], meeting)
    me = delegate.frames[0]["me"]
    assert me["kind"] == "member" and me["mode"] == "active" and me["may_preside"] is False
    assert me["entity"]["name"] == "France" and me["entity"]["council_member"] is True
    # The chair sees the delegate arrive, with the State they represent.
    update = await chair.receive_until(
        lambda f: (
            f.get("type") == "presence.updated"
            and any(p["name"] == "Councillor FR0" for p in f["participants"])
        )
    )
    [arrived] = [p for p in update["participants"] if p["name"] == "Councillor FR0"]
    assert arrived["name"] == "Councillor FR0" and arrived["entity"]["code"] == "FR"
    assert update["stream"] == "room" and update["seq"] >= 1
    await chair.close()
    await delegate.close()


async def test_refusals_say_why(live):
    event, meeting, users = live

    async def refusal(user, target=meeting):
        client = await connect(user, target, expect_ok=False)
        if isinstance(user, AnonymousUser):
            return None, (await client.communicator.receive_output())["code"]
        frame = await client.receive()
        closed = await client.communicator.receive_output()
        return frame, closed["code"]

    assert (await refusal(AnonymousUser())) == (None, 4401)
    frame, code = await refusal(users["authenticated"])
    assert code == 4403 and frame["type"] == "room.refused"
    assert frame["code"] == "not_registered" and "approved participants" in frame["message"]
    frame, code = await refusal(users["no_mfa_councillor"])
    assert frame["code"] == "not_registered"

    later = await database_sync_to_async(event.meetings.get)(slug="pl-2")
    frame, _ = await refusal(users["councillor"], later)
    assert frame["code"] == "not_open_yet"
    staff = await connect(users["secretariat"], later)  # staff may prepare the room early
    await staff.close()


async def test_closed_meetings_admit_councillors_and_named_staff_only(live):
    from tests.factories import open_meeting

    event, _, users = live
    closed = await database_sync_to_async(open_meeting)(event, "closed-1")
    for role in ("adviser", "observer", "technician", "interpreter", "secretariat"):
        client = await connect(users[role], closed, expect_ok=False)
        frame = await client.receive()
        assert frame["code"] == "closed_meeting", role
    for role in ("councillor", "head_of_delegation", "chair"):
        client = await connect(users[role], closed)
        await client.close()
    await database_sync_to_async(ClosedMeetingStaff.objects.create)(
        meeting=closed, user=users["technician"], function="Sound engineer"
    )
    technician = await connect(users["technician"], closed)
    assert technician.frames[0]["me"]["kind"] == "staff"
    await technician.close()

    from vev.core.models import AuditEntry

    admitted = await database_sync_to_async(
        lambda: list(
            AuditEntry.objects.filter(action="vev.live.closed_meeting.admitted").values_list(
                "actor_label", flat=True
            )
        )
    )()
    assert users["technician"].display_name in admitted


async def test_a_fourth_delegate_of_a_state_follows_the_webcast(live):
    event, meeting, users = live
    clients = [await connect(user, meeting) for user in users["fr"][:3]]
    assert all(c.frames[0]["me"]["mode"] == "active" for c in clients)
    fourth = await connect(users["fr"][3], meeting)
    me = fourth.frames[0]["me"]
    assert me["mode"] == "passive" and me["reason"] == "delegation_full"
    # The webcast followers are counted, not listed.
    counts = fourth.frames[0]["presence"]["counts"]
    assert counts["passive"] == 1 and counts["active"] == 3
    listed = {p["name"] for p in fourth.frames[0]["presence"]["participants"]}
    assert "Councillor FR3" not in listed

    # The first leaves on purpose: the seat goes to the fourth at once, who is told.
    reply = await clients[0].command("room.leave")
    assert reply["ok"] and reply["result"] == {"left": True}
    assert (await clients[0].communicator.receive_output())["type"] == "websocket.close"
    await clients[0].close()
    status = await fourth.receive_type("presence.my_status")
    assert status["mode"] == "active" and status["stream"] == "user"
    log = await database_sync_to_async(
        lambda: Connection.objects.get(participant__user=users["fr"][0]).close_reason
    )()
    assert log == Connection.Reason.LEFT
    for client in [*clients[1:], fourth]:
        await client.close()


async def test_room_capacity_and_webcast_capacity(live):
    event, meeting, users = live
    event.active_capacity, event.passive_capacity = 2, 1
    await database_sync_to_async(event.save)()
    first = await connect(users["councillor"], meeting)
    second = await connect(users["fr"][0], meeting)
    third = await connect(users["fr"][1], meeting)
    assert third.frames[0]["me"]["mode"] == "passive"
    assert third.frames[0]["me"]["reason"] == "room_full"
    fourth = await connect(users["fr"][2], meeting, expect_ok=False)
    refused = await fourth.receive()
    assert refused["code"] == "full"
    # Staff always get in.
    chair = await connect(users["chair"], meeting)
    assert chair.frames[0]["me"]["mode"] == "active"
    for client in (first, second, third, chair):
        await client.close()


async def test_a_dropped_delegate_resumes_with_nothing_missing_or_twice(live):
    event, meeting, users = live
    watcher = await connect(users["chair"], meeting)
    delegate = await connect(users["fr"][0], meeting)
    await watcher.receive_type("presence.updated")
    await delegate.drain()
    position = delegate.positions()
    await delegate.close()  # the connection drops (no room.leave)
    dropped = await database_sync_to_async(
        lambda: Participant.objects.get(user=users["fr"][0], meeting=meeting)
    )()
    assert dropped.status == "away" and dropped.mode == "active"  # the seat is kept a while

    # While it is away, two others arrive (two presence events at least).
    others = [await connect(users["fr"][1], meeting), await connect(users["councillor"], meeting)]
    await asyncio.sleep(0.6)
    missed = await database_sync_to_async(
        lambda: list(
            meeting.room_events.filter(recipient__isnull=True, seq__gt=position["room"])
            .order_by("seq")
            .values_list("seq", flat=True)
        )
    )()
    assert missed

    back = await connect(users["fr"][0], meeting, resume=position)
    resumed = back.frames[0]
    assert resumed["type"] == "room.resumed" and resumed["from"]["room"] == position["room"]
    await back.drain()
    room_seqs = [f["seq"] for f in back.frames if f.get("stream") == "room"]
    assert room_seqs == sorted(set(room_seqs)), "in order, each once"
    assert set(missed) <= set(room_seqs), "nothing missed"
    assert room_seqs[0] == position["room"] + 1, "nothing before the resume position"
    for client in (watcher, back, *others):
        await client.close()


async def test_a_resume_from_another_epoch_gets_a_snapshot(live):
    event, meeting, users = live
    client = await connect(
        users["fr"][0], meeting, resume={"epoch": "not-this-room", "room": 3, "user": 0}
    )
    assert client.frames[0]["type"] == "room.snapshot"
    await client.close()


async def test_a_seat_is_handed_within_the_delegation(live):
    event, meeting, users = live
    holders = [await connect(user, meeting) for user in users["fr"][:3]]
    waiting = await connect(users["fr"][3], meeting)
    listing = await holders[0].command("presence.delegation")
    by_name = {m["name"]: m for m in listing["result"]["members"]}
    giver, receiver = by_name["Councillor FR0"]["id"], by_name["Councillor FR3"]["id"]

    outsider = await connect(users["councillor"], meeting)  # France too, but not the holder
    refused = await outsider.command("presence.hand_seat", {"giver": giver, "receiver": receiver})
    assert refused["ok"] is False and refused["error"]["code"] == "denied"

    reply = await holders[0].command("presence.hand_seat", {"giver": giver, "receiver": receiver})
    assert reply["ok"], reply
    assert (await waiting.receive_type("presence.my_status"))["mode"] == "active"
    mine = await holders[0].receive_type("presence.my_status")
    assert mine["mode"] == "passive" and mine["reason"] == "gave_seat"
    for client in (*holders, waiting, outsider):
        await client.close()


async def test_joins_and_drops_are_logged_with_times(live):
    event, meeting, users = live
    client = await connect(users["fr"][0], meeting)
    await client.close()
    client = await connect(users["fr"][0], meeting)
    await client.command("room.leave")
    await client.close()
    rows = await database_sync_to_async(
        lambda: list(
            Connection.objects.filter(participant__user=users["fr"][0])
            .order_by("opened_at")
            .values_list("close_reason", "opened_at", "closed_at")
        )
    )()
    assert [r[0] for r in rows] == ["dropped", "left"]
    assert all(opened <= closed for _, opened, closed in rows)


def test_meeting_status_refuses_after_the_end(live):
    from vev.live.errors import LiveError
    from vev.live.services.access import room_access

    event, meeting, users = live
    meeting.status = Meeting.Status.ENDED
    meeting.save()
    with pytest.raises(LiveError) as error:
        room_access(users["councillor"], meeting)
    assert error.value.code == "ended"
    factories  # noqa: B018  (imported for fixtures' factories)


async def test_every_chair_command_is_refused_to_delegates_over_the_socket(live):
    """Each command declares its permission; a delegate gets ``denied`` for the chair's."""
    from vev.council.permissions import Perm
    from vev.live.commands import ROOM_COMMANDS

    _, meeting, users = live
    delegate = await connect(users["councillor"], meeting)
    guarded = [c.name for c in ROOM_COMMANDS if c.permission == Perm.MEETING_MODERATE]
    assert {"speakers.give_floor", "moderation.mute_all", "flow.open"} <= set(guarded)
    for name in guarded:
        reply = await delegate.command(name, {})
        assert reply["error"]["code"] == "denied", (name, reply)
    await delegate.close()


async def test_the_chair_acts_over_the_socket_and_everyone_sees_it(live):
    _, meeting, users = live
    chair = await connect(users["chair"], meeting)
    delegate = await connect(users["councillor"], meeting)
    raised = await delegate.command("speakers.raise_hand", {"kind": "speak"})
    assert raised["ok"], raised
    entry = raised["result"]["entry_id"]
    event = await chair.receive_type("speakers.hand_raised")
    assert [e["id"] for e in event["speakers"]["queue"]] == [entry]
    given = await chair.command("speakers.give_floor", {"entry_id": entry, "time_limit": 60})
    assert given["ok"], given
    floor = await delegate.receive_type("speakers.floor_given")
    assert floor["speakers"]["floor"]["id"] == entry
    assert floor["speakers"]["floor"]["time_limit_seconds"] == 60
    refused = await delegate.command("speakers.raise_nameplate", {"kind": "motion"})
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"  # which motion?
    assert refused["error"]["message"] == "Choose the procedural motion you move."
    await chair.close()
    await delegate.close()


async def test_a_delegate_is_told_in_french_what_is_wrong_with_a_command(live):
    """Invalid payloads and the room's refusals reach a French delegate in French, with the
    code the error carries (never Pydantic's English, never a field name alone)."""
    from django.utils import translation

    _, meeting, users = live
    delegate = await connect(users["fr"][0], meeting, language="fr")
    chair = await connect(users["chair"], meeting, language="fr")

    note = await delegate.command(
        "speakers.raise_nameplate", {"kind": "point_of_order", "note": "x" * 301}
    )
    assert note["error"]["code"] == "invalid"
    assert note["error"]["message"].endswith(
        "Assurez-vous que cette valeur comporte au plus 300 caractères (actuellement 301)."
    )
    kind = await delegate.command("speakers.raise_hand", {"kind": "shout"})
    assert kind["error"]["code"] == "invalid"
    assert kind["error"]["message"].endswith(
        "Sélectionnez un choix valide. shout n’en fait pas partie."
    )
    reason = await chair.command("moderation.remove", {"participant_id": 1, "reason": ""})
    assert reason["error"]["code"] == "invalid"
    assert reason["error"]["message"].endswith("Ce champ est obligatoire.")
    for reply in (note, kind, reason):
        assert "should" not in reply["error"]["message"]  # Pydantic's English

    # Neither a request nor a participant: a sentence, not the payload's field names.
    nobody = await chair.command("speakers.give_floor", {})
    assert nobody["error"]["code"] == "invalid"
    with translation.override("fr"):
        expected = translation.gettext(
            "Choose whom to give the floor to: a request on the list or someone in the room."
        )
    assert nobody["error"]["message"] == expected
    assert "entry_id" not in nobody["error"]["message"]
    await delegate.close()
    await chair.close()


async def test_room_acts_are_audited_with_the_session_they_came_from(live):
    """The audit log says from which session an act of the room came (a stolen session's acts
    can be traced), for the list of speakers and for moderation alike."""
    import hashlib

    from vev.core.models import AuditEntry

    _, meeting, users = live
    chair = await connect(users["chair"], meeting, session_key="chair-session-0001")
    delegate = await connect(users["fr"][0], meeting, session_key="delegate-session-0001")
    assert (await delegate.command("speakers.raise_hand", {"kind": "speak"}))["ok"]
    assert (await chair.command("moderation.mute_all"))["ok"]

    def hashed(action):
        return AuditEntry.objects.filter(action=action).values_list("session_key_hash", flat=True)

    hand = await database_sync_to_async(lambda: list(hashed("vev.live.speakers.hand_raised")))()
    mute = await database_sync_to_async(lambda: list(hashed("vev.live.moderation.muted_all")))()
    assert hand == [hashlib.sha256(b"delegate-session-0001").hexdigest()]
    assert mute == [hashlib.sha256(b"chair-session-0001").hexdigest()]
    await chair.close()
    await delegate.close()


async def test_the_chairs_snapshot_lists_the_removed_and_names_webcast_delegations(live):
    """The console needs who was removed (to readmit them) and the names of the delegations
    that follow the webcast (``counts.passive_by_entity`` names them by id)."""
    from vev.live.services import moderation

    event, meeting, users = live
    holders = [await connect(user, meeting) for user in users["fr"][:3]]
    passive = await connect(users["fr"][3], meeting)
    assert passive.frames[0]["me"]["mode"] == "passive"
    observer = await connect(users["observer"], meeting)
    removed_id = await database_sync_to_async(
        lambda: Participant.objects.get(meeting=meeting, user=users["observer"]).pk
    )()
    await database_sync_to_async(moderation.remove)(
        meeting, users["chair"], removed_id, reason="Off topic"
    )
    chair = await connect(users["chair"], meeting)
    snapshot = chair.frames[0]
    [removed] = snapshot["moderation"]["removed"]
    assert removed["id"] == removed_id and removed["reason"] == "Off topic"
    counts = snapshot["presence"]["counts"]
    france = await database_sync_to_async(lambda: factories.member_entity(event, 0).pk)()
    assert counts["passive_by_entity"] == {str(france): 1}
    assert snapshot["presence"]["entities"][str(france)] == "France"
    assert "removed" not in passive.frames[0]["moderation"]  # delegates do not see the list
    for client in (*holders, passive, observer, chair):
        await client.close()
