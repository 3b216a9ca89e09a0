"""Serve vev (``uvicorn vev.asgi:application``) with the room's timings shortened.

Started as a subprocess by tests/live/test_multiprocess.py (and usable by hand), with the
options and environment of ``vev serve``:

    python -m tests.live.serve_for_test <port>

``VEV_TEST_HEARTBEAT`` and ``VEV_TEST_STALE`` (seconds) replace ``presence.HEARTBEAT_SECONDS``
and ``presence.STALE_SECONDS`` in this process only, so a killed process's connections are
found and closed within a few seconds instead of 75.
"""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    from vev.cli import SERVER_ENVIRONMENT, UVICORN_OPTIONS

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vev.settings")
    for key, value in SERVER_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    django.setup()
    from vev.live.services import presence

    presence.HEARTBEAT_SECONDS = float(os.environ.get("VEV_TEST_HEARTBEAT", "20"))
    presence.STALE_SECONDS = float(os.environ.get("VEV_TEST_STALE", "75"))
    import uvicorn

    uvicorn.run(
        "vev.asgi:application",
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level=os.environ.get("VEV_TEST_LOG_LEVEL", "warning"),
        **UVICORN_OPTIONS,  # as `vev serve`
    )


if __name__ == "__main__":
    main()
