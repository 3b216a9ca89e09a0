"""The live room's acts reach a real Janus: the chair opens and closes a microphone, mutes one
participant, mutes all, ends the floor.

The acts go through the live room's own services (as the room socket's commands do), the
participants' audio through vev's signalling proxy with the policy the room builds from its
state (``floor.floor_policy``): nothing here builds a ``FloorPolicy`` by hand. The speaker
sends 440 Hz (aiortc), a listener in the floor room measures it; Janus's ``listparticipants``
shows who is muted.
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.media.clients import eventually
from tests.media.tones import HEARD, SILENT
from vev.live.errors import LiveError
from vev.live.services import floor, moderation, presence, speakers
from vev.media.errors import MediaDenied
from vev.media.services import rooms
from vev.media.services.types import SetMuted

pytestmark = pytest.mark.janus

SPEAKER = 440


@pytest.fixture
def room(janus, event, django_capture_on_commit_callbacks):
    """A meeting in session with a chair, a speaking delegate and a listening delegate, all
    admitted to the room and connected to the floor audio."""
    meeting = factories.open_meeting(event)
    chair = factories.create_user("chair@example.org", full_name="Chair")
    factories.assign(chair, event, "chair")
    speaker_user = factories.create_user("speaker@example.org", full_name="Speaker")
    factories.register(speaker_user, event, factories.member_entity(event, 0))
    listener_user = factories.create_user("listener@example.org", full_name="Listener")
    factories.register(listener_user, event, factories.member_entity(event, 1))
    admitted = {
        user.pk: presence.admit(user, meeting, channel_name=f"test.{user.pk}")
        for user in (chair, speaker_user, listener_user)
    }
    speaker = janus.clients.connect(speaker_user, meeting)
    listener = janus.clients.connect(listener_user, meeting)
    janus.run(speaker.join_floor(floor.floor_policy(meeting.pk), tone=SPEAKER))
    janus.run(listener.join_floor(floor.floor_policy(meeting.pk)))

    class Room:
        pass

    r = Room()
    r.meeting, r.chair, r.ids = meeting, chair, rooms.room_ids(meeting)
    r.speaker_user, r.listener_user = speaker_user, listener_user
    r.speaker, r.listener = speaker, listener
    r.participant = {uid: a.participant_id for uid, a in admitted.items()}

    def act(function, *args, **kwargs):
        """Run a room act; its effects on Janus run when it commits, as in production."""
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    def unmute(client):
        """The participant's own unmute, checked against the room's policy now."""
        return janus.run(client.request(SetMuted(muted=False), floor.floor_policy(meeting.pk)))

    def janus_muted(user) -> bool:
        listed = rooms.floor_participants(r.ids)
        return all(p["muted"] for p in listed if rooms.user_of(p["id"]) == user.pk)

    def heard(timeout: float = 8) -> bool:
        return janus.run(eventually(lambda: listener.hears("floor", SPEAKER) > HEARD, timeout))

    def silent(timeout: float = 4) -> bool:
        return janus.run(eventually(lambda: listener.hears("floor", SPEAKER) < SILENT, timeout))

    r.act, r.unmute, r.janus_muted, r.heard, r.silent = act, unmute, janus_muted, heard, silent
    return r


def test_a_participant_whose_microphone_the_chair_opened_is_heard_until_it_is_closed(janus, room):
    speaker_pid = room.participant[room.speaker_user.pk]
    # Without the floor or an open microphone, the delegate may not unmute.
    with pytest.raises(MediaDenied, match="once the chair gives you the floor"):
        room.unmute(room.speaker)
    # Only those who moderate open microphones.
    with pytest.raises(LiveError) as refused:
        room.act(floor.open_mic, room.meeting, room.listener_user, speaker_pid)
    assert refused.value.code == "denied"

    # The chair opens the delegate's microphone: Janus unmutes them, they are heard.
    room.act(floor.open_mic, room.meeting, room.chair, speaker_pid)
    assert room.heard(), janus.log_tail()
    assert not room.janus_muted(room.speaker_user)
    assert floor.floor_policy(room.meeting.pk).may_be_heard(room.speaker_user.pk)
    # They may mute and unmute themselves while it is open; nobody else may.
    janus.run(room.speaker.request(SetMuted(muted=True), floor.floor_policy(room.meeting.pk)))
    assert room.silent()
    room.unmute(room.speaker)
    assert room.heard()
    with pytest.raises(MediaDenied):
        room.unmute(room.listener)

    # The chair closes it: Janus mutes them and their own unmute is refused again.
    room.act(floor.close_mic, room.meeting, room.chair, speaker_pid)
    assert room.silent(), janus.log_tail()
    assert room.janus_muted(room.speaker_user)
    with pytest.raises(MediaDenied, match="once the chair gives you the floor"):
        room.unmute(room.speaker)
    janus.run(eventually(lambda: False, 0.8))  # a forbidden unmute would show by now
    assert room.listener.hears("floor", SPEAKER) < SILENT


def test_mute_one_and_mute_all_in_the_room_silence_the_speaker_on_janus(janus, room):
    speaker_pid = room.participant[room.speaker_user.pk]
    request_id = speakers.raise_hand(room.meeting, room.speaker_user)
    room.act(speakers.give_floor, room.meeting, room.chair, request_id)
    room.unmute(room.speaker)
    assert room.heard(), janus.log_tail()

    # Mute one: Janus mutes them, and holding the floor no longer lets them unmute.
    room.act(moderation.mute, room.meeting, room.chair, speaker_pid)
    assert room.silent()
    assert room.janus_muted(room.speaker_user)
    with pytest.raises(MediaDenied, match="moderator muted you"):
        room.unmute(room.speaker)
    room.act(moderation.unmute, room.meeting, room.chair, speaker_pid)
    room.unmute(room.speaker)
    assert room.heard()

    # Mute all: Janus's room mute silences them whatever they send.
    room.act(moderation.mute_all, room.meeting, room.chair)
    assert room.silent()
    with pytest.raises(MediaDenied, match="muted all"):
        room.unmute(room.speaker)
    room.act(moderation.unmute_all, room.meeting, room.chair)
    room.unmute(room.speaker)
    assert room.heard()


def test_ending_the_floor_mutes_the_speaker_on_janus(janus, room):
    request_id = speakers.raise_hand(room.meeting, room.speaker_user)
    room.act(speakers.give_floor, room.meeting, room.chair, request_id)
    room.unmute(room.speaker)
    assert room.heard(), janus.log_tail()

    room.act(speakers.end_floor, room.meeting, room.chair)
    assert room.silent()
    assert room.janus_muted(room.speaker_user)
    with pytest.raises(MediaDenied, match="once the chair gives you the floor"):
        room.unmute(room.speaker)


def test_mute_all_closes_the_open_microphones(janus, room):
    speaker_pid = room.participant[room.speaker_user.pk]
    room.act(floor.open_mic, room.meeting, room.chair, speaker_pid)
    assert room.heard(), janus.log_tail()
    room.act(moderation.mute_all, room.meeting, room.chair)
    assert room.silent()
    room.act(moderation.unmute_all, room.meeting, room.chair)
    # Lifting "mute all" does not reopen it: the chair opens microphones again one by one.
    assert floor.open_mics(room.meeting.pk) == []
    with pytest.raises(MediaDenied):
        room.unmute(room.speaker)
