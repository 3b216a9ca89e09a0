"""Support on the room socket: a report reaches the technical console live, refusals, roster."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.live.conftest import connect
from vev.council.models import ClosedMeetingStaff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


async def seen(client, predicate) -> dict:
    for frame in client.frames:
        if predicate(frame):
            return frame
    return await client.receive_until(predicate)


def of_type(type_):
    return lambda f: f.get("type") == type_


async def test_a_report_reaches_the_technician_live_and_the_reporter_sees_its_status(live):
    _, meeting, users = live
    technician = await connect(users["technician"], meeting)
    assert technician.frames[0]["support"]["open"] == []
    assert technician.frames[0]["support"]["connections"]
    delegate = await connect(users["fr"][0], meeting)
    assert "open" not in delegate.frames[0]["support"]  # a delegate sees only their own
    assert delegate.frames[0]["support"]["contact"]
    reply = await delegate.command(
        "support.report",
        {
            "category": "interpretation",
            "description": "No French channel",
            "user_agent": "Mozilla/5.0 (X11) Test",
            "connection_state": "open",
        },
    )
    assert reply["ok"], reply
    ticket_id = reply["result"]["ticket_id"]
    opened = await seen(technician, of_type("support.ticket_opened"))
    assert opened["stream"] == "user" and opened["ticket"]["id"] == ticket_id
    assert opened["ticket"]["user_agent"] == "Mozilla/5.0 (X11) Test"
    assert opened["ticket"]["reporter_entity"]["name"] == "France"
    assert (await technician.command("support.take", {"ticket_id": ticket_id}))["ok"]
    taken = await seen(delegate, of_type("support.ticket_taken"))
    assert taken["ticket"]["assignee"] == users["technician"].display_name
    done = await technician.command(
        "support.resolve", {"ticket_id": ticket_id, "resolution": "Channel restored"}
    )
    assert done["ok"]
    resolved = await seen(delegate, of_type("support.ticket_resolved"))
    assert resolved["ticket"]["status"] == "resolved"
    listing = await technician.command("support.tickets")
    assert listing["result"]["tickets"] == []


async def test_a_delegate_cannot_list_take_or_resolve_tickets_nor_read_the_log(live):
    _, meeting, users = live
    delegate = await connect(users["fr"][0], meeting)
    reply = await delegate.command(
        "support.report", {"category": "audio", "description": "Echo on the floor"}
    )
    ticket_id = reply["result"]["ticket_id"]
    for name, payload in [
        ("support.tickets", {}),
        ("support.take", {"ticket_id": ticket_id}),
        ("support.resolve", {"ticket_id": ticket_id}),
        ("support.connections", {}),
    ]:
        refused = await delegate.command(name, payload)
        assert refused["ok"] is False and refused["error"]["code"] == "denied", name
    await delegate.drain()
    assert not [f for f in delegate.frames if f.get("type") == "support.ticket_taken"]


async def test_the_technical_console_log_shows_a_drop_with_its_times(live):
    _, meeting, users = live
    technician = await connect(users["technician"], meeting)
    delegate = await connect(users["fr"][0], meeting)
    await delegate.close()  # a drop
    back = await connect(users["fr"][0], meeting)
    await back.drain(0.3)
    reply = await technician.command("support.connections")
    rows = [c for c in reply["result"]["connections"] if c["name"] == "Councillor FR0"]
    assert len(rows) == 2
    current, dropped = rows
    assert current["closed_at"] is None and current["opened_at"]
    assert dropped["close_reason"] == "dropped" and dropped["closed_at"] >= dropped["opened_at"]


async def test_a_closed_meeting_lists_every_non_councillor_by_name_and_role(live):
    from tests.factories import open_meeting

    event, _, users = live
    closed = await database_sync_to_async(open_meeting)(event, "closed-1")
    await database_sync_to_async(ClosedMeetingStaff.objects.create)(
        meeting=closed, user=users["technician"], function="Sound engineer"
    )
    await connect(users["technician"], closed)
    await connect(users["chair"], closed)
    councillor = await connect(users["councillor"], closed)
    roster = councillor.frames[0]["roster"]
    assert roster["closed"] is True
    by_name = {r["name"]: r["role"] for r in roster["non_councillors"]}
    assert by_name[users["technician"].display_name] == "Sound engineer"
    assert users["chair"].display_name in by_name
    assert users["councillor"].display_name not in by_name
    # The presence list shows the same role to everyone in the room.
    people = {p["name"]: p["capacity"] for p in councillor.frames[0]["presence"]["participants"]}
    assert people[users["technician"].display_name] == "Sound engineer"


async def test_an_open_meeting_has_no_roster(live):
    _, meeting, users = live
    client = await connect(users["councillor"], meeting)
    assert client.frames[0]["roster"] == {"closed": False, "non_councillors": []}


async def closed_with(client) -> int:
    """Wait for the server to close the socket; its close code. Then the ASGI server's part:
    tell the application the socket is gone (with that code, as uvicorn does)."""
    while True:
        output = await client.communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            code = output.get("code")
            await client.communicator.disconnect(code=code)
            return code
        if output["type"] == "websocket.send":
            client.frames.append(__import__("json").loads(output["text"]))


async def test_a_technician_resets_a_participants_connection_and_the_page_resumes(live):
    """``support.reset_connection`` closes every socket of the participant with 4000 (reconnect
    at once), logged as ``disconnected`` and audited with the technician's session; the page
    comes back with a resume, nothing missed."""
    import hashlib

    from vev.core.models import AuditEntry
    from vev.live.models import Connection, Participant

    _, meeting, users = live
    technician = await connect(users["technician"], meeting, session_key="technician-key-01")
    delegate = await connect(users["fr"][0], meeting)
    second_tab = await connect(users["fr"][0], meeting)
    participant_id = await database_sync_to_async(
        lambda: Participant.objects.get(meeting=meeting, user=users["fr"][0]).pk
    )()
    reply = await technician.command("support.reset_connection", {"participant_id": participant_id})
    assert reply["ok"] and reply["result"] == {"connections": 2}, reply
    assert await closed_with(delegate) == 4000
    assert await closed_with(second_tab) == 4000

    # The client reconnects at once and resumes from where it was.
    back = await connect(users["fr"][0], meeting, resume=delegate.positions())
    assert back.frames[0]["type"] == "room.resumed"

    def logged():
        rows = Connection.objects.filter(participant_id=participant_id).exclude(closed_at=None)
        audit = AuditEntry.objects.get(action="vev.live.connection.reset")
        return list(rows.values_list("close_reason", "close_code")), audit

    rows, audit = await database_sync_to_async(logged)()
    assert rows == [("disconnected", 4000), ("disconnected", 4000)]
    assert audit.target_id == str(participant_id) and audit.data["connections"] == 2
    assert audit.session_key_hash == hashlib.sha256(b"technician-key-01").hexdigest()
    # The technical console's log says how those connections ended.
    log = (await technician.command("support.connections"))["result"]["connections"]
    reasons = [c["close_reason"] for c in log if c["participant_id"] == participant_id]
    assert sorted(reasons) == ["", "disconnected", "disconnected"]

    # Nobody connected: said so.
    await back.command("room.leave")
    await closed_with(back)
    gone = await technician.command("support.reset_connection", {"participant_id": participant_id})
    assert gone["error"]["code"] == "conflict" and "not connected" in gone["error"]["message"]


async def test_only_support_staff_may_reset_a_connection(live):
    """The chair, a delegate or an interpreter may not reset anyone's connection."""
    from vev.live.models import Participant

    _, meeting, users = live
    victim = await connect(users["fr"][0], meeting)
    participant_id = await database_sync_to_async(
        lambda: Participant.objects.get(meeting=meeting, user=users["fr"][0]).pk
    )()
    for role in ("chair", "councillor", "interpreter"):
        other = await connect(users[role], meeting)
        refused = await other.command(
            "support.reset_connection", {"participant_id": participant_id}
        )
        assert refused["ok"] is False and refused["error"]["code"] == "denied", role
        await other.close()
    for role in ("moderator", "secretariat"):
        other = await connect(users[role], meeting)
        assert (await other.command("support.connections"))["ok"], role
        await other.close()
    # The victim's socket is still open.
    assert (await victim.command("presence.delegation"))["ok"]
    await victim.close()
