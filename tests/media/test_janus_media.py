"""Media on a real Janus: tones through vev's signalling proxy and admin services.

Speakers send 440 Hz, French interpreters 660 Hz (A) and 880 Hz (B), the English interpreter
550 Hz; listeners' probes measure each frequency (Goertzel) over short windows.
"""

from __future__ import annotations

import time
import wave
from array import array
from pathlib import Path

import pytest

from tests import factories
from tests.media.clients import eventually
from tests.media.tones import HEARD, SILENT, goertzel_amplitude
from vev.council.models import Meeting
from vev.media.errors import MediaDenied
from vev.media.janus.interface import AUDIOBRIDGE, STREAMING, VIDEOROOM
from vev.media.models import MediaRoom
from vev.media.services import moderation, recording, rooms
from vev.media.services.types import (
    BoothMic,
    FloorPolicy,
    Handover,
    PublishVideo,
    SelectChannels,
    SetMuted,
)

pytestmark = pytest.mark.janus

SPEAKER, FR_A, FR_B, EN = 440, 660, 880, 550
#: The handover test listens in windows this long over this many seconds after the request.
WINDOW, HANDOVER_SPAN = 0.04, 1.6  # 40 windows


@pytest.fixture
def meeting(event):
    return Meeting.objects.filter(event=event, code="PL 1").get()


def _people(event):
    chair = factories.create_user("chair@example.org")
    factories.assign(chair, event, "chair")
    speaker = factories.create_user("speaker@example.org")
    factories.register(speaker, event, factories.member_entity(event, 0))
    listener = factories.create_user("listener@example.org")
    factories.register(listener, event, factories.member_entity(event, 1))
    return chair, speaker, listener


def _interpreter(event, email, languages):
    user = factories.create_user(email)
    factories.assign(user, event, "interpreter", languages)
    return user


def test_floor_speaker_is_heard_and_self_unmute_after_moderator_mute_is_refused(
    janus, event, meeting
):
    chair, speaker_user, listener_user = _people(event)
    policy = FloorPolicy(speakers=frozenset({speaker_user.pk}), presiding=frozenset({chair.pk}))
    speaker = janus.clients.connect(speaker_user, meeting)
    listener = janus.clients.connect(listener_user, meeting)
    janus.run(speaker.join_floor(policy, tone=SPEAKER))
    janus.run(listener.join_floor(policy))

    # The listener may not unmute: nobody gave them the floor.
    with pytest.raises(MediaDenied):
        janus.run(listener.request(SetMuted(muted=False), policy))
    janus.run(speaker.request(SetMuted(muted=False), policy))
    assert janus.run(eventually(lambda: listener.hears("floor", SPEAKER) > HEARD)), janus.log_tail()

    # The chair mutes the speaker (Janus) and the live room records it in the policy.
    moderation.mute_participant(meeting, speaker_user.pk, by=chair)
    policy = FloorPolicy(
        speakers=frozenset({speaker_user.pk}),
        presiding=frozenset({chair.pk}),
        muted=frozenset({speaker_user.pk}),
    )
    assert janus.run(eventually(lambda: listener.hears("floor", SPEAKER) < SILENT, 4))
    with pytest.raises(MediaDenied, match="moderator muted you"):
        janus.run(speaker.request(SetMuted(muted=False), policy))
    janus.run(eventually(lambda: False, 0.8))  # give a forbidden unmute time to show
    assert listener.hears("floor", SPEAKER) < SILENT
    assert any(e.type == "media.mute_changed" and e.muted for e in speaker.events)


