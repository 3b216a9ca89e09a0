"""Dropping and resuming a page's room socket at a moment the test chooses.

``drop`` closes the socket as a lost connection would and holds the page's reconnection;
``resume`` lets it reconnect, and checks that the server resumed the session (a replay of what
was missed, ``room.resumed``) rather than sending a new snapshot.
"""

from __future__ import annotations

from playwright.sync_api import expect


def drop(page) -> None:
    page.evaluate(
        """() => {
            const socket = window.vevRoom.socket;
            window.vevTest = { reconnect: socket.connect.bind(socket), resumed: false };
            socket.connect = () => {};  // hold the reconnection until resume()
            window.vevRoom.on("room.resumed", () => { window.vevTest.resumed = true; });
            socket.socket.close();
        }"""
    )
    expect(page.locator("[data-room]")).to_have_attribute("data-connection", "reconnecting")


def resume(page) -> None:
    page.evaluate(
        """() => {
            const socket = window.vevRoom.socket;
            socket.connect = window.vevTest.reconnect;
            socket.connect();
        }"""
    )
    expect(page.locator("[data-room]")).to_have_attribute("data-connection", "open")
    assert page.evaluate("() => window.vevTest.resumed") is True
