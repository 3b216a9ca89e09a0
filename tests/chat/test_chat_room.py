"""The chat on the room socket: who receives what, resume after a drop, refusals."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.live.conftest import connect
from vev.live.models import Participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


def participant_id(meeting, user):
    return database_sync_to_async(lambda: Participant.objects.get(meeting=meeting, user=user).pk)()


async def seen(client, predicate) -> dict:
    """A frame received already (e.g. while waiting for a reply) or the next one that matches."""
    for frame in client.frames:
        if predicate(frame):
            return frame
    return await client.receive_until(predicate)


def chats(frames) -> list[dict]:
    return [f for f in frames if f.get("type") == "chat.message"]


async def test_private_messages_reach_the_addressee_only_and_all_reach_everyone(live):
    _, meeting, users = live
    a = await connect(users["fr"][0], meeting)
    b = await connect(users["fr"][1], meeting)
    c = await connect(users["councillor"], meeting)
    to_b = await participant_id(meeting, users["fr"][1])
    reply = await a.command(
        "chat.send", {"audience": "private", "text": "Only for you", "to_participant": to_b}
    )
    assert reply["ok"], reply
    got = await seen(b, lambda f: f.get("type") == "chat.message")
    assert got["stream"] == "user" and got["message"]["text"] == "Only for you"
    assert got["message"]["sender"]["entity"]["name"] == "France"
    reply = await a.command("chat.send", {"audience": "all", "text": "Hello all"})
    assert reply["ok"]
    for client in (a, b, c):
        frame = await seen(
            client, lambda f: f.get("type") == "chat.message" and f["message"]["audience"] == "all"
        )
        assert frame["stream"] == "room" and frame["message"]["text"] == "Hello all"
    await c.drain()
    assert [m["message"]["text"] for m in chats(c.frames)] == ["Hello all"]
    # The snapshot keeps the history, each person's own view of it.
    late_c = await connect(users["councillor"], meeting)
    assert [m["text"] for m in late_c.frames[0]["chat"]["messages"]] == ["Hello all"]
    late_b = await connect(users["fr"][1], meeting)
    assert [m["text"] for m in late_b.frames[0]["chat"]["messages"]] == [
        "Only for you",
        "Hello all",
    ]


async def test_a_private_message_missed_during_a_drop_comes_on_resume(live):
    _, meeting, users = live
    sender = await connect(users["councillor"], meeting)
    dropping = await connect(users["fr"][0], meeting)
    await dropping.drain()
    position = dropping.positions()
    await dropping.close()  # dropped, not left
    to_fr0 = await participant_id(meeting, users["fr"][0])
    reply = await sender.command(
        "chat.send",
        {"audience": "private", "text": "While you were away", "to_participant": to_fr0},
    )
    assert reply["ok"], reply
    back = await connect(users["fr"][0], meeting, resume=position)
    assert back.frames[0]["type"] == "room.resumed"
    frame = await seen(back, lambda f: f.get("type") == "chat.message")
    assert frame["message"]["text"] == "While you were away" and frame["stream"] == "user"
    await back.drain()
    assert len(chats(back.frames)) == 1  # not twice


async def test_secretariat_messages_reach_the_secretariat_and_its_answer_the_asker(live):
    _, meeting, users = live
    asker = await connect(users["observer"], meeting)
    secretariat = await connect(users["secretariat"], meeting)
    chair = await connect(users["chair"], meeting)
    reply = await asker.command("chat.send", {"audience": "secretariat", "text": "A question"})
    assert reply["ok"]
    question = await seen(secretariat, lambda f: f.get("type") == "chat.message")
    assert question["message"]["audience"] == "secretariat"
    answer = await secretariat.command(
        "chat.send",
        {
            "audience": "secretariat",
            "text": "The answer",
            "to_participant": question["message"]["sender"]["participant_id"],
        },
    )
    assert answer["ok"], answer
    got = await seen(
        asker, lambda f: f.get("type") == "chat.message" and f["message"]["text"] == "The answer"
    )
    assert got["message"]["sender"]["secretariat"] is True
    await chair.drain()
    assert chats(chair.frames) == []


async def test_delete_is_refused_to_delegates_and_reaches_everyone(live):
    _, meeting, users = live
    delegate = await connect(users["fr"][0], meeting)
    moderator = await connect(users["moderator"], meeting)
    reply = await delegate.command("chat.send", {"audience": "all", "text": "Spam"})
    message_id = reply["result"]["message_id"]
    refused = await delegate.command("chat.delete", {"message_id": message_id, "reason": "x"})
    assert refused["ok"] is False and refused["error"]["code"] == "denied"
    missing_reason = await moderator.command("chat.delete", {"message_id": message_id})
    assert missing_reason["error"]["code"] == "invalid"
    done = await moderator.command(
        "chat.delete", {"message_id": message_id, "reason": "Not on the agenda"}
    )
    assert done["ok"], done
    deleted = await seen(delegate, lambda f: f.get("type") == "chat.deleted")
    assert deleted["message_id"] == message_id and deleted["reason"] == "Not on the agenda"


async def test_a_too_long_message_is_refused_with_a_clear_message(live):
    _, meeting, users = live
    delegate = await connect(users["fr"][0], meeting)
    reply = await delegate.command("chat.send", {"audience": "all", "text": "x" * 2500})
    assert reply["ok"] is False
    assert "at most 2000 characters; this one has 2500" in reply["error"]["message"]
