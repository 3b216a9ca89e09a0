"""The venue socket with several clients: presence, bubbles, privacy in every frame, signalling.

Runs on the in-process layer and memory store by default, on channels-redis and the Redis
store with REDIS_URL (CI); ``test_two_server_processes_share_presence`` uses two channel-layer
instances on one Redis, as two server processes would.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.conf import settings

from tests import factories
from tests.sockets import CONNECT_TIMEOUT
from tests.venue.conftest import create_venue, happening_now
from vev.venue.consumers import VenueConsumer
from vev.venue.models import Invitation, SideMeeting, SpaceTally
from vev.venue.services import presence, privacy, side_meetings

pytestmark = pytest.mark.django_db(transaction=True)
_ids = itertools.count(1)


class Client:
    """A browser's socket: sends commands, keeps the frames that are not replies."""

    def __init__(self, user, event, space, consumer=VenueConsumer):
        self.user = user
        self.comm = WebsocketCommunicator(
            consumer.as_asgi(), f"/ws/venue/{event.slug}/{space.slug}/"
        )
        self.comm.scope["user"] = user
        self.comm.scope["url_route"] = {"kwargs": {"event": event.slug, "space": space.slug}}
        self.frames: list[dict] = []

    async def open(self):
        connected, _ = await self.comm.connect(timeout=CONNECT_TIMEOUT)
        assert connected

    async def command(self, name, payload=None):
        request_id = f"c{next(_ids)}"
        await self.comm.send_json_to({"command": name, "id": request_id, "payload": payload or {}})
        while True:
            frame = await self.comm.receive_json_from(timeout=5)
            if frame.get("type") == "reply" and frame.get("id") == request_id:
                return frame
            self.frames.append(frame)

    async def ok(self, name, payload=None):
        reply = await self.command(name, payload)
        assert reply["ok"], reply
        return reply["result"]

    async def next(self, kind, timeout=2):
        for index, frame in enumerate(self.frames):
            if frame["type"] == kind:
                return self.frames.pop(index)
        while True:
            frame = await self.comm.receive_json_from(timeout=timeout)
            if frame["type"] == kind:
                return frame
            self.frames.append(frame)

    async def drain(self, wait=0.3) -> list[dict]:
        # receive_nothing does not cancel the application when nothing comes.
        while not await self.comm.receive_nothing(timeout=wait):
            self.frames.append(await self.comm.receive_json_from())
        frames, self.frames = self.frames, []
        return frames

    async def close(self):
        await self.comm.disconnect()


@pytest.fixture
def world(transactional_db):
    presence.store().clear()
    event = factories.create_event()
    users = factories.create_role_users(event)
    venue = create_venue(event)
    space = venue.spaces.get()
    yield event, users, space
    presence.store().clear()


async def enter(client, x, y):
    await client.open()
    assert (await client.comm.receive_json_from(timeout=3))["type"] == "venue.ready"
    return await client.ok("space.enter", {"x": x, "y": y})


async def test_refused_without_sign_in_or_permission(world):
    from django.contrib.auth.models import AnonymousUser

    event, users, space = world
    for user, code in (
        (AnonymousUser(), 4401),
        (users["authenticated"], 4403),
        (users["no_mfa_councillor"], 4403),
    ):
        client = Client(user, event, space)
        connected, _ = await client.comm.connect(timeout=CONNECT_TIMEOUT)
        assert connected
        assert (await client.comm.receive_output(timeout=3))["code"] == code


