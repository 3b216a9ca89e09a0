"""Captions in the room: the address on the consoles, fan-out over the socket, the snapshot."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from tests.live.conftest import connect
from vev.live.models import CaptionFeed
from vev.live.services import captions

#: Generous timeouts: the first address built loads the URL configuration (seconds on a busy
#: machine), and CI shares its two cores.
SLOW = 20


@pytest.fixture(autouse=True)
def _urls_loaded():
    from django.urls import reverse

    reverse("captions:ingest")


async def enter(user, meeting):
    client = await connect(user, meeting, expect_ok=False)
    first = await client.receive(timeout=SLOW)
    assert first["type"] == "room.snapshot", first
    return client


pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("hubs")]


def post_caption(url: str, body: str, seq: int, lang: str = "en-US") -> int:
    parts = urlsplit(url)
    response = Client().generic(
        "POST",
        f"{parts.path}?{parts.query}&seq={seq}&lang={lang}",
        data=body.encode(),
        content_type="text/plain; charset=utf-8",
    )
    return response.status_code


async def test_captions_posted_to_the_endpoint_reach_every_socket_in_order(live):
    event, meeting, users = live
    technician = await enter(users["technician"], meeting)
    delegate = await enter(users["fr"][0], meeting)
    observer = await enter(users["observer"], meeting)
    assert delegate.frames[0]["captions"]["active"] is False
    assert delegate.frames[0]["captions"]["languages"] == ["ar", "zh", "en", "fr", "ru", "es"]

    reply = await technician.command("captions.feed_create", {"language": "en"}, timeout=SLOW)
    assert reply["ok"], reply
    url = reply["result"]["url"]
    assert "/captions/ingest?id=" in url and reply["result"]["may_manage"] is True
    switched = await delegate.receive_type("captions.feed", timeout=SLOW)
    assert switched["active"] is True and switched["stream"] == "room"

    post = database_sync_to_async(post_caption)
    assert await post(url, "Mr Chair, France ", 1) == 200
    assert await post(url, "supports the report.\nWe", 2) == 200
    assert await post(url, "\x08\x08", 3) == 200  # removes "We"
    assert await post(url, "Merci.", 4, lang="fr-FR") == 200
    for client in (delegate, observer):
        lines = []
        while len(lines) < 5:
            frame = await client.receive_type("captions.line", timeout=SLOW)
            lines.append(frame)
        seqs = [f["seq"] for f in lines]
        assert seqs == sorted(seqs)
        assert [(f["language"], f["text"], f["final"], f["removed"]) for f in lines] == [
            ("en", "Mr Chair, France ", False, False),
            ("en", "Mr Chair, France supports the report.", True, False),
            ("en", "We", False, False),
            ("en", "", False, True),
            ("fr", "Merci.", False, False),
        ]
        assert lines[0]["line_id"] == lines[1]["line_id"] != lines[2]["line_id"]

    # Someone arriving now sees the last lines of each language in the snapshot.
    late = await enter(users["councillor"], meeting)
    section = late.frames[0]["captions"]
    assert section["active"] is True
    assert [line["text"] for line in section["lines"]["en"]] == [
        "Mr Chair, France supports the report."
    ]
    assert section["lines"]["fr"][0]["final"] is False
    for client in (technician, delegate, observer, late):
        await client.close()


async def test_the_address_is_shown_only_to_captioners_and_managed_by_staff(live):
    event, meeting, users = live
    delegate = await enter(users["fr"][0], meeting)
    captioner = await enter(users["captioner"], meeting)
    secretariat = await enter(users["secretariat"], meeting)

    denied = await delegate.command("captions.feed", timeout=SLOW)
    assert denied["ok"] is False and denied["error"]["code"] == "denied"
    none = await captioner.command("captions.feed", timeout=SLOW)
    assert none["ok"] and none["result"] == {"active": False, "may_manage": False}
    denied = await captioner.command("captions.feed_create", timeout=SLOW)
    assert denied["error"]["code"] == "denied"

    created = await secretariat.command("captions.feed_create", timeout=SLOW)
    assert created["ok"] and created["result"]["default_language"] == "en"
    again = await secretariat.command("captions.feed_create", timeout=SLOW)
    assert again["ok"] is False and again["error"]["code"] == "conflict"
    shown = await captioner.command("captions.feed", timeout=SLOW)
    assert shown["result"]["url"] == created["result"]["url"]
    assert shown["result"]["seq_url"].split("?")[0].endswith("/captions/ingest/seq")

    rotated = await secretariat.command("captions.feed_rotate", timeout=SLOW)
    assert rotated["ok"] and rotated["result"]["url"] != created["result"]["url"]
    assert await database_sync_to_async(post_caption)(created["result"]["url"], "x", 1) == 403
    assert await database_sync_to_async(post_caption)(rotated["result"]["url"], "Hi", 5) == 200
    reset = await captioner.command("captions.reset_sequence", timeout=SLOW)
    assert reset["ok"] and reset["result"]["streams"][0]["last_seq"] == 0
    assert reset["result"]["last_seq"] == 0
    assert await database_sync_to_async(post_caption)(rotated["result"]["url"], "!", 1) == 200

    revoked = await secretariat.command("captions.feed_revoke", timeout=SLOW)
    assert revoked["ok"] and revoked["result"]["active"] is False
    off = await delegate.receive_until(
        lambda f: f.get("type") == "captions.feed" and f["active"] is False, timeout=SLOW
    )
    assert off["stream"] == "room"
    feeds = await database_sync_to_async(
        lambda: list(CaptionFeed.objects.values_list("revoked_by__email", flat=True))
    )()
    assert sorted(feeds) == ["secretariat@example.org", "secretariat@example.org"]
    for client in (delegate, captioner, secretariat):
        await client.close()


async def test_captions_are_kept_in_the_audit_and_the_transcript_of_each_item(live):
    from vev.core.models import AuditEntry
    from vev.live.models import CaptionLine, RoomState

    event, meeting, users = live

    def setup():
        feed = captions.create_feed(users["technician"], meeting)
        allocation = meeting.allocations.get()
        RoomState.objects.update_or_create(
            meeting=meeting, defaults={"current_allocation": allocation}
        )
        return captions.feed_url(feed), allocation

    url, allocation = await database_sync_to_async(setup)()
    assert await database_sync_to_async(post_caption)(url, "On this item.\n", 1) == 200
    line = await database_sync_to_async(CaptionLine.objects.get)()
    assert line.allocation_id == allocation.pk
    actions = await database_sync_to_async(
        lambda: list(AuditEntry.objects.values_list("action", flat=True))
    )()
    assert "vev.live.captions.address_created" in actions
