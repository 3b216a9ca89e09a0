"""Fixtures of a real Janus in a network namespace, and tone clients (tests/media, and the
browser tests of media). A plugin of the root conftest (``pytest_plugins``), so the whole test
session shares one Janus and one namespace.

Janus tests (marker ``janus``) skip with the reason when they cannot run here (not root, no
Janus, no aiortc) and fail instead when ``VEV_REQUIRE_JANUS=1`` (CI).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import pytest

from tests.media.harness import VETH, NamespaceLoop, NetworkNamespace, why_unavailable
from vev.media import conf

NETNS_PREFIX = os.environ.get("VEV_NETNS_PREFIX", "vev-test-")


@dataclass
class JanusHarness:
    janus: conf.JanusSettings
    supervisor: object
    loop: NamespaceLoop
    netns: NetworkNamespace

    def run(self, coroutine, timeout: float = 30):
        return self.loop.run(coroutine, timeout)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.janus.log_file.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _require_janus() -> None:
    reason = why_unavailable()
    if reason is None:
        return
    if os.environ.get("VEV_REQUIRE_JANUS") == "1":
        pytest.fail(f"VEV_REQUIRE_JANUS=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def janus_harness(tmp_path_factory):
    _require_janus()
    from vev.media.janus.process import JanusSupervisor

    netns = NetworkNamespace(f"{NETNS_PREFIX}{os.getpid()}")
    directory = tmp_path_factory.mktemp("janus")
    janus = conf.janus_settings(
        DIR=str(directory),
        MODE="auto",
        RTP_PORTS="17200-17799",
        STREAM_PORTS="17800-17899",
        ICE_INTERFACES=VETH[0],
        EVENT_LOOPS=1,
        MAX_VIDEO_PUBLISHERS=2,
    )
    supervisor = JanusSupervisor(janus, prefix=netns.prefix())
    loop = NamespaceLoop(netns)
    harness = JanusHarness(janus, supervisor, loop, netns)
    try:
        NetworkNamespace.remove_stale(NETNS_PREFIX)
        netns.create()
        supervisor.start()
        if not supervisor.ready.wait(20):
            pytest.fail(f"Janus did not start:\n{harness.log_tail()}")
        loop.start()
        conf.use(janus)
        yield harness
    finally:
        conf.use(None)
        loop.stop()
        supervisor.stop()
        netns.delete()


@pytest.fixture
def janus(janus_harness, db):
    """The session's Janus, with a database; closes the test's clients afterwards."""
    from tests.media.clients import Clients

    conf.use(janus_harness.janus)  # another test may have pointed the process elsewhere
    clients = Clients(janus_harness)
    janus_harness.clients = clients
    yield janus_harness
    janus_harness.run(clients.close_all(), timeout=20)
    # Rooms outlive the test's database transaction in Janus: destroy them (their mixers and
    # forwarders would keep the CPU busy for the rest of the session).
    from vev.media.errors import MediaError
    from vev.media.models import MediaRoom
    from vev.media.services.rooms import destroy_media

    for room in MediaRoom.objects.filter(active=True).select_related("meeting"):
        with contextlib.suppress(MediaError):
            destroy_media(room.meeting)
