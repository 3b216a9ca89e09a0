"""The event stream (/ws/events/<slug>/): groups by permission, events after commit, commands."""

import pytest
from channels.db import database_sync_to_async
from channels.testing.websocket import WebsocketCommunicator

from tests import factories
from tests.sockets import CONNECT_TIMEOUT
from vev.council.consumers import EventStreamConsumer
from vev.documents.services import consultation
from vev.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(user, event):
    communicator = WebsocketCommunicator(EventStreamConsumer.as_asgi(), f"/ws/events/{event.slug}/")
    communicator.scope["user"] = user
    communicator.scope["url_route"] = {"kwargs": {"event": event.slug}}
    connected, _ = await communicator.connect(timeout=CONNECT_TIMEOUT)
    assert connected
    return communicator


@pytest.fixture
def setup(transactional_db):
    event = factories.create_event()
    users = factories.create_role_users(event)
    document = factories.create_document(event, symbol="C20/10", group=1)
    return event, users, document


async def test_anonymous_and_outsiders_are_closed_with_codes(setup):
    from django.contrib.auth.models import AnonymousUser

    event, users, _ = setup
    anonymous = await connect(AnonymousUser(), event)
    assert (await anonymous.receive_output())["code"] == 4401
    outsider = await connect(users["authenticated"], event)
    assert (await outsider.receive_output())["code"] == 4403
    no_mfa = await connect(users["no_mfa_councillor"], event)
    assert (await no_mfa.receive_output())["code"] == 4403


async def test_secretariat_sees_replies_live_and_delegates_see_moves(setup):
    event, users, document = setup
    secretariat = await connect(users["secretariat"], event)
    assert (await secretariat.receive_json_from())["type"] == "stream.ready"
    delegate = await connect(users["observer"], event)
    assert (await delegate.receive_json_from())["type"] == "stream.ready"

    await database_sync_to_async(consultation.reply)(users["councillor"], document, "move")

    frames = [await secretariat.receive_json_from(timeout=2) for _ in range(2)]
    by_type = {frame["type"]: frame for frame in frames}
    replied = by_type["consultation.replied"]
    assert replied["document_id"] == document.pk
    assert replied["choice"] == "move" and replied["move"] == 1
    assert (
        replied["entity"] == "France" and replied["answered_by"] == users["councillor"].display_name
    )
    assert replied["document_status"] == "moved"
    assert by_type["documents.status_changed"]["status"] == "moved"
    # The observer hears that the document moved, not who replied what.
    seen = await delegate.receive_json_from(timeout=2)
    assert seen["type"] == "documents.status_changed"
    assert await delegate.receive_nothing(timeout=0.2)
    for communicator in (secretariat, delegate):
        await communicator.disconnect()


async def test_notifications_reach_the_user_only(setup):
    event, users, _ = setup
    councillor = await connect(users["councillor"], event)
    await councillor.receive_json_from()
    other = await connect(users["head_of_delegation"], event)
    await other.receive_json_from()
    await database_sync_to_async(notify)(
        [users["councillor"]], kind="test", title="Your question was answered", url="/x/"
    )
    frame = await councillor.receive_json_from(timeout=2)
    assert frame == {
        "type": "notifications.created",
        "id": frame["id"],
        "title": "Your question was answered",
        "url": "/x/",
        "unread": 1,
    }
    assert await other.receive_nothing(timeout=0.2)
    await councillor.disconnect()
    await other.disconnect()


async def test_commands_declare_permissions_and_validate(setup):
    event, users, _document = setup
    secretariat = await connect(users["secretariat"], event)
    await secretariat.receive_json_from()
    await secretariat.send_json_to({"command": "consultation.snapshot", "id": "c1", "payload": {}})
    reply = await secretariat.receive_json_from()
    assert reply["ok"] and reply["id"] == "c1"
    assert reply["result"]["rows"][0]["symbol"] == "C20/10"
    assert len(reply["result"]["states"]) == 3
    await secretariat.send_json_to(
        {"command": "consultation.snapshot", "id": "c2", "payload": {"x": 1}}
    )
    assert (await secretariat.receive_json_from())["error"]["code"] == "invalid"
    await secretariat.send_json_to({"command": "nope.nope", "id": "c3"})
    assert (await secretariat.receive_json_from())["error"]["code"] == "unknown_command"
    await secretariat.disconnect()

    councillor = await connect(users["councillor"], event)
    await councillor.receive_json_from()
    await councillor.send_json_to({"command": "consultation.snapshot", "id": "c4"})
    assert (await councillor.receive_json_from())["error"]["code"] == "denied"
    await councillor.send_json_to({"command": "notifications.unread", "id": "c5"})
    assert (await councillor.receive_json_from())["result"] == {"unread": 0}
    await councillor.disconnect()