def test_mute_all_silences_the_room_and_unmute_all_restores_it(janus, event, meeting):
    chair, speaker_user, listener_user = _people(event)
    other_user = factories.create_user("other@example.org")
    factories.register(other_user, event, factories.member_entity(event, 2))
    policy = FloorPolicy(
        speakers=frozenset({speaker_user.pk, other_user.pk}), presiding=frozenset({chair.pk})
    )
    speaker = janus.clients.connect(speaker_user, meeting)
    other = janus.clients.connect(other_user, meeting)
    listener = janus.clients.connect(listener_user, meeting)
    janus.run(speaker.join_floor(policy, tone=SPEAKER))
    janus.run(other.join_floor(policy, tone=FR_A))
    janus.run(listener.join_floor(policy))
    janus.run(speaker.request(SetMuted(muted=False), policy))
    janus.run(other.request(SetMuted(muted=False), policy))
    assert janus.run(
        eventually(
            lambda: (
                listener.hears("floor", SPEAKER) > HEARD and listener.hears("floor", FR_A) > HEARD
            )
        )
    )

    presiding = janus.clients.connect(chair, meeting)
    janus.run(presiding.join_floor(policy, tone=FR_B))
    janus.run(presiding.request(SetMuted(muted=False), policy))
    moderation.mute_all(meeting, by=chair)
    assert janus.run(
        eventually(
            lambda: (
                listener.hears("floor", SPEAKER) < SILENT and listener.hears("floor", FR_A) < SILENT
            ),
            4,
        )
    )
    # The chair joined as room admin: "mute all" does not silence the presiding officer.
    assert janus.run(eventually(lambda: listener.hears("floor", FR_B) > HEARD))
    with pytest.raises(MediaDenied, match="muted all"):
        janus.run(speaker.request(SetMuted(muted=False), FloorPolicy(room_muted=True)))

    moderation.unmute_all(meeting, by=chair)
    assert janus.run(eventually(lambda: listener.hears("floor", SPEAKER) > HEARD))
    # The wrong role is refused.
    with pytest.raises(MediaDenied):
        moderation.mute_all(meeting, by=listener_user)


def test_french_listener_hears_the_booth_and_the_partner_after_handover_without_a_gap(
    janus, event, meeting
):
    chair, speaker_user, listener_user = _people(event)
    fr_a = _interpreter(event, "fr-a@example.org", ["fr", "en"])
    fr_b = _interpreter(event, "fr-b@example.org", ["fr", "en"])
    policy = FloorPolicy(speakers=frozenset({speaker_user.pk}), presiding=frozenset({chair.pk}))
    speaker = janus.clients.connect(speaker_user, meeting)
    a = janus.clients.connect(fr_a, meeting)
    b = janus.clients.connect(fr_b, meeting)
    listener = janus.clients.connect(listener_user, meeting)
    janus.run(speaker.join_floor(policy, tone=SPEAKER))
    janus.run(speaker.request(SetMuted(muted=False), policy))
    janus.run(a.join_booth(policy, tone=FR_A))
    janus.run(b.join_booth(policy, tone=FR_B))
    state = janus.run(a.request(BoothMic(on=True), policy))
    assert state.live == [fr_a.pk] and not state.both_live
    janus.run(listener.watch(policy, floor=True, language="fr"))

    assert janus.run(
        eventually(
            lambda: listener.hears("fr", FR_A) > HEARD and listener.hears("floor", SPEAKER) > HEARD
        )
    ), janus.log_tail()
    assert listener.hears("fr", FR_B) < SILENT
    # Partner B hears A in the booth (mix-minus: not themselves).
    assert janus.run(eventually(lambda: b.hears("booth", FR_A) > HEARD))

    before = time.monotonic()
    state = janus.run(a.request(Handover(to_user=fr_b.pk), policy))
    assert state.live == [fr_b.pk]
    assert janus.run(
        eventually(
            lambda: (
                listener.hears("fr", FR_B, 0.4) > HEARD and listener.hears("fr", FR_A, 0.4) < SILENT
            ),
            4,
        )
    )
    # The French channel never fell silent across the handover: in the 40 ms windows of what
    # the listener received from the request on, one of the two interpreters is heard. (The
    # forwarder is always on, so packets keep coming even when both are muted: it is the tone
    # that must be there.) Muting the first before the partner is mixed silences the channel
    # for 140 ms or more (Janus's prebuffering), three windows at least; two silent windows in
    # a row fail the test. A single one may be this shared test machine starving the Python
    # tone senders for a moment (Janus then mixes a tick of silence), not the handover.
    probe, count = listener.probes["fr"], round(HANDOVER_SPAN / WINDOW)
    assert janus.run(
        eventually(lambda: len(probe.windows(before, HANDOVER_SPAN, WINDOW)) == count, 5)
    )
    windows = probe.windows(before, HANDOVER_SPAN, WINDOW)
    heard = [max(goertzel_amplitude(w, FR_A), goertzel_amplitude(w, FR_B)) for w in windows]
    silent = [i for i, level in enumerate(heard) if level < HEARD]
    gaps = [f"{i * WINDOW:.2f}s" for i in silent if i + 1 in silent]
    assert not gaps, f"the French channel fell silent during the handover at {gaps}: {heard}"
    # A booth member of another language may not join the French booth; a delegate no booth.
    with pytest.raises(MediaDenied):
        janus.run(listener.request(BoothMic(on=True), policy))


