"""The room's chat without sockets: audiences, who reads what, deletion, limits, closed rooms."""

from __future__ import annotations

import pytest

from tests.live.services import enter, own_events, room_events
from vev.chat.models import MAX_LENGTH, ChatMessage
from vev.chat.services import messages
from vev.core.models import AuditEntry
from vev.council.models import ClosedMeetingStaff
from vev.live.errors import LiveError
from vev.live.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(live):
    event, meeting, users = live
    for key in ("chair", "moderator", "secretariat", "technician", "observer", "councillor"):
        enter(users[key], meeting)
    enter(users["fr"][0], meeting)
    return event, meeting, users


def pid(meeting, user) -> int:
    return Participant.objects.get(meeting=meeting, user=user).pk


def visible_ids(meeting, user) -> set[int]:
    secretariat = messages.is_secretariat(user, meeting)
    return {m["id"] for m in messages.history(meeting, user, secretariat=secretariat)}


def test_a_message_to_all_is_on_the_room_stream(room):
    _, meeting, users = room
    message = messages.send(meeting, users["councillor"], audience="all", text="  Good morning ")
    assert message.text == "Good morning"
    assert message.sender_entity_id is not None and message.created_at.tzinfo is not None
    [event] = room_events(meeting, "chat.")
    assert event["type"] == "chat.message" and event["message"]["text"] == "Good morning"
    assert event["message"]["sender"]["entity"]["name"]
    assert not any(e["type"] == "chat.message" for u in users["fr"] for e in own_events(meeting, u))
    for key in ("observer", "technician", "chair"):
        assert message.pk in visible_ids(meeting, users[key])


def test_a_private_message_reaches_its_addressee_only(room):
    _, meeting, users = room
    message = messages.send(
        meeting,
        users["councillor"],
        audience="private",
        text="Shall we meet at the break?",
        to_participant=pid(meeting, users["observer"]),
    )
    assert room_events(meeting, "chat.") == []
    for key in ("councillor", "observer"):
        [event] = [e for e in own_events(meeting, users[key]) if e["type"] == "chat.message"]
        assert event["message"]["id"] == message.pk and event["stream"] == "user"
        assert message.pk in visible_ids(meeting, users[key])
    for key in ("chair", "secretariat", "moderator", "technician"):
        assert not [e for e in own_events(meeting, users[key]) if e["type"] == "chat.message"]
        assert message.pk not in visible_ids(meeting, users[key])
    assert message.pk not in visible_ids(meeting, users["fr"][0])


def test_the_secretariat_reads_and_answers_messages_to_it(room):
    _, meeting, users = room
    question = messages.send(
        meeting, users["observer"], audience="secretariat", text="Where is document 12?"
    )
    assert question.recipient_id is None
    readers = {users["observer"].pk, users["secretariat"].pk}
    got = {
        key
        for key in ("observer", "secretariat", "chair", "moderator", "councillor")
        if any(e["type"] == "chat.message" for e in own_events(meeting, users[key]))
    }
    assert got == {"observer", "secretariat"}
    assert messages.readers(question) == readers
    answer = messages.send(
        meeting,
        users["secretariat"],
        audience="secretariat",
        text="In the documents tab, group 2.",
        to_participant=pid(meeting, users["observer"]),
    )
    assert answer.sender_is_secretariat and answer.recipient_id == users["observer"].pk
    assert {question.pk, answer.pk} <= visible_ids(meeting, users["observer"])
    assert {question.pk, answer.pk} <= visible_ids(meeting, users["secretariat"])
    assert not {question.pk, answer.pk} & visible_ids(meeting, users["councillor"])
    # Only the secretariat answers on a participant's thread.
    with pytest.raises(LiveError) as error:
        messages.send(
            meeting,
            users["councillor"],
            audience="secretariat",
            text="x",
            to_participant=pid(meeting, users["observer"]),
        )
    assert error.value.code == "denied"


def test_a_secretariat_member_entering_later_finds_the_thread(room):
    event, meeting, users = room
    from tests import factories

    question = messages.send(meeting, users["observer"], audience="secretariat", text="Help")
    colleague = factories.create_user("secretariat2@example.org")
    factories.assign(colleague, event, "secretariat")
    enter(colleague, meeting)
    assert question.pk in visible_ids(meeting, colleague)


