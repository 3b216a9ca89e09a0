"""aiortc participants that go through vev's signalling proxy (MediaSession), never to Janus."""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiortc import RTCPeerConnection, RTCSessionDescription

from vev.media.services.access import media_access
from vev.media.services.rooms import ensure_media, gateway
from vev.media.services.signalling import MediaSession
from vev.media.services.types import (
    Answer,
    FloorPolicy,
    JoinBooth,
    JoinFloor,
    MediaEvent,
    Offer,
    WatchStream,
)

from .tones import ToneProbe, ToneTrack


async def eventually(predicate, timeout: float = 8.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()


class Participant:
    """One person's browser: a MediaSession and their peer connections, with tone probes."""

    def __init__(self, session: MediaSession) -> None:
        self.session = session
        self.pcs: dict[str, RTCPeerConnection] = {}
        self.probes: dict[str, ToneProbe] = {}
        self.events: list[MediaEvent] = []
        session.send = self.events.append

    async def request(self, request, policy: FloorPolicy):
        return await self.session.handle(request, policy)

    async def _publish(self, handle: str, join, policy: FloorPolicy, tone: int | None) -> None:
        await self.session.handle(join, policy)
        pc = RTCPeerConnection()
        self.pcs[handle] = pc
        probe = self.probes[handle] = ToneProbe()
        pc.on("track", probe.attach)
        if tone is not None:
            pc.addTrack(ToneTrack(tone))
        else:
            pc.addTransceiver("audio", direction="recvonly")
        await pc.setLocalDescription(await pc.createOffer())
        reply = await self.session.handle(
            Offer(handle=handle, sdp=pc.localDescription.sdp, trickle=False), policy
        )
        await pc.setRemoteDescription(RTCSessionDescription(reply.sdp, "answer"))

    async def join_floor(self, policy: FloorPolicy, tone: int | None = None) -> None:
        await self._publish("floor", JoinFloor(), policy, tone)

    async def join_booth(self, policy: FloorPolicy, tone: int) -> None:
        await self._publish("booth", JoinBooth(), policy, tone)

    async def watch(self, policy: FloorPolicy, *, floor=True, language=None) -> None:
        reply = await self.session.handle(WatchStream(floor=floor, language=language), policy)
        pc = RTCPeerConnection()
        self.pcs["stream"] = pc
        await pc.setRemoteDescription(RTCSessionDescription(reply.sdp, "offer"))
        for transceiver in pc.getTransceivers():
            probe = self.probes[transceiver.mid] = ToneProbe()
            probe.attach(transceiver.receiver.track)
        await pc.setLocalDescription(await pc.createAnswer())
        await self.session.handle(
            Answer(handle="stream", sdp=pc.localDescription.sdp, trickle=False), policy
        )

    async def publish_video(self, policy: FloorPolicy, kinds=("camera",)) -> int:
        """Video (aiortc's test pattern) through the VideoRoom, one track per entry of
        ``kinds`` ("camera", "screen"); returns the feed id."""
        from aiortc.mediastreams import VideoStreamTrack

        from vev.media.services.types import PublishVideo

        await self.session.handle(PublishVideo(), policy)
        pc = self.pcs["video"] = RTCPeerConnection()
        for _kind in kinds:
            pc.addTrack(VideoStreamTrack())
        await pc.setLocalDescription(await pc.createOffer())
        reply = await self.session.handle(
            Offer(
                handle="video",
                sdp=pc.localDescription.sdp,
                trickle=False,
                descriptions={str(mid): kind for mid, kind in enumerate(kinds)},
            ),
            policy,
        )
        await pc.setRemoteDescription(RTCSessionDescription(reply.sdp, "answer"))
        return self.session.handles["video"].janus_id

    async def subscribe_video(self, policy: FloorPolicy, feed: int) -> list:
        """Receive one publisher; returns the list that collects received video frames."""
        from vev.media.services.types import SubscribeVideo

        reply = self.video_offer = await self.session.handle(SubscribeVideo(feeds=[feed]), policy)
        pc = self.pcs["video_sub"] = RTCPeerConnection()
        frames: list = []

        async def consume(track):
            with contextlib.suppress(Exception):
                while True:
                    frames.append(await track.recv())

        pc.on("track", lambda track: asyncio.ensure_future(consume(track)))
        await pc.setRemoteDescription(RTCSessionDescription(reply.sdp, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        await self.session.handle(
            Answer(handle="video_sub", sdp=pc.localDescription.sdp, trickle=False), policy
        )
        return frames

    def hears(self, channel: str, frequency: int, seconds: float = 0.5) -> float:
        return self.probes[channel].amplitude(frequency, seconds)

    async def close(self) -> None:
        for pc in self.pcs.values():
            with contextlib.suppress(Exception):
                await pc.close()
        for probe in self.probes.values():
            await probe.stop()
        await self.session.close()


class Clients:
    def __init__(self, harness) -> None:
        self.harness = harness
        self.participants: list[Participant] = []

    def connect(self, user, meeting) -> Participant:
        """Open a participant (access and rooms computed here, in the test's DB thread)."""
        access = media_access(user, meeting)
        ids = ensure_media(meeting)
        session = MediaSession(access, ids)

        async def open_session():
            await session.connect(gateway())

        self.harness.run(open_session())
        participant = Participant(session)
        self.participants.append(participant)
        return participant

    async def close_all(self) -> None:
        for participant in self.participants:
            with contextlib.suppress(Exception):
                await participant.close()
        self.participants.clear()