async def test_presence_and_bubble_membership_with_several_clients(world):
    event, users, space = world
    a, b, c = (Client(users[r], event, space) for r in ("councillor", "observer", "chair"))
    snap = await enter(a, 100, 100)
    assert [p["user_id"] for p in snap["participants"]] == [users["councillor"].pk]
    snap = await enter(b, 600, 600)
    assert {p["user_id"] for p in snap["participants"]} == {
        users["councillor"].pk,
        users["observer"].pk,
    }
    joined = await a.next("presence.joined")
    assert joined["participant"]["name"] == users["observer"].display_name
    assert joined["participant"]["entity"] == "Observer State 0"
    assert "_audience" not in joined and "persona" not in str(joined)
    await enter(c, 900, 100)

    # B walks up to A: a bubble of two forms; everyone sees it.
    await b.ok("presence.move", {"x": 140, "y": 110})
    for client in (a, b, c):
        bubble = (await client.next("bubble.changed"))["bubble"]
        assert sorted(bubble["members"]) == sorted([users["councillor"].pk, users["observer"].pk])
        assert bubble["capacity"] == 6 and bubble["locked"] is False
    moved = await c.next("presence.moved")
    assert moved == {
        "type": "presence.moved",
        "user_id": users["observer"].pk,
        "x": 140.0,
        "y": 110.0,
    }

    # A locks it: C, coming close, is refused with a message and stays outside.
    assert (await a.ok("bubble.lock", {"locked": True})) == {"locked": True}
    await c.next("bubble.changed")
    await c.ok("presence.move", {"x": 120, "y": 160})
    refused = await c.next("bubble.refused")
    assert refused["message"] == "This conversation is locked."
    state = presence.store().read(presence.space_key(space.pk))
    assert state["participants"][str(users["chair"].pk)]["bubble"] is None

    # Unlocked, C joins on the next step; B walks away and leaves the bubble.
    await a.ok("bubble.lock", {"locked": False})
    await c.ok("presence.move", {"x": 121, "y": 160})
    bubble = None
    while bubble is None or len(bubble["members"]) < 3:
        bubble = (await c.next("bubble.changed"))["bubble"]
    assert users["chair"].pk in bubble["members"]
    await b.ok("presence.move", {"x": 800, "y": 700})
    left = await b.next("bubble.left")
    assert left["bubble"] == bubble["id"]

    # Disconnecting leaves the space: the others are told.
    await c.close()
    gone = await a.next("presence.left")
    assert gone["user_id"] == users["chair"].pk
    for client in (a, b):
        await client.close()


async def test_a_full_bubble_refuses_with_a_message(world):
    event, users, space = world
    space.bubble_capacity = 2
    await database_sync_to_async(space.save)()
    a, b, c = (Client(users[r], event, space) for r in ("councillor", "observer", "chair"))
    await enter(a, 100, 100)
    await enter(b, 150, 100)
    await enter(c, 900, 700)
    await b.ok("presence.move", {"x": 140, "y": 100})
    await a.next("bubble.changed")
    await c.ok("presence.move", {"x": 120, "y": 130})
    assert (await c.next("bubble.refused"))["message"] == "This conversation is full (2 people)."
    for client in (a, b, c):
        await client.close()


async def test_a_hidden_participant_never_appears_in_any_frame(world):
    event, users, space = world
    hidden = users["adviser"]
    await database_sync_to_async(privacy.update_settings)(
        hidden, event, visibility="hidden", do_not_disturb=False, invites_from="anyone"
    )
    watcher = Client(users["councillor"], event, space)
    await enter(watcher, 100, 100)
    ghost = Client(hidden, event, space)
    snap = await enter(ghost, 110, 100)
    assert snap["hidden"] is True
    # The hidden one sees the others, and walks right up to them: no conversation opens.
    assert users["councillor"].pk in [p["user_id"] for p in snap["participants"]]
    await ghost.ok("presence.move", {"x": 101, "y": 101})
    assert (await ghost.next("bubble.refused"))["message"].startswith("You are hidden")
    assert (await ghost.command("bubble.say", {"text": "x"}))["error"]["code"] == "conflict"
    late = Client(users["observer"], event, space)
    snap = await enter(late, 700, 700)
    assert hidden.pk not in [p["user_id"] for p in snap["participants"]]
    await ghost.close()
    frames = await watcher.drain() + await late.drain()
    assert all(hidden.pk != f.get("user_id") for f in frames)
    assert hidden.display_name not in str(frames)
    # Not counted either.
    assert (
        await database_sync_to_async(
            lambda: SpaceTally.objects.filter(space=space).aggregate(
                n=__import__("django.db.models", fromlist=["Sum"]).Sum("arrivals")
            )["n"]
        )()
        == 2
    )
    for client in (watcher, late):
        await client.close()


