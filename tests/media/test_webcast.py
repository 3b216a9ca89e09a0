"""The webcast socket: anyone who may see the meeting listens and watches, nothing more."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from tests.factories import open_meeting
from tests.live.conftest import OPEN_COMMUNICATORS, Client, hubs  # noqa: F401  (fixture)
from tests.sockets import CONNECT_TIMEOUT
from vev.council.models import Meeting
from vev.live.commands import media as media_commands
from vev.live.webcast import WEBCAST_COMMANDS, WebcastConsumer
from vev.media import conf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


async def viewer(user, meeting, *, expect_ok: bool = True) -> Client:
    slugs = await database_sync_to_async(lambda: (meeting.event.slug, meeting.slug))()
    communicator = WebsocketCommunicator(
        WebcastConsumer.as_asgi(), f"/ws/events/{slugs[0]}/meetings/{slugs[1]}/webcast/"
    )
    communicator.scope["user"] = user
    communicator.scope["url_route"] = {"kwargs": {"event": slugs[0], "meeting": slugs[1]}}
    connected, _ = await communicator.connect(timeout=CONNECT_TIMEOUT)
    assert connected
    OPEN_COMMUNICATORS.append(communicator)
    client = Client(communicator)
    first = await client.receive()
    if expect_ok:
        assert first["type"] == "room.snapshot", first
    return client


@pytest.fixture
def media_off(tmp_path):
    previous = conf._current
    conf.use(conf.janus_settings(DIR=str(tmp_path), MODE="off"))
    media_commands.forget_status()
    yield
    conf.use(previous)
    media_commands.forget_status()


async def test_the_public_follows_a_public_meeting_and_may_only_listen(live, media_off):
    _, meeting, _ = live
    anonymous = await viewer(AnonymousUser(), meeting)
    snapshot = anonymous.frames[0]
    assert snapshot["me"] == {"user_id": 0, "mode": "passive"}
    assert snapshot["media"]["status"]["available"] is False
    assert snapshot["media"]["may_attend"] is False and snapshot["media"]["may_record"] is False
    assert "captions" in snapshot
    # Speaking, the booth and recording are not webcast commands.
    for name in ("media.join_floor", "media.set_muted", "media.join_booth", "media.record_start"):
        reply = await anonymous.command(name, {})
        assert reply["error"]["code"] == "unknown_command", name
    reply = await anonymous.command("media.watch", {})
    assert reply["error"]["code"] == "unavailable"
    assert reply["error"]["message"] == snapshot["media"]["status"]["message"]
    assert {c.name for c in WEBCAST_COMMANDS} == {
        "media.watch",
        "media.select_channels",
        "media.answer",
        "media.trickle",
        "media.leave",
        "media.subscribe_video",
    }
    await anonymous.close()


async def test_private_and_closed_meetings_have_no_public_webcast(live, media_off):
    event, meeting, users = live
    await database_sync_to_async(Meeting.objects.filter(pk=meeting.pk).update)(
        access=Meeting.Access.PRIVATE
    )
    refused = await viewer(AnonymousUser(), meeting, expect_ok=False)
    assert refused.frames[0] == {
        "type": "room.refused",
        "code": "no_webcast",
        "message": "You may not follow this meeting.",
    }
    # A registered delegate may follow the private meeting's webcast.
    delegate = await viewer(users["councillor"], meeting)
    assert delegate.frames[0]["me"]["user_id"] == users["councillor"].pk
    await delegate.close()
    closed = await database_sync_to_async(open_meeting)(event, "closed-1")
    refused = await viewer(users["councillor"], closed, expect_ok=False)
    assert refused.frames[0]["message"] == "A closed meeting has no webcast."


@pytest.mark.janus
async def test_an_anonymous_viewer_receives_the_channels_on_janus(live, janus):
    _, meeting, _ = live
    media_commands.forget_status()
    anonymous = await viewer(AnonymousUser(), meeting)
    assert anonymous.frames[0]["media"]["status"]["available"] is True
    offer = await anonymous.command("media.watch", {"floor": True, "language": "ru"})
    assert offer["ok"] and offer["result"]["type"] == "offer", offer
    switched = await anonymous.command("media.select_channels", {"floor": True, "language": None})
    assert switched["ok"] and switched["result"]["language"] is None
    await anonymous.close()
    media_commands.forget_status()
