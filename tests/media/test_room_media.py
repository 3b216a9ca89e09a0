"""The room socket's ``media.*`` commands: permissions, refusals and real Janus behind them.

Tests without the ``janus`` marker run with media switched off (``VEV_JANUS=off``): the room
works and says why audio is unavailable. The others talk to the real Janus of the session
(tests/media/fixtures.py); their SDP is never answered by a browser, so they check signalling
and Janus's room state, not sound (test_janus_media.py measures the tones).
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests import factories
from tests.live.conftest import connect, hubs  # noqa: F401  (fixture)
from vev.council.models import ClosedMeetingStaff
from vev.live.commands import ROOM_COMMANDS
from vev.live.commands import media as media_commands
from vev.media import conf
from vev.media.services import rooms

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


@pytest.fixture
def media_off(tmp_path):
    previous = conf._current
    conf.use(conf.janus_settings(DIR=str(tmp_path), MODE="off"))
    media_commands.forget_status()
    yield
    conf.use(previous)
    media_commands.forget_status()


@pytest.fixture
def on_janus(janus):
    media_commands.forget_status()
    yield janus
    media_commands.forget_status()


def _interpreter(event, email: str, languages: list[str]):
    user = factories.create_user(email, full_name=f"Interpreter {email.split('@')[0]}")
    factories.assign(user, event, "interpreter", languages)
    return user


# -- without Janus ------------------------------------------------------------------------------
async def test_without_janus_the_room_says_audio_is_unavailable_and_why(live, media_off):
    _, meeting, users = live
    delegate = await connect(users["councillor"], meeting)
    section = delegate.frames[0]["media"]
    assert section["status"]["available"] is False
    assert section["status"]["state"] == "disabled"
    assert "switched off" in section["status"]["message"]
    assert section["may_attend"] is True and section["booth"] is None
    assert section["live"] == dict.fromkeys(section["languages"], False)
    for name in ("media.join_floor", "media.watch"):
        reply = await delegate.command(name, {})
        assert reply["ok"] is False
        assert reply["error"] == {"code": "unavailable", "message": section["status"]["message"]}
    await delegate.close()


async def test_wrong_roles_are_refused_media_commands(live, media_off):
    event, meeting, users = live
    delegate = await connect(users["councillor"], meeting)
    for name in ("media.join_booth", "media.booth_mic", "media.handover"):
        payload = {"on": True} if name == "media.booth_mic" else {}
        if name == "media.handover":
            payload = {"to_user": users["chair"].pk}
        reply = await delegate.command(name, payload)
        assert reply["error"]["code"] == "denied", (name, reply)
    for name in ("media.record_start", "media.record_stop", "media.booth_chat"):
        reply = await delegate.command(name, {"text": "hi"} if "chat" in name else {})
        assert reply["error"]["code"] == "denied", (name, reply)
    # Payloads are checked: an unknown field or a language the meeting has not.
    reply = await delegate.command("media.watch", {"floor": True, "language": "de"})
    assert reply["error"]["code"] == "invalid"
    reply = await delegate.command("media.set_muted", {"muted": False, "force": True})
    assert reply["error"]["code"] == "invalid"
    await delegate.close()

    # Every media command declares a permission the socket checks.
    media = [c for c in ROOM_COMMANDS if c.name.startswith("media.")]
    assert len(media) == 16 and all(c.permission for c in media)


async def test_recording_is_refused_in_closed_meetings(live, media_off):
    event, _, users = live
    closed = await database_sync_to_async(factories.open_meeting)(event, "closed-1")
    await database_sync_to_async(ClosedMeetingStaff.objects.create)(
        meeting=closed, user=users["secretariat"], function="Meeting secretary"
    )
    secretariat = await connect(users["secretariat"], closed)
    assert secretariat.frames[0]["media"]["may_record"] is False
    reply = await secretariat.command("media.record_start", {})
    assert reply["error"] == {"code": "conflict", "message": "Closed meetings are never recorded."}
    await secretariat.close()


# -- on a real Janus ----------------------------------------------------------------------------
@pytest.mark.janus
async def test_floor_audio_over_the_socket_obeys_the_floor(live, on_janus):
    _, meeting, users = live
    observer = await connect(users["observer"], meeting)
    assert observer.frames[0]["media"]["status"]["available"] is True
    joined = await observer.command("media.join_floor", {})
    assert joined["ok"], joined
    assert joined["result"] == {"handle": "floor", "muted": True, "publishers": []}
    # An observer without the floor may not unmute, and is told why.
    reply = await observer.command("media.set_muted", {"muted": False})
    assert reply["error"] == {
        "code": "denied",
        "message": "You may speak once the chair gives you the floor.",
    }
    # Nor show video.
    reply = await observer.command("media.publish_video", {})
    assert reply["error"]["code"] == "denied"
    # Joining twice is a conflict, leaving and joining again works.
    assert (await observer.command("media.join_floor", {}))["error"]["code"] == "conflict"
    assert (await observer.command("media.leave", {"handle": "floor"}))["ok"]
    assert (await observer.command("media.join_floor", {}))["ok"]

    # The chair presides: always heard.
    chair = await connect(users["chair"], meeting)
    assert (await chair.command("media.join_floor", {}))["ok"]
    reply = await chair.command("media.set_muted", {"muted": False})
    assert reply["ok"] and reply["result"] == {"muted": False}

    # The chair mutes all in the room: the room's act reaches Janus, the chair stays heard and
    # the observer is told "mute all" is why.
    await chair.command("moderation.mute_all", {})
    assert (await chair.command("media.set_muted", {"muted": False}))["ok"]
    reply = await observer.command("media.set_muted", {"muted": False})
    assert reply["error"]["message"] == "The chair has muted all participants."
    await observer.close()
    await chair.close()


@pytest.mark.janus
async def test_webcast_channels_and_the_booth_on_air_reach_the_room(live, on_janus):
    event, meeting, users = live
    interpreter = await database_sync_to_async(_interpreter)(event, "fr-a@example.org", ["fr"])
    listener = await connect(users["observer"], meeting)
    watched = await listener.command("media.watch", {"floor": True, "language": "fr"})
    assert watched["ok"], watched
    offer = watched["result"]
    assert offer["handle"] == "stream" and offer["type"] == "offer"
    assert offer["sdp"].count("m=audio") == 1 + len(listener.frames[0]["media"]["languages"])
    switched = await listener.command("media.select_channels", {"floor": False, "language": "es"})
    assert switched["ok"] and switched["result"]["floor"] is False
    assert switched["result"]["language"] == "es" and "fr" in switched["result"]["available"]

    booth = await connect(interpreter, meeting)
    assert booth.frames[0]["media"]["booth"] == "fr"
    assert (await booth.command("media.join_booth", {}))["ok"]
    on_air = await booth.command("media.booth_mic", {"on": True})
    assert on_air["ok"], on_air
    assert on_air["result"]["language"] == "fr" and on_air["result"]["live"] == [interpreter.pk]
    state = await listener.receive_type("media.channel_state")
    assert state == {
        "type": "media.channel_state",
        "meeting": meeting.pk,
        "language": "fr",
        "live": True,
    }
    # A snapshot taken now shows the French channel live.
    media_commands.forget_status()
    late = await connect(users["councillor"], meeting)
    assert late.frames[0]["media"]["live"]["fr"] is True
    assert late.frames[0]["media"]["live"]["es"] is False
    # A delegate cannot speak in the booth.
    assert (await late.command("media.booth_mic", {"on": True}))["error"]["code"] == "denied"

    off_air = await booth.command("media.booth_mic", {"on": False})
    assert off_air["result"]["live"] == []
    state = await listener.receive_type("media.channel_state")
    assert state["live"] is False
    # Closing the socket closes the media session: the interpreter leaves the booth.
    await booth.close()
    for client in (listener, late):
        await client.close()


@pytest.mark.janus
async def test_the_secretariat_records_and_everyone_sees_the_indicator(live, on_janus):
    _, meeting, users = live
    delegate = await connect(users["councillor"], meeting)
    secretariat = await connect(users["secretariat"], meeting)
    assert secretariat.frames[0]["media"]["may_record"] is True
    assert delegate.frames[0]["media"]["recording"] is False
    started = await secretariat.command("media.record_start", {})
    assert started == {**started, "ok": True, "result": {"recording": True}}
    indicator = await delegate.receive_type("media.recording")
    assert indicator["recording"] is True
    assert (await secretariat.command("media.record_start", {}))["error"]["code"] == "conflict"
    stopped = await secretariat.command("media.record_stop", {})
    assert stopped["result"] == {"recording": False}
    assert (await delegate.receive_type("media.recording"))["recording"] is False
    await delegate.close()
    await secretariat.close()


@pytest.mark.janus
async def test_a_client_that_resumes_gets_the_media_state_it_missed(live, on_janus):
    """Recording, booths on air and video are signals off the numbered stream: a client that
    drops and resumes (no snapshot) is sent them as they are now, after the replay."""
    event, meeting, users = live
    interpreter = await database_sync_to_async(_interpreter)(event, "fr-a@example.org", ["fr"])
    secretariat = await connect(users["secretariat"], meeting)
    booth = await connect(interpreter, meeting)
    assert (await booth.command("media.join_booth", {}))["ok"]
    dropping = await connect(users["councillor"], meeting)
    assert dropping.frames[0]["media"]["recording"] is False
    assert dropping.frames[0]["media"]["live"]["fr"] is False
    await dropping.drain()
    position = dropping.positions()
    await dropping.close()  # dropped, not left

    assert (await secretariat.command("media.record_start", {}))["ok"]
    assert (await booth.command("media.booth_mic", {"on": True}))["ok"]
    back = await connect(users["councillor"], meeting, resume=position)
    assert back.frames[0]["type"] == "room.resumed"
    state = await back.receive_type("media.state")
    assert state["recording"] is True and state["live"]["fr"] is True
    assert state["live"]["es"] is False and state["video"] == []
    assert "seq" not in state  # a state, not an event of the stream
    replayed = back.frames[1 : back.frames.index(state)]
    assert len(replayed) == back.frames[0]["replayed"]  # after the replay

    # Stopped while away again, and the interpreter gone: the next resume says so.
    await back.drain()
    position = back.positions()
    await back.close()
    assert (await secretariat.command("media.record_stop", {}))["ok"]
    await booth.close()  # an interpreter on air who drops takes the channel off air
    off = await secretariat.receive_until(
        lambda f: f.get("type") == "media.channel_state" and f["live"] is False
    )
    assert off["language"] == "fr"
    again = await connect(users["councillor"], meeting, resume=position)
    state = await again.receive_type("media.state")
    assert state["recording"] is False and state["live"]["fr"] is False
    for client in (secretariat, again):
        await client.close()


@pytest.mark.janus
async def test_a_webcast_follower_may_not_join_the_floor_audio(live, on_janus):
    """A passive participant (the fourth delegate of a State follows the webcast) has
    meeting.attend by role, but no seat: the server refuses the floor audio and video."""
    _, meeting, users = live
    seated = [await connect(user, meeting) for user in users["fr"][:3]]
    passive = await connect(users["fr"][3], meeting)
    assert passive.frames[0]["me"]["mode"] == "passive"
    assert passive.frames[0]["media"]["may_attend"] is True  # the role allows it; the seat not
    for name in ("media.join_floor", "media.publish_video"):
        reply = await passive.command(name, {})
        assert reply["error"]["code"] == "denied", name
        assert reply["error"]["message"] == (
            "You follow the meeting on the webcast: ask your delegation for a seat first."
        )
    # Nothing to unmute either, and Janus never saw them in the floor room.
    assert (await passive.command("media.set_muted", {"muted": False}))["ok"] is False
    ids = await database_sync_to_async(rooms.room_ids)(meeting)
    listed = await database_sync_to_async(rooms.floor_participants)(ids)
    assert users["fr"][3].pk not in {rooms.user_of(p["id"]) for p in listed}
    # They may listen to the webcast.
    assert (await passive.command("media.watch", {"floor": True}))["ok"]
    for client in (*seated, passive):
        await client.close()