async def test_delegation_only_and_blocks_filter_every_listing(world):
    event, users, space = world
    # The adviser (France) is visible to the French delegation only.
    await database_sync_to_async(privacy.update_settings)(
        users["adviser"],
        event,
        visibility="delegation",
        do_not_disturb=False,
        invites_from="anyone",
    )
    french = Client(users["councillor"], event, space)
    other = Client(users["observer"], event, space)
    adviser = Client(users["adviser"], event, space)
    await enter(french, 100, 100)
    await enter(other, 600, 600)
    await enter(adviser, 300, 300)
    assert (await french.next("presence.joined"))["participant"]["user_id"] in (
        users["observer"].pk,
        users["adviser"].pk,
    )
    other_frames = await other.drain()
    assert users["adviser"].pk not in [
        f.get("participant", {}).get("user_id") for f in other_frames
    ]

    # The observer blocks the councillor: both lose sight of each other at once.
    await database_sync_to_async(privacy.block)(users["observer"], event, users["councillor"].pk)
    snap = await other.next("presence.snapshot")
    assert users["councillor"].pk not in [p["user_id"] for p in snap["participants"]]
    snap = await french.next("presence.snapshot")
    assert users["observer"].pk not in [p["user_id"] for p in snap["participants"]]
    # Walking onto the person who blocked them tells the councillor nothing: no refusal, no
    # conversation, no frame about the observer (who is not there as far as they can tell).
    await french.ok("presence.move", {"x": 590, "y": 590})
    frames = await french.drain()
    assert not [f for f in frames if f["type"].startswith("bubble.")], frames
    assert users["observer"].pk not in _mentioned(frames)
    frames = await other.drain()
    assert not [f for f in frames if f.get("user_id") == users["councillor"].pk]
    assert users["councillor"].pk not in _mentioned(frames)
    for client in (french, other, adviser):
        await client.close()


def _mentioned(frames: list[dict]) -> set[int]:
    """Every user id a list of frames names, wherever it is."""
    ids: set[int] = set()
    for frame in frames:
        ids.update(p["user_id"] for p in frame.get("participants", []))
        if "participant" in frame:
            ids.add(frame["participant"]["user_id"])
        for key in ("user_id", "from"):
            if key in frame:
                ids.add(frame[key])
        bubble = frame.get("bubble")
        if isinstance(bubble, dict):
            ids.update(bubble["members"])
        for bubble in frame.get("bubbles", []):
            ids.update(bubble["members"])
    return ids


async def _hide(user, event, visibility="hidden"):
    await database_sync_to_async(privacy.update_settings)(
        user, event, visibility=visibility, do_not_disturb=False, invites_from="anyone"
    )


async def test_walking_onto_a_hidden_participant_betrays_nothing(world):
    event, users, space = world
    hidden = users["adviser"]
    await _hide(hidden, event)
    ghost = Client(hidden, event, space)
    await enter(ghost, 300, 300)
    friend = Client(users["observer"], event, space)
    await enter(friend, 350, 300)
    walker = Client(users["councillor"], event, space)
    await enter(walker, 800, 700)
    await walker.drain()
    # The walker steps right onto the hidden adviser; the observer, visible and a little
    # farther, is within range: the conversation opens with the observer, and no refusal
    # says that somebody else is standing there.
    await walker.ok("presence.move", {"x": 300, "y": 310})
    bubble = (await walker.next("bubble.changed"))["bubble"]
    assert sorted(bubble["members"]) == sorted([users["councillor"].pk, users["observer"].pk])
    frames = await walker.drain()
    assert not [f for f in frames if f["type"] == "bubble.refused"], frames
    assert hidden.pk not in _mentioned([*frames, {"bubble": bubble}])
    assert hidden.display_name not in str(frames)
    # The hidden adviser is in no conversation.
    state = presence.store().read(presence.space_key(space.pk))
    assert state["participants"][str(hidden.pk)]["bubble"] is None
    # Alone with the hidden one: still nothing at all.
    await friend.ok("presence.move", {"x": 1100, "y": 100})
    await walker.next("bubble.closed")
    await walker.ok("presence.move", {"x": 301, "y": 300})
    frames = await walker.drain()
    assert not [f for f in frames if f["type"].startswith("bubble.")], frames
    assert hidden.pk not in _mentioned(frames)
    for client in (ghost, friend, walker):
        await client.close()