def test_listener_turns_the_floor_channel_off_and_a_relay_interpreter_hears_the_relay(
    janus, event, meeting
):
    chair, speaker_user, listener_user = _people(event)
    fr_a = _interpreter(event, "fr-a@example.org", ["fr"])
    en = _interpreter(event, "en@example.org", ["en", "fr"])
    policy = FloorPolicy(speakers=frozenset({speaker_user.pk}), presiding=frozenset({chair.pk}))
    speaker = janus.clients.connect(speaker_user, meeting)
    a = janus.clients.connect(fr_a, meeting)
    relay = janus.clients.connect(en, meeting)
    listener = janus.clients.connect(listener_user, meeting)
    janus.run(speaker.join_floor(policy, tone=SPEAKER))
    janus.run(speaker.request(SetMuted(muted=False), policy))
    janus.run(a.join_booth(policy, tone=FR_A))
    janus.run(a.request(BoothMic(on=True), policy))
    janus.run(listener.watch(policy, floor=True, language="fr"))
    assert janus.run(eventually(lambda: listener.hears("floor", SPEAKER) > HEARD))

    janus.run(listener.request(SelectChannels(floor=False, language="fr"), policy))
    assert janus.run(
        eventually(
            lambda: (
                listener.hears("floor", SPEAKER, 0.4) < SILENT
                and listener.hears("fr", FR_A, 0.4) > HEARD
            ),
            4,
        )
    )

    # The English interpreter takes French as relay (floor off), then works into English.
    janus.run(relay.watch(policy, floor=False, language="fr"))
    janus.run(relay.join_booth(policy, tone=EN))
    janus.run(relay.request(BoothMic(on=True), policy))
    assert janus.run(eventually(lambda: relay.hears("fr", FR_A) > HEARD))
    assert relay.hears("floor", SPEAKER) < SILENT
    janus.run(listener.request(SelectChannels(floor=False, language="en"), policy))
    assert janus.run(eventually(lambda: listener.hears("en", EN, 0.4) > HEARD, 4))


