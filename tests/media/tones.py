"""Synthetic tones for the media tests and the benchmark: a sine source and a Goertzel probe.

Every client sends its own frequency; assertions ask "is 660 Hz present in what this listener
received in the last half second?", never merely "did something arrive?".
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import math
import time
from array import array
from collections import deque

from aiortc.mediastreams import AudioStreamTrack, MediaStreamError
from av import AudioFrame

RATE = 48000
FRAME = 960  # 20 ms
AMPLITUDE = 0.3
HEARD = 0.03  # estimated amplitude (full scale 1.0) above which a tone counts as heard
SILENT = 0.01  # … below which it counts as absent


class ToneTrack(AudioStreamTrack):
    """A steady sine wave at ``frequency`` Hz, 48 kHz mono, paced in real time."""

    def __init__(self, frequency: int) -> None:
        super().__init__()
        self.frequency = frequency
        second = [
            int(AMPLITUDE * 32767 * math.sin(2 * math.pi * frequency * n / RATE))
            for n in range(RATE)
        ]
        self._samples = array("h", second + second[:FRAME])
        self._pts = 0
        self._start: float | None = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        else:
            self._pts += FRAME
            await asyncio.sleep(max(0, self._start + self._pts / RATE - time.monotonic()))
        offset = self._pts % RATE
        frame = AudioFrame(format="s16", layout="mono", samples=FRAME)
        frame.planes[0].update(self._samples[offset : offset + FRAME].tobytes())
        frame.pts = self._pts
        frame.sample_rate = RATE
        frame.time_base = fractions.Fraction(1, RATE)
        return frame


def goertzel_amplitude(samples: array | list[int], frequency: float, rate: int = RATE) -> float:
    """Amplitude (full scale 1.0) of ``frequency`` in ``samples`` (16-bit), by Goertzel."""
    n = len(samples)
    if n == 0:
        return 0.0
    coefficient = 2 * math.cos(2 * math.pi * frequency / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coefficient * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
    return 2 * math.sqrt(max(power, 0.0)) / n / 32768


class ToneProbe:
    """Consumes a received audio track and keeps the last seconds of mono samples with their
    arrival times, so tests can measure tones in a window and in consecutive short windows."""

    def __init__(self, keep_seconds: float = 4.0) -> None:
        self.frames: deque[tuple[float, array]] = deque()
        self.keep = keep_seconds
        self.task: asyncio.Task | None = None
        self.tracks: list = []

    def attach(self, track) -> None:
        self.tracks.append(track)
        if self.task is None:
            self.task = asyncio.ensure_future(self._consume(track))

    async def _consume(self, track) -> None:
        with contextlib.suppress(MediaStreamError, asyncio.CancelledError):
            while True:
                frame = await track.recv()
                self.add(frame)

    def add(self, frame) -> None:
        raw = array("h", bytes(frame.planes[0])[: frame.samples * 2 * len(frame.layout.channels)])
        channels = len(frame.layout.channels)
        mono = raw[::channels] if channels > 1 else raw
        if frame.sample_rate != RATE:
            return
        now = time.monotonic()
        self.frames.append((now, mono))
        while self.frames and self.frames[0][0] < now - self.keep:
            self.frames.popleft()

    def window(self, seconds: float) -> array:
        since = time.monotonic() - seconds
        out = array("h")
        for at, samples in self.frames:
            if at >= since:
                out.extend(samples)
        return out

    def amplitude(self, frequency: int, seconds: float = 0.5) -> float:
        """Amplitude of ``frequency`` over the last ``seconds`` (0 when nothing arrived)."""
        window = self.window(seconds)
        expected = int(seconds * RATE)
        if len(window) < expected // 4:
            return 0.0
        return goertzel_amplitude(window, frequency)

    def windows(self, since: float, seconds: float, window: float = 0.04) -> list[array]:
        """The ``seconds`` of audio received from the monotonic time ``since`` on, cut into
        consecutive windows of ``window`` seconds: by sample count, so that late or bunched
        arrivals on a busy machine do not matter. Fewer windows while less has arrived."""
        samples = array("h")
        for at, frame in self.frames:
            if at >= since:
                samples.extend(frame)
        samples = samples[: int(seconds * RATE)]
        size = int(window * RATE)
        return [samples[i : i + size] for i in range(0, len(samples) - size + 1, size)]

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