async def test_a_newcomer_appears_as_if_the_hidden_were_not_there(world):
    event, users, space = world
    rules = presence.SpaceRules.of(space)
    me = await database_sync_to_async(privacy.persona)(users["councillor"], event)
    x, y = presence.spawn_point({}, me, set(), rules)
    await _hide(users["adviser"], event)
    ghost = Client(users["adviser"], event, space)
    await enter(ghost, x, y)  # on the first spot a newcomer is given
    newcomer = Client(users["councillor"], event, space)
    await newcomer.open()
    await newcomer.comm.receive_json_from(timeout=3)
    snap = await newcomer.ok("space.enter")
    assert (snap["you"]["x"], snap["you"]["y"]) == (x, y)
    for client in (ghost, newcomer):
        await client.close()


async def test_one_seen_by_their_delegation_only_is_told_about_their_own_setting(world):
    event, users, space = world
    await _hide(users["adviser"], event, "delegation")
    adviser = Client(users["adviser"], event, space)
    stranger = Client(users["observer"], event, space)
    await enter(adviser, 800, 700)
    await enter(stranger, 300, 300)
    await stranger.drain()
    await adviser.ok("presence.move", {"x": 310, "y": 300})
    refused = await adviser.next("bubble.refused")
    assert refused["message"] == (
        "Only your delegation sees you: make yourself visible to everybody to talk to others."
    )
    frames = await stranger.drain()
    assert users["adviser"].pk not in _mentioned(frames)
    assert not [f for f in frames if f["type"].startswith("bubble.")]
    for client in (adviser, stranger):
        await client.close()


async def test_conversations_of_people_one_may_not_see_are_never_mentioned(world):
    event, users, space = world
    # Two French delegates visible to their delegation only talk; the observer sees neither,
    # and gets no frame about their conversation, not even its closing.
    await _hide(users["adviser"], event, "delegation")
    await _hide(users["councillor"], event, "delegation")
    outsider = Client(users["observer"], event, space)
    await enter(outsider, 1000, 700)
    a, b = Client(users["adviser"], event, space), Client(users["councillor"], event, space)
    await enter(a, 100, 100)
    await enter(b, 300, 300)
    await b.ok("presence.move", {"x": 130, "y": 100})
    assert (await a.next("bubble.changed"))["bubble"]["members"]
    await b.ok("presence.move", {"x": 600, "y": 600})
    await a.next("bubble.closed")
    frames = await outsider.drain()
    assert frames == [], frames
    for client in (outsider, a, b):
        await client.close()


async def test_a_conversation_with_someone_unseen_refuses_without_counting_them(world):
    event, users, space = world
    space.bubble_capacity = 2
    await database_sync_to_async(space.save)()
    # The observer blocked the councillor; the councillor talks with the chair.
    await database_sync_to_async(privacy.block)(users["observer"], event, users["councillor"].pk)
    a, b = Client(users["councillor"], event, space), Client(users["chair"], event, space)
    c = Client(users["observer"], event, space)
    await enter(a, 100, 100)
    await enter(b, 300, 300)
    await enter(c, 900, 700)
    await b.ok("presence.move", {"x": 150, "y": 100})
    await a.next("bubble.changed")
    shown = (await c.next("bubble.changed"))["bubble"]
    assert shown["members"] == [users["chair"].pk]
    # Full by its count, but the observer sees one member: "full (2 people)" would betray
    # the other. The refusal does not say who or why.
    await c.ok("presence.move", {"x": 160, "y": 150})
    refused = await c.next("bubble.refused")
    assert refused["message"] == "You cannot join this conversation."
    for client in (a, b, c):
        await client.close()