def _wav_amplitude(path: Path, frequency: int) -> float:
    with wave.open(str(path)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        samples = array("h", wav.readframes(wav.getnframes()))[::channels]
    return goertzel_amplitude(samples[-rate:], frequency, rate)


def test_recording_starts_stops_and_produces_files(janus, event, meeting):
    chair, speaker_user, _ = _people(event)
    secretariat = factories.create_user("sec@example.org")
    factories.assign(secretariat, event, "secretariat")
    policy = FloorPolicy(speakers=frozenset({speaker_user.pk}))
    speaker = janus.clients.connect(speaker_user, meeting)
    janus.run(speaker.join_floor(policy, tone=SPEAKER))
    janus.run(speaker.request(SetMuted(muted=False), policy))

    with pytest.raises(MediaDenied):
        recording.start_recording(meeting, by=chair)
    started = recording.start_recording(meeting, by=secretariat)
    janus.run(eventually(lambda: False, 1.5))
    stopped = recording.stop_recording(meeting, by=secretariat)
    assert stopped.pk == started.pk and stopped.stopped_at is not None
    floor = Path(stopped.directory) / stopped.files["floor"]
    assert janus.run(eventually(floor.exists, 3)), sorted(Path(stopped.directory).iterdir())
    assert _wav_amplitude(floor, SPEAKER) > HEARD
    booth = Path(stopped.directory) / stopped.files["fr"]
    assert janus.run(eventually(booth.exists, 3))  # Janus renames *.wav.part when it closes


def test_room_lifecycle_is_idempotent(janus, event, meeting):
    first = rooms.ensure_media(meeting)
    again = rooms.ensure_media(meeting)
    assert first == again
    admin = rooms.admin()

    def exists() -> dict[str, bool]:
        return {
            "floor": admin.message_plugin(AUDIOBRIDGE, {"request": "exists", "room": first.floor})[
                "exists"
            ],
            "fr": admin.message_plugin(
                AUDIOBRIDGE, {"request": "exists", "room": first.booths["fr"]}
            )["exists"],
            "video": admin.message_plugin(VIDEOROOM, {"request": "exists", "room": first.video})[
                "exists"
            ],
        }

    assert exists() == {"floor": True, "fr": True, "video": True}
    forwarders = admin.message_plugin(
        AUDIOBRIDGE, {"request": "listforwarders", "room": first.floor, "secret": first.secret}
    )["rtp_forwarders"]
    assert len(forwarders) == 1
    info = admin.message_plugin(
        STREAMING, {"request": "info", "id": first.mountpoint, "secret": first.secret}
    )["info"]
    assert [m["mid"] for m in info["media"]] == ["floor", "ar", "zh", "en", "fr", "ru", "es"]

    assert rooms.destroy_media(meeting) is True
    assert rooms.destroy_media(meeting) is True  # nothing left to destroy: no error
    assert exists() == {"floor": False, "fr": False, "video": False}
    assert MediaRoom.objects.get(meeting=meeting).active is False
    assert rooms.ensure_media(meeting) == first  # the same ids come back
    assert exists()["floor"] is True
    rooms.destroy_media(meeting)


def test_floor_policy_change_mutes_the_former_speaker(janus, event, meeting):
    chair, speaker_user, listener_user = _people(event)
    policy = FloorPolicy(speakers=frozenset({speaker_user.pk}), presiding=frozenset({chair.pk}))
    speaker = janus.clients.connect(speaker_user, meeting)
    listener = janus.clients.connect(listener_user, meeting)
    janus.run(speaker.join_floor(policy, tone=SPEAKER))
    janus.run(listener.join_floor(policy))
    janus.run(speaker.request(SetMuted(muted=False), policy))
    assert janus.run(eventually(lambda: listener.hears("floor", SPEAKER) > HEARD))

    # The chair gives the floor to the listener: the former speaker is muted by the backend.
    policy = FloorPolicy(speakers=frozenset({listener_user.pk}), presiding=frozenset({chair.pk}))
    assert moderation.apply_floor_policy(meeting, policy) == [speaker_user.pk]
    assert janus.run(eventually(lambda: listener.hears("floor", SPEAKER) < SILENT, 4))
    assert moderation.apply_floor_policy(meeting, policy) == []  # idempotent

    # Removed from the meeting: every connection of theirs leaves the floor.
    with pytest.raises(MediaDenied):
        moderation.kick_participant(meeting, speaker_user.pk, by=listener_user)
    assert moderation.kick_participant(meeting, speaker_user.pk, by=chair) == 1
    assert janus.run(eventually(lambda: any(e.type == "media.kicked" for e in speaker.events)))
    ids = rooms.room_ids(meeting)

    def in_floor() -> set[int]:
        return {rooms.user_of(p["id"]) for p in rooms.floor_participants(ids)}

    assert janus.run(eventually(lambda: in_floor() == {listener_user.pk}, 3)), in_floor()
    assert "floor" not in speaker.session.handles


def test_speaker_video_is_relayed_and_refused_to_those_without_the_floor(janus, event, meeting):
    chair, speaker_user, listener_user = _people(event)
    policy = FloorPolicy(speakers=frozenset({speaker_user.pk}), presiding=frozenset({chair.pk}))
    speaker = janus.clients.connect(speaker_user, meeting)
    viewer = janus.clients.connect(listener_user, meeting)
    with pytest.raises(MediaDenied):
        janus.run(viewer.request(PublishVideo(), policy))
    feed = janus.run(speaker.publish_video(policy))
    assert janus.run(
        eventually(lambda: any(e.type == "media.connected" for e in speaker.events), 8)
    )
    frames = janus.run(viewer.subscribe_video(policy, feed))
    assert janus.run(eventually(lambda: len(frames) >= 5, 10)), janus.log_tail()
    assert frames[-1].width == 640
    # The offer says whose stream each m-line carries (the page labels its tiles by it).
    [stream] = viewer.video_offer.streams
    assert (stream.type, stream.feed, stream.user) == ("video", feed, speaker_user.pk)
    assert stream.description == "camera" and "m=video" in viewer.video_offer.sdp
    assert f"a=mid:{stream.mid}" in viewer.video_offer.sdp


def test_media_status_reports_the_running_janus(janus):
    from vev.media.status import MediaState, media_status

    status = media_status()
    assert status.state == MediaState.AVAILABLE and status.version == "1.1.2"


def test_a_crashed_janus_is_restarted_and_rooms_come_back(janus, event, meeting):
    """Runs last: kills the session's Janus, which the supervisor restarts."""
    import os
    import signal
    import time

    ids = rooms.ensure_media(meeting)
    supervisor = janus.supervisor
    old_pid = supervisor.pid
    os.kill(old_pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if supervisor.ready.is_set() and supervisor.pid not in (None, old_pid):
            break
        time.sleep(0.1)
    assert supervisor.pid not in (None, old_pid), janus.log_tail()
    assert supervisor.restarts >= 1
    admin = rooms.admin()
    assert not admin.message_plugin(AUDIOBRIDGE, {"request": "exists", "room": ids.floor})["exists"]
    assert rooms.ensure_media(meeting) == ids  # recreated with the same ids
    assert admin.message_plugin(AUDIOBRIDGE, {"request": "exists", "room": ids.floor})["exists"]
    rooms.destroy_media(meeting)
