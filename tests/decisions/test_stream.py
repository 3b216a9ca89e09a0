"""The decisions events and command on the event stream (/ws/events/<slug>/)."""

import pytest
from channels.db import database_sync_to_async

from tests import factories
from tests.council.test_consumers import connect
from tests.decisions.conftest import pass_deadline
from vev.decisions.services import closing, replies

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(transactional_db):
    event = factories.create_event()
    users = factories.create_role_users(event)
    procedure = factories.create_written_procedure(
        event, secretariat=users["secretariat"], chair=users["chair"]
    )
    return event, users, procedure


async def frames_of(communicator, kind, count=1):
    """The next ``count`` frames of type ``kind`` (notifications may arrive in between)."""
    found = []
    while len(found) < count:
        frame = await communicator.receive_json_from(timeout=3)
        if frame["type"] == kind:
            found.append(frame)
    return found


async def test_replies_go_live_to_the_secretariat_and_the_result_to_everyone(setup):
    event, users, procedure = setup
    chair = await connect(users["chair"], event)
    assert (await chair.receive_json_from())["type"] == "stream.ready"
    observer = await connect(users["observer"], event)
    assert (await observer.receive_json_from())["type"] == "stream.ready"

    await database_sync_to_async(replies.reply)(
        users["councillor"], procedure, "object", "France objects."
    )
    [replied] = await frames_of(chair, "decisions.replied")
    assert replied["procedure_id"] == procedure.pk and replied["entity"] == "France"
    assert (replied["choice"], replied["statement"], replied["object"]) == (
        "object",
        "France objects.",
        1,
    )
    assert await observer.receive_nothing(timeout=0.3)  # who replied what stays with the chairs

    await database_sync_to_async(pass_deadline)(procedure)
    await database_sync_to_async(closing.close_overdue)()
    for communicator in (chair, observer):
        [closed] = await frames_of(communicator, "decisions.closed")
        assert (closed["procedure_id"], closed["result"]) == (procedure.pk, "not_adopted")
        assert (closed["object"], closed["members"]) == (1, 3)
        await communicator.disconnect()


async def test_snapshot_command_for_the_live_table(setup):
    event, users, procedure = setup
    await database_sync_to_async(replies.reply)(users["focal_point"], procedure, "agree")
    secretariat = await connect(users["secretariat"], event)
    await secretariat.receive_json_from()
    await secretariat.send_json_to(
        {"command": "decisions.snapshot", "id": "s1", "payload": {"procedure_id": procedure.pk}}
    )
    reply = await secretariat.receive_json_from()
    assert reply["ok"] and reply["result"]["agree"] == 1 and reply["result"]["no_reply"] == 2
    rows = {row["entity"]: row for row in reply["result"]["rows"]}
    assert rows["Kenya"]["choice"] == "agree" and rows["France"]["choice"] is None
    await secretariat.send_json_to(
        {"command": "decisions.snapshot", "id": "s2", "payload": {"procedure_id": 999999}}
    )
    assert (await secretariat.receive_json_from())["error"]["code"] == "conflict"
    await secretariat.disconnect()

    councillor = await connect(users["councillor"], event)
    await councillor.receive_json_from()
    await councillor.send_json_to(
        {"command": "decisions.snapshot", "id": "s3", "payload": {"procedure_id": procedure.pk}}
    )
    assert (await councillor.receive_json_from())["error"]["code"] == "denied"
    await councillor.disconnect()