async def test_do_not_disturb_refuses_approaches_politely(world):
    event, users, space = world
    await database_sync_to_async(privacy.update_settings)(
        users["observer"], event, visibility="all", do_not_disturb=True, invites_from="anyone"
    )
    a, b = Client(users["councillor"], event, space), Client(users["observer"], event, space)
    await enter(a, 100, 100)
    snap = await enter(b, 600, 600)
    assert next(p for p in snap["participants"] if p["user_id"] == users["observer"].pk)["dnd"]
    await a.ok("presence.move", {"x": 590, "y": 600})
    refused = await a.next("bubble.refused")
    assert (
        refused["message"]
        == f"{users['observer'].display_name} does not wish to be disturbed at the moment."
    )
    for client in (a, b):
        await client.close()


async def test_signalling_and_chat_only_between_members_of_the_same_bubble(world):
    event, users, space = world
    a, b, c = (Client(users[r], event, space) for r in ("councillor", "observer", "chair"))
    await enter(a, 100, 100)
    await enter(b, 130, 100 + 200)
    await enter(c, 900, 700)
    # Not in a conversation yet: refused.
    reply = await a.command(
        "rtc.signal", {"to": users["observer"].pk, "kind": "offer", "data": {"sdp": "v=0"}}
    )
    assert reply["error"]["code"] == "denied"
    await b.ok("presence.move", {"x": 130, "y": 100})
    await a.next("bubble.changed")
    await a.ok("rtc.signal", {"to": users["observer"].pk, "kind": "offer", "data": {"sdp": "v=0"}})
    offer = await b.next("rtc.signal")
    assert offer == {
        "type": "rtc.signal",
        "from": users["councillor"].pk,
        "kind": "offer",
        "data": {"sdp": "v=0"},
    }
    # C is not a member: cannot signal either of them.
    reply = await c.command("rtc.signal", {"to": users["councillor"].pk, "kind": "ice", "data": {}})
    assert reply["error"]["code"] == "denied"
    reply = await a.command("rtc.signal", {"to": users["chair"].pk, "kind": "offer", "data": {}})
    assert reply["error"]["code"] == "denied"
    await a.ok("bubble.say", {"text": "Shall we meet after PL 2?"})
    for client in (a, b):
        message = await client.next("bubble.message")
        assert (
            message["text"] == "Shall we meet after PL 2?"
            and message["name"] == users["councillor"].display_name
        )
    assert not [f for f in await c.drain() if f["type"] in ("bubble.message", "rtc.signal")]
    reply = await c.command("bubble.say", {"text": "hello"})
    assert reply["error"]["code"] == "conflict"
    reply = await a.command("rtc.signal", {"to": users["observer"].pk, "kind": "offer", "extra": 1})
    assert reply["error"]["code"] == "invalid"
    for client in (a, b, c):
        await client.close()


async def test_a_conversation_moves_to_a_private_room(world):
    event, users, space = world
    await database_sync_to_async(happening_now)(event)
    a, b, c = (Client(users[r], event, space) for r in ("councillor", "observer", "chair"))
    await enter(a, 100, 100)
    await enter(b, 300, 300)
    await enter(c, 900, 700)
    reply = await a.command("bubble.private_room")
    assert reply["error"]["code"] == "conflict"
    assert reply["error"]["message"] == "You are not in a conversation."
    await b.ok("presence.move", {"x": 130, "y": 100})
    await a.next("bubble.changed")
    result = await a.ok("bubble.private_room")
    meeting = await database_sync_to_async(
        lambda: SideMeeting.objects.select_related("room", "event").get()
    )()
    assert result == {"url": meeting.get_absolute_url()}
    for client in (a, b):
        frame = await client.next("bubble.private_room")
        assert frame == {
            "type": "bubble.private_room",
            "url": meeting.get_absolute_url(),
            "by": users["councillor"].display_name,
        }
    assert not [f for f in await c.drain() if f["type"] == "bubble.private_room"]
    # A side meeting from now, in a room of this space, for the members of the conversation.
    assert meeting.origin == SideMeeting.Origin.BUBBLE and meeting.room.name == "Room A"
    assert meeting.organiser_id == users["councillor"].pk
    assert (meeting.ends_at - meeting.starts_at).total_seconds() == 30 * 60
    answers = await database_sync_to_async(
        lambda: dict(meeting.invitations.values_list("user_id", "status"))
    )()
    assert answers == {
        users["councillor"].pk: Invitation.Status.ACCEPTED,
        users["observer"].pk: Invitation.Status.PENDING,
    }
    for client in (a, b, c):
        await client.close()