def test_length_empty_and_recipient_are_checked(room):
    _, meeting, users = room
    with pytest.raises(LiveError, match=f"at most {MAX_LENGTH} characters"):
        messages.send(meeting, users["councillor"], audience="all", text="x" * (MAX_LENGTH + 1))
    with pytest.raises(LiveError, match="Write a message"):
        messages.send(meeting, users["councillor"], audience="all", text="   ")
    with pytest.raises(LiveError, match="Choose a participant"):
        messages.send(meeting, users["councillor"], audience="private", text="hi")
    with pytest.raises(LiveError, match="yourself"):
        messages.send(
            meeting,
            users["councillor"],
            audience="private",
            text="hi",
            to_participant=pid(meeting, users["councillor"]),
        )
    # Someone who never entered the room cannot use its chat.
    with pytest.raises(LiveError) as error:
        messages.send(meeting, users["head_of_delegation"], audience="all", text="hi")
    assert error.value.code == "denied"
    assert not ChatMessage.objects.exists()


def test_a_moderator_deletes_with_a_reason_kept_in_the_audit(room):
    _, meeting, users = room
    message = messages.send(meeting, users["councillor"], audience="all", text="Off topic")
    with pytest.raises(LiveError, match="reason"):
        messages.delete(meeting, users["moderator"], message.pk, reason="  ")
    for key in ("councillor", "observer", "technician"):
        with pytest.raises(LiveError) as error:
            messages.delete(meeting, users[key], message.pk, reason="no")
        assert error.value.code == "denied"
    messages.delete(meeting, users["moderator"], message.pk, reason="Not about the item")
    message.refresh_from_db()
    assert message.deleted_at and message.deleted_by == users["moderator"]
    assert message.deleted_reason == "Not about the item"
    deleted = room_events(meeting, "chat.deleted")[-1]
    assert deleted["message_id"] == message.pk and deleted["reason"] == "Not about the item"
    assert message.pk not in visible_ids(meeting, users["observer"])
    entry = AuditEntry.objects.get(action="vev.chat.message.deleted")
    assert entry.data["text"] == "Off topic" and entry.data["reason"] == "Not about the item"
    assert entry.actor_id == users["moderator"].pk
    with pytest.raises(LiveError, match="already"):
        messages.delete(meeting, users["chair"], message.pk, reason="again")


def test_moderators_cannot_delete_what_they_may_not_read(room):
    _, meeting, users = room
    private = messages.send(
        meeting,
        users["councillor"],
        audience="private",
        text="between us",
        to_participant=pid(meeting, users["observer"]),
    )
    question = messages.send(meeting, users["observer"], audience="secretariat", text="Help")
    for message in (private, question):
        with pytest.raises(LiveError, match="no such message"):
            messages.delete(meeting, users["moderator"], message.pk, reason="spam")
    # The secretariat reads the thread with it, so it may delete there; the deletion goes to
    # the thread's readers only.
    messages.delete(meeting, users["secretariat"], question.pk, reason="Sent twice")
    assert [e["type"] for e in own_events(meeting, users["observer"])][-1] == "chat.deleted"
    assert room_events(meeting, "chat.deleted") == []


def test_a_closed_meeting_chat_stays_among_those_admitted(live):
    event, _, users = live
    from tests.factories import open_meeting

    closed = open_meeting(event, "closed-1")
    enter(users["councillor"], closed)
    enter(users["chair"], closed)
    for key in ("observer", "adviser", "secretariat"):
        with pytest.raises(LiveError):
            messages.send(closed, users[key], audience="all", text="hello")
    ClosedMeetingStaff.objects.create(meeting=closed, user=users["secretariat"], function="Sec.")
    enter(users["secretariat"], closed)
    question = messages.send(closed, users["councillor"], audience="secretariat", text="Q")
    assert messages.readers(question) == {users["councillor"].pk, users["secretariat"].pk}
    # A private message only to someone admitted: an adviser in an open meeting is not.
    assert not Participant.objects.filter(meeting=closed, user=users["adviser"]).exists()


def test_the_history_costs_a_fixed_number_of_queries(room, django_assert_max_num_queries):
    _, meeting, users = room
    for index in range(30):
        messages.send(meeting, users["councillor"], audience="all", text=f"message {index}")
    with django_assert_max_num_queries(4):
        history = messages.history(meeting, users["observer"], secretariat=False)
    assert len(history) == 30
