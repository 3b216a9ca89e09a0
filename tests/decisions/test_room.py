"""The objection call over the room socket: which session acted, and who sees drafts."""

from __future__ import annotations

import hashlib

import pytest
from channels.db import database_sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore

from tests.live.conftest import OPEN_COMMUNICATORS, Client
from vev.core.models import AuditEntry
from vev.decisions.services import conclusions

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


def signed_in(user) -> SessionStore:
    """A real session of ``user``, as the authentication middleware puts it in the scope."""
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    return session


async def connect(user, meeting) -> tuple[Client, str]:
    """A room socket of ``user`` with a session; returns the client and the session key."""
    from vev.live.consumers import RoomConsumer

    session = await database_sync_to_async(signed_in)(user)
    event_slug, meeting_slug = await database_sync_to_async(
        lambda: (meeting.event.slug, meeting.slug)
    )()
    communicator = WebsocketCommunicator(
        RoomConsumer.as_asgi(), f"/ws/events/{event_slug}/meetings/{meeting_slug}/room/"
    )
    communicator.scope["user"] = user
    communicator.scope["session"] = session
    communicator.scope["url_route"] = {"kwargs": {"event": event_slug, "meeting": meeting_slug}}
    connected, _ = await communicator.connect()
    assert connected
    OPEN_COMMUNICATORS.append(communicator)
    client = Client(communicator)
    assert (await client.receive())["type"] == "room.snapshot"
    return client, session.session_key


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@database_sync_to_async
def entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("position")


async def test_conclusion_acts_over_the_socket_record_the_session(live):
    _, meeting, users = live
    chair, chair_key = await connect(users["chair"], meeting)
    france, france_key = await connect(users["fr"][0], meeting)

    drafted = await chair.command("conclusions.draft", {"text": "The Council noted it."})
    assert drafted["ok"], drafted
    conclusion_id = drafted["result"]["conclusion_id"]
    opened = await chair.command(
        "conclusions.open_call", {"conclusion_id": conclusion_id, "seconds": 30}
    )
    assert opened["ok"], opened
    objected = await france.command(
        "conclusions.object", {"call_id": opened["result"]["call_id"], "reason": "Too soon."}
    )
    assert objected["ok"], objected

    assert (await entry("vev.decisions.conclusion.drafted")).session_key_hash == hashed(chair_key)
    called = await entry("vev.decisions.conclusion.called")
    assert called.session_key_hash == hashed(chair_key)
    objection = await entry("vev.decisions.conclusion.objection_raised")
    assert objection.session_key_hash == hashed(france_key) != hashed(chair_key)
    assert objection.actor_id == users["fr"][0].pk


async def test_drafts_reach_only_those_who_may_draft(live):
    event, meeting, users = live
    chair, _ = await connect(users["chair"], meeting)
    france, _ = await connect(users["fr"][0], meeting)

    allocation = await database_sync_to_async(meeting.allocations.get)()
    reply = await chair.command(
        "conclusions.draft",
        {"text": "A draft for the chair's eyes.", "allocation_id": allocation.pk},
    )
    conclusion_id = reply["result"]["conclusion_id"]
    drafted = await chair.receive_type("conclusions.drafted")
    assert drafted["conclusion"]["text"] == "A draft for the chair's eyes."
    assert drafted["stream"] == "user"
    await france.drain()
    assert not [f for f in france.frames if f.get("type") == "conclusions.drafted"]

    # on (re)connecting: the chair's snapshot has the draft, a delegate's has not
    secretariat, _ = await connect(users["secretariat"], meeting)
    delegate, _ = await connect(users["fr"][1], meeting)
    assert [c["id"] for c in secretariat.frames[0]["conclusions"]["conclusions"]] == [conclusion_id]
    assert delegate.frames[0]["conclusions"]["conclusions"] == []
    # put to the meeting, it reaches everyone
    await chair.command("conclusions.open_call", {"conclusion_id": conclusion_id})
    opened = await delegate.receive_type("conclusions.call_opened")
    assert opened["conclusion"]["id"] == conclusion_id

    state = await database_sync_to_async(conclusions.room_state)(meeting, users["fr"][2])
    assert [c["id"] for c in state["conclusions"]] == [conclusion_id]


async def test_a_draft_without_an_item_goes_to_the_item_under_discussion(live):
    """The console may send the draft before the take-up reached it: the room's item counts."""
    from vev.decisions.models import ProposedConclusion
    from vev.live.services import flow

    _, meeting, users = live
    chair, _ = await connect(users["chair"], meeting)
    allocation = await database_sync_to_async(meeting.allocations.select_related("item").get)()
    await database_sync_to_async(flow.take_up_item)(meeting, users["chair"], allocation.pk)
    reply = await chair.command("conclusions.draft", {"text": "The Council noted it."})
    assert reply["ok"], reply
    conclusion = await database_sync_to_async(ProposedConclusion.objects.get)(
        pk=reply["result"]["conclusion_id"]
    )
    assert conclusion.agenda_item_id == allocation.item_id