async def test_only_invitees_who_accepted_join_a_side_meetings_call(world):
    event, users, space = world
    await database_sync_to_async(happening_now)(event)
    councillor, observer = users["councillor"], users["observer"]

    def book():
        from django.utils import timezone

        room = space.areas.get(name="Room A")
        start = timezone.now().replace(second=0, microsecond=0)
        return side_meetings.book(
            organiser=councillor,
            room=room,
            title="Bilateral",
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            invitee_ids=[observer.pk, users["adviser"].pk],
            origin=SideMeeting.Origin.BUBBLE,  # from now, off the slot grid
        )

    meeting = await database_sync_to_async(book)()
    outsider = Client(users["chair"], event, space)
    await outsider.open()
    await outsider.comm.receive_json_from(timeout=3)
    reply = await outsider.command("side_meeting.join", {"id": meeting.pk})
    assert reply["error"] == {
        "code": "denied",
        "message": "Only the people invited can join this side meeting.",
    }
    # Invited, not accepted yet: told what to do.
    waiting = Client(observer, event, space)
    await waiting.open()
    await waiting.comm.receive_json_from(timeout=3)
    reply = await waiting.command("side_meeting.join", {"id": meeting.pk})
    assert reply["error"] == {"code": "denied", "message": "Accept the invitation to join."}
    # The organiser joins; the outsider, still refused, can neither chat nor signal in it.
    host = Client(councillor, event, space)
    await host.open()
    await host.comm.receive_json_from(timeout=3)
    joined = await host.ok("side_meeting.join", {"id": meeting.pk})
    assert [m["user_id"] for m in joined["members"]] == [councillor.pk]
    reply = await outsider.command("rtc.signal", {"to": councillor.pk, "kind": "offer"})
    assert reply["error"]["code"] == "denied"
    await database_sync_to_async(
        lambda: side_meetings.respond(
            meeting.invitations.get(user=observer), user=observer, accept=True
        )
    )()
    joined = await waiting.ok("side_meeting.join", {"id": meeting.pk})
    assert sorted(m["user_id"] for m in joined["members"]) == sorted([councillor.pk, observer.pk])
    assert (await host.next("call.joined"))["participant"]["user_id"] == observer.pk
    assert not [f for f in await outsider.drain() if f["type"].startswith("call.")]
    for client in (outsider, waiting, host):
        await client.close()


async def test_a_second_window_replaces_the_first(world):
    event, users, space = world
    first = Client(users["councillor"], event, space)
    await enter(first, 100, 100)
    second = Client(users["councillor"], event, space)
    await enter(second, 100, 100)
    assert (await first.next("presence.replaced"))["type"] == "presence.replaced"
    assert (await first.comm.receive_output(timeout=2))["code"] == 4409
    state = presence.store().read(presence.space_key(space.pk))
    assert len(state["participants"]) == 1
    await second.close()


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (channels-redis)")
async def test_two_server_processes_share_presence(world, settings):
    event, users, space = world
    config = dict(settings.CHANNEL_LAYERS["default"])
    settings.CHANNEL_LAYERS = {"default": config, "second": config}

    class SecondProcess(VenueConsumer):
        channel_layer_alias = "second"

    a = Client(users["councillor"], event, space)
    b = Client(users["observer"], event, space, consumer=SecondProcess)
    await enter(a, 100, 100)
    snap = await enter(b, 130, 300)
    assert users["councillor"].pk in [p["user_id"] for p in snap["participants"]]
    await a.next("presence.joined")
    await b.ok("presence.move", {"x": 130, "y": 110})
    assert (await a.next("bubble.changed"))["bubble"]["members"]
    await a.ok("rtc.signal", {"to": users["observer"].pk, "kind": "offer", "data": {"sdp": "v=0"}})
    assert (await b.next("rtc.signal"))["from"] == users["councillor"].pk
    for client in (a, b):
        await client.close()
