"""The webcast socket: no event lost or doubled around its snapshot; each command's permission
checked when it is used."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from tests.live.conftest import OPEN_COMMUNICATORS, Client
from vev.council.models import Meeting, Registration
from vev.council.permissions import forget_roles
from vev.live import webcast
from vev.live.commands import media as media_commands
from vev.live.services import captions
from vev.media import conf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


@pytest.fixture
def media_off(tmp_path):
    """No media server: media commands answer ``unavailable`` once permitted."""
    previous = conf._current
    conf.use(conf.janus_settings(DIR=str(tmp_path), MODE="off"))
    media_commands.forget_status()
    yield
    conf.use(previous)
    media_commands.forget_status()


async def viewer(user, meeting) -> Client:
    slugs = await database_sync_to_async(lambda: (meeting.event.slug, meeting.slug))()
    communicator = WebsocketCommunicator(
        webcast.WebcastConsumer.as_asgi(), f"/ws/events/{slugs[0]}/meetings/{slugs[1]}/webcast/"
    )
    communicator.scope["user"] = user
    communicator.scope["url_route"] = {"kwargs": {"event": slugs[0], "meeting": slugs[1]}}
    connected, _ = await communicator.connect()
    assert connected
    OPEN_COMMUNICATORS.append(communicator)
    client = Client(communicator)
    first = await client.receive()
    assert first["type"] == "room.snapshot", first
    return client


async def test_an_event_committed_right_after_the_snapshot_is_not_lost(live, monkeypatch):
    """The captions are switched on just after the viewer's snapshot was read: the viewer
    receives ``captions.feed`` (the socket listened before reading the snapshot)."""
    _, meeting, users = live
    original = webcast.webcast_snapshot

    def snapshot_then_act(user, meeting_):
        snapshot = original(user, meeting_)
        captions.create_feed(users["secretariat"], meeting_)  # commits, publishes
        return snapshot

    monkeypatch.setattr(webcast, "webcast_snapshot", snapshot_then_act)
    anonymous = await viewer(AnonymousUser(), meeting)
    snapshot = anonymous.frames[0]
    assert snapshot["captions"]["active"] is False
    switched = await anonymous.receive_type("captions.feed")
    assert switched["active"] is True and switched["seq"] == snapshot["seq"]["room"] + 1
    await anonymous.close()


async def test_an_event_the_snapshot_already_shows_is_not_sent_again(live, monkeypatch):
    _, meeting, users = live
    original = webcast.webcast_snapshot

    def act_then_snapshot(user, meeting_):
        captions.create_feed(users["secretariat"], meeting_)  # committed before the read
        return original(user, meeting_)

    monkeypatch.setattr(webcast, "webcast_snapshot", act_then_snapshot)
    anonymous = await viewer(AnonymousUser(), meeting)
    snapshot = anonymous.frames[0]
    assert snapshot["captions"]["active"] is True and snapshot["seq"]["room"] >= 1
    later = await anonymous.drain(quiet=0.6)
    assert [f for f in later if f.get("type") == "captions.feed"] == []
    await database_sync_to_async(captions.revoke_feed)(users["secretariat"], meeting)
    off = await anonymous.receive_type("captions.feed")
    assert off["active"] is False and off["seq"] == snapshot["seq"]["room"] + 1
    await anonymous.close()


async def test_each_command_checks_its_permission_when_used(live, media_off, monkeypatch):
    """Seeing the meeting when the socket opened is not enough: a delegate whose registration
    was withdrawn, or the public once the meeting is made private, is refused ``denied``."""
    monkeypatch.setattr(webcast, "RECHECK_SECONDS", 0)  # (the cache of a burst: below)
    _, meeting, users = live
    delegate = await viewer(users["councillor"], meeting)
    anonymous = await viewer(AnonymousUser(), meeting)
    await database_sync_to_async(Meeting.objects.filter(pk=meeting.pk).update)(
        access=Meeting.Access.PRIVATE
    )
    # The delegate still may (registered), the public may not any more.
    allowed = await delegate.command("media.watch", {})
    assert allowed["error"]["code"] == "unavailable"  # permitted: then no media server here
    refused = await anonymous.command("media.watch", {})
    assert refused["error"]["code"] == "denied"

    def withdraw():
        Registration.objects.filter(user=users["councillor"]).update(
            status=Registration.Status.WITHDRAWN
        )
        forget_roles(users["councillor"])

    await database_sync_to_async(withdraw)()
    refused = await delegate.command("media.select_channels", {"floor": True})
    assert refused["error"]["code"] == "denied"
    await delegate.close()
    await anonymous.close()


async def test_a_burst_of_commands_checks_the_permission_once(live, media_off, monkeypatch):
    """A viewer's WebRTC set-up sends a burst of commands: the permission is read again at
    most every RECHECK_SECONDS, not once per ICE candidate."""
    _, meeting, users = live
    checks = []
    real = webcast.may_use

    def counted(*args):
        checks.append(args[2].name)
        return real(*args)

    monkeypatch.setattr(webcast, "may_use", counted)
    delegate = await viewer(users["councillor"], meeting)
    for _ in range(5):
        assert (await delegate.command("media.watch", {}))["error"]["code"] == "unavailable"
    assert len(checks) == 1
    monkeypatch.setattr(webcast, "RECHECK_SECONDS", 0)
    await delegate.command("media.watch", {})
    assert len(checks) == 2
    await delegate.close()
