"""Room sockets for these tests: the live room's helpers and the ``hubs`` fixture."""

from tests.live.conftest import hubs  # noqa: F401
