"""Benchmark (not CI): Janus CPU per floor participant.

Starts a Janus with vev's configuration writer and supervisor in a private network namespace
(as the tests do), creates one AudioBridge floor room (48 kHz, as vev does) and adds N plain-RTP
participants, each sending 20 ms Opus frames of its own tone from a UDP socket inside the
namespace. Janus's CPU time is read from /proc/<pid>/stat over a measuring window. The reference
measured in the same run is the idle room (0 participants); the result is

    CPU per participant = (CPU(N) - CPU(0)) / N      (percent of one core)

Optionally ``--unmuted K`` keeps only K participants unmuted (the others are muted by the admin
API), to show that a muted participant still costs its own Opus encoder in the mix-minus.

Usage (root, Janus installed):  .venv/bin/python bench/media_floor_cpu.py --counts 0 10 25 50
Results and method: docs/performance.md, section "Media (Janus)".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vev.settings")

import django

django.setup()

import av  # noqa: E402

from tests.media.harness import VETH, NamespaceLoop, NetworkNamespace, why_unavailable  # noqa: E402
from tests.media.tones import FRAME, RATE, ToneTrack  # noqa: E402
from vev.media import conf  # noqa: E402
from vev.media.janus.client import AdminClient, Gateway  # noqa: E402
from vev.media.janus.interface import AUDIOBRIDGE  # noqa: E402
from vev.media.janus.process import JanusSupervisor  # noqa: E402

ROOM = 4242
PT = 111
TICK = 0.02


def opus_packets(frequency: int, seconds: float = 1.0) -> list[bytes]:
    """One second of Opus packets (20 ms) of a tone, encoded once and sent in a loop."""
    encoder = av.CodecContext.create("libopus", "w")
    encoder.sample_rate = RATE
    encoder.layout = "mono"
    encoder.format = "s16"
    encoder.bit_rate = 32000
    samples = ToneTrack(frequency)._samples
    packets: list[bytes] = []
    for index in range(int(seconds * RATE / FRAME)):
        offset = (index * FRAME) % RATE
        frame = av.AudioFrame(format="s16", layout="mono", samples=FRAME)
        frame.planes[0].update(samples[offset : offset + FRAME].tobytes())
        frame.pts = index * FRAME
        frame.sample_rate = RATE
        packets.extend(bytes(p) for p in encoder.encode(frame))
    return packets


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


class RtpParticipant:
    def __init__(self, index: int, packets: list[bytes]) -> None:
        self.index = index
        self.packets = packets
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.target: tuple[str, int] | None = None
        self.seq = 0
        self.ssrc = 0x10000 + index
        self.received = 0

    def send(self) -> None:
        if self.target is None:
            return
        payload = self.packets[self.seq % len(self.packets)]
        header = struct.pack("!BBHII", 0x80, PT, self.seq & 0xFFFF, self.seq * FRAME, self.ssrc)
        self.seq += 1
        with contextlib.suppress(BlockingIOError):
            self.sock.sendto(header + payload, self.target)
        while True:
            try:
                self.sock.recv(2048)
                self.received += 1
            except (BlockingIOError, OSError):
                break


async def join_all(janus: conf.JanusSettings, participants: list[RtpParticipant]):
    gateway = Gateway(janus.api_socket, janus.secrets.api_secret)
    session = await gateway.create_session()
    try:
        await _join(session, participants)
    except BaseException:
        await session.destroy()
        raise
    return session


async def _join(session, participants: list[RtpParticipant]) -> None:
    for p in participants:
        handle = await session.attach(AUDIOBRIDGE)
        reply = await handle.request(
            {
                "request": "join",
                "room": ROOM,
                "id": 1000 + p.index,
                "display": f"p{p.index}",
                "muted": False,
                "rtp": {"ip": "127.0.0.1", "port": p.port, "payload_type": PT},
            }
        )
        rtp = reply.data.get("rtp") or {}
        p.target = (rtp.get("ip", "127.0.0.1"), int(rtp["port"]))


async def send_for(participants: list[RtpParticipant], seconds: float) -> None:
    start = time.monotonic()
    tick = 0
    while time.monotonic() - start < seconds:
        for p in participants:
            p.send()
        tick += 1
        await asyncio.sleep(max(0, start + tick * TICK - time.monotonic()))


def measure(args, harness_loop: NamespaceLoop, janus, supervisor, count: int) -> dict:
    admin = AdminClient(janus.admin_socket, janus.secrets.admin_secret)
    secret = "bench"  # noqa: S105 (a throw-away room)
    admin.message_plugin(
        AUDIOBRIDGE,
        {
            "request": "create",
            "admin_key": janus.secrets.admin_key,
            "room": ROOM,
            "secret": secret,
            "sampling_rate": RATE,
            "audiolevel_event": True,
            "allow_rtp_participants": True,
        },
    )
    participants = harness_loop.run(_make(count, args.tone))
    session = None
    try:
        session = harness_loop.run(join_all(janus, participants), timeout=120)
        if args.unmuted is not None:
            for p in participants[args.unmuted :]:
                admin.message_plugin(
                    AUDIOBRIDGE,
                    {"request": "mute", "room": ROOM, "secret": secret, "id": 1000 + p.index},
                )
        harness_loop.run(send_for(participants, args.warmup), timeout=args.warmup + 30)
        pid = supervisor.pid
        before, wall = cpu_seconds(pid), time.monotonic()
        harness_loop.run(send_for(participants, args.seconds), timeout=args.seconds + 30)
        used, elapsed = cpu_seconds(pid) - before, time.monotonic() - wall
        received = sum(p.received for p in participants)
        return {
            "participants": count,
            "unmuted": count if args.unmuted is None else min(args.unmuted, count),
            "janus_cpu_percent": round(100 * used / elapsed, 1),
            "janus_threads": threads(pid),
            "mix_packets_per_s": round(received / (args.warmup + args.seconds)),
        }
    finally:
        if session is not None:
            harness_loop.run(session.destroy())
        for p in participants:
            p.sock.close()
        admin.message_plugin(AUDIOBRIDGE, {"request": "destroy", "room": ROOM, "secret": secret})
        admin.close()


async def _make(count: int, tone: int) -> list[RtpParticipant]:
    packets = opus_packets(tone)
    return [RtpParticipant(i, packets) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[0, 10, 25, 50])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--unmuted", type=int, default=None)
    parser.add_argument("--tone", type=int, default=440)
    parser.add_argument("--netns", default=os.environ.get("VEV_NETNS_PREFIX", "vev-bench-") + "cpu")
    args = parser.parse_args()
    if reason := why_unavailable():
        sys.exit(f"cannot run: {reason}")
    netns = NetworkNamespace(args.netns)
    with tempfile.TemporaryDirectory(prefix="vev-bench-") as directory:
        janus = conf.janus_settings(
            DIR=directory,
            RTP_PORTS="17200-17799",
            STREAM_PORTS="17800-17899",
            ICE_INTERFACES=VETH[0],
            DEBUG_LEVEL=3,
        )
        supervisor = JanusSupervisor(janus, prefix=netns.prefix())
        loop = NamespaceLoop(netns)
        try:
            netns.create()
            supervisor.start()
            if not supervisor.ready.wait(20):
                sys.exit("Janus did not start")
            loop.start()
            rows = [measure(args, loop, janus, supervisor, n) for n in args.counts]
        finally:
            loop.stop()
            supervisor.stop()
            netns.delete()
    reference = next((r for r in rows if r["participants"] == 0), None)
    for row in rows:
        if reference and row["participants"]:
            extra = row["janus_cpu_percent"] - reference["janus_cpu_percent"]
            row["cpu_per_participant"] = round(extra / row["participants"], 2)
    print(
        json.dumps(
            {
                "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpu",
                "event_loops": janus.event_loops,
                "seconds": args.seconds,
                "rows": rows,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
