"""Browser tests: Debian's Chromium driven by Playwright against vev served by uvicorn.

The server runs in a thread of the test process on a free port, with the test database
(``transactional_db``), the in-process or Redis channel layer and the test mail outbox.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.servers import stop_server

# Playwright's sync API keeps an event loop on the main thread; Django must still let the test
# body use the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("VEV_CHROMIUM") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("VEV_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class LiveServer:
    url: str
    host: str
    port: int

    def __str__(self) -> str:
        return self.url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[LiveServer]:
    import uvicorn
    from channels.layers import channel_layers

    from vev.asgi import application

    # A channel layer receives on one event loop at a time (channels-redis): each test server
    # has its own loop, and the previous server's room hubs may still count as receiving.
    channel_layers.backends.pop("default", None)
    port = _free_port()
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        loop="asyncio",
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="vev-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", "127.0.0.1", port)
    stop_server(server, thread)
    channel_layers.backends.pop("default", None)


@pytest.fixture
def new_page(browser, asgi_server):
    """Open pages in separate browser contexts (separate cookies): one per person."""
    contexts = []

    def make(locale: str = "en-GB", timezone_id: str = "Europe/Zurich"):
        context = browser.new_context(
            base_url=asgi_server.url, locale=locale, timezone_id=timezone_id
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
