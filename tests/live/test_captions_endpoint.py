"""The providers' ingestion endpoint: its whole contract, status code by status code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests import factories
from tests.factories import open_meeting
from vev.council.models import Meeting
from vev.live.models import CaptionLine, CaptionPost, CaptionStream, RoomEvent
from vev.live.services import captions

pytestmark = pytest.mark.django_db

TEXT = "text/plain; charset=utf-8"


@pytest.fixture
def setup(db):
    event = factories.create_event()
    users = factories.create_role_users(event)
    meeting = open_meeting(event)
    feed = captions.create_feed(users["secretariat"], meeting)
    return event, meeting, users, feed


def address(feed) -> str:
    """The address as the provider holds it (path and query, without the site)."""
    parts = urlsplit(captions.feed_url(feed))
    return f"{parts.path}?{parts.query}"


def post(url: str, body: str | bytes = "", *, seq=None, lang=None, ctype=TEXT, **headers):
    if seq is not None:
        url += f"&seq={seq}"
    if lang is not None:
        url += f"&lang={lang}"
    data = body.encode() if isinstance(body, str) else body
    # A provider has no session and no CSRF token.
    client = Client(enforce_csrf_checks=True)
    return client.generic("POST", url, data=data, content_type=ctype, **headers)


def text(meeting, language="en") -> list[tuple[str, bool]]:
    return [
        (line.text, line.final)
        for line in CaptionLine.objects.filter(meeting=meeting, language=language).order_by(
            "number"
        )
    ]


def test_the_address_is_signed_and_carries_meeting_nonce_and_expiry(setup):
    _, meeting, _, feed = setup
    query = parse_qs(urlsplit(captions.feed_url(feed)).query)
    assert query["id"] == [str(meeting.pk)] and query["ns"] == [feed.nonce]
    assert int(query["expire"][0]) == int(feed.expires_at.timestamp())
    assert feed.expires_at >= meeting.ends_at + timedelta(hours=12)
    assert len(query["signature"][0]) == 43  # HMAC-SHA256, base64url
    assert captions.seq_url(feed).split("?")[0].endswith("/captions/ingest/seq")


def test_a_post_is_accepted_and_becomes_caption_lines(setup):
    _, meeting, _, feed = setup
    response = post(address(feed), "Good afternoon, distinguished delegates.\nThe ", seq=1)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Last-Seq"] == "1"
    assert text(meeting) == [("Good afternoon, distinguished delegates.", True), ("The ", False)]
    response = post(address(feed), "meeting is open.\n", seq=2, lang="en-US")
    assert response.status_code == 200
    assert text(meeting)[-1] == ("The meeting is open.", True)
    stream = CaptionStream.objects.get(feed=feed, language="en")
    assert (stream.last_seq, stream.posts, stream.repeats, stream.missing) == (2, 2, 0, 0)


def test_a_retry_is_answered_but_not_applied_again(setup):
    _, meeting, _, feed = setup
    assert post(address(feed), "Hello ", seq=1).status_code == 200
    assert post(address(feed), "world", seq=2).status_code == 200
    events = RoomEvent.objects.filter(meeting=meeting, type="captions.line").count()
    retry = post(address(feed), "world", seq=2)
    assert retry.status_code == 200 and b"Already received" in retry.content
    older = post(address(feed), "Hello ", seq=1)
    assert older.status_code == 200 and older["X-Last-Seq"] == "2"
    assert text(meeting) == [("Hello world", False)]
    assert RoomEvent.objects.filter(meeting=meeting, type="captions.line").count() == events
    stream = CaptionStream.objects.get(feed=feed, language="en")
    assert (stream.last_seq, stream.repeats) == (2, 2)
    outcomes = list(CaptionPost.objects.order_by("pk").values_list("seq", "outcome"))
    assert outcomes == [(1, "applied"), (2, "applied"), (2, "repeat"), (1, "repeat")]


def test_a_jump_is_accepted_and_the_gap_logged(setup, caplog):
    _, meeting, _, feed = setup
    post(address(feed), "One. ", seq=1)
    with caplog.at_level("WARNING", logger="vev.live.services.captions"):
        response = post(address(feed), "Five.", seq=5)
    assert response.status_code == 200 and b"3 earlier post(s) never arrived" in response.content
    assert "3 post(s) missing before seq 5" in caplog.text
    assert text(meeting) == [("One. Five.", False)]
    stream = CaptionStream.objects.get(feed=feed, language="en")
    assert (stream.last_seq, stream.missing) == (5, 3)
    assert CaptionPost.objects.get(seq=5).missing_before == 3
    # 2 to 4 arriving late are older than the last accepted: retries, not applied.
    assert post(address(feed), "Two. ", seq=3).status_code == 200
    assert text(meeting) == [("One. Five.", False)]


def test_backspace_and_delete_remove_characters_also_across_a_line_break(setup):
    _, meeting, _, feed = setup
    post(address(feed), "The Council approves\nthe reprot", seq=1)
    assert text(meeting) == [("The Council approves", True), ("the reprot", False)]
    post(address(feed), "\x08\x08\x08ort.", seq=2)  # backspace (0x08)
    assert text(meeting)[-1] == ("the report.", False)
    post(address(feed), "\x7f" * len("the report."), seq=3)  # DEL (0x7F) empties the line
    assert text(meeting) == [("The Council approves", True)]
    post(address(feed), "\x08", seq=4)  # one more deletes the line break: the line reopens
    assert text(meeting) == [("The Council approves", False)]
    post(address(feed), "\x08\x08\x08\x08\x08\x08\x08\x08notes the report.\n", seq=5)
    assert text(meeting) == [("The Council notes the report.", True)]
    kinds = list(
        RoomEvent.objects.filter(meeting=meeting, type="captions.line")
        .order_by("seq")
        .values_list("payload__final", "payload__removed")
    )
    assert (False, True) in kinds  # the emptied line was announced as removed


def test_a_blank_line_is_one_break_and_one_backspace_undoes_it(setup):
    _, meeting, _, feed = setup
    post(address(feed), "Paragraph one.\n\n", seq=1)
    assert text(meeting) == [("Paragraph one.", True), ("", True)]
    post(address(feed), "\x08", seq=2)
    assert text(meeting) == [("Paragraph one.", True)]
    post(address(feed), "Next.", seq=3)
    assert text(meeting) == [("Paragraph one.", True), ("Next.", False)]


def test_long_lines_wrap_at_a_space_and_a_backspace_undoes_the_wrap(setup):
    _, meeting, _, feed = setup
    words = " ".join(["word"] * 60)  # 299 characters, no line break
    post(address(feed), words, seq=1)
    lines = text(meeting)
    assert len(lines) == 2 and lines[0][1] is True and len(lines[0][0]) <= captions.MAX_LINE_CHARS
    assert "".join(t for t, _ in lines) == words
    post(address(feed), "\x08" * (len(lines[1][0]) + 1), seq=2)  # the rest, then the space
    assert text(meeting) == [(lines[0][0][:-1], False)]


def test_languages_map_from_provider_codes_and_share_the_address_numbering(setup):
    _, meeting, _, feed = setup
    assert post(address(feed), "Bonjour", seq=1, lang="fr-FR").status_code == 200
    assert post(address(feed), "你好", seq=2, lang="zh-CN").status_code == 200
    assert post(address(feed), "مرحبا", seq=3, lang="ar").status_code == 200
    assert post(address(feed), "Hello", seq=4).status_code == 200  # no lang: the default
    assert text(meeting, "fr") == [("Bonjour", False)]
    assert text(meeting, "zh") == [("你好", False)]
    assert text(meeting, "ar") == [("مرحبا", False)]
    assert text(meeting, "en") == [("Hello", False)]
    refused = post(address(feed), "Hallo", seq=5, lang="de-DE")
    assert refused.status_code == 400 and b"not a language of this session" in refused.content


def test_one_counter_per_address_across_languages(setup):
    """Zoom's convention: ``seq`` belongs to the caption address and increases by one per new
    post whatever its ``lang``. Software numbering every language with one counter is neither
    taken for retries nor reported as missing posts, and resumes after a crash from GET …/seq
    without ``lang`` at the right number (the highest of every language)."""
    _, meeting, _, feed = setup
    seq_address = urlsplit(captions.seq_url(feed))
    client = Client()
    for seq, lang, words in [(1, "en-US", "One "), (2, "fr-FR", "Un "), (3, "en-US", "two ")]:
        assert post(address(feed), words, seq=seq, lang=lang).status_code == 200
    for seq, lang, words in [(4, "fr-FR", "deux "), (5, "fr-FR", "trois ")]:
        assert post(address(feed), words, seq=seq, lang=lang).status_code == 200
    # The software restarts and asks where it was: 5 (French), not English's 3.
    response = client.get(f"{seq_address.path}?{seq_address.query}")
    assert response.content.strip() == b"5"
    # It goes on at 6, in English: new text, not a retry of an earlier English post.
    accepted = post(address(feed), "three.", seq=6, lang="en-US")
    assert accepted.status_code == 200 and accepted["X-Last-Seq"] == "6"
    assert text(meeting, "en") == [("One two three.", False)]
    assert text(meeting, "fr") == [("Un deux trois ", False)]
    # A retry is a retry in any language; nothing was missing.
    repeat = post(address(feed), "three.", seq=6, lang="en-US")
    assert repeat.status_code == 200 and b"Already received" in repeat.content
    assert text(meeting, "en") == [("One two three.", False)]
    streams = {s.language: s for s in feed.streams.all()}
    assert streams["en"].missing == streams["fr"].missing == 0
    assert streams["en"].repeats == 1
    # A gap in the address's numbering is a gap, whichever language reveals it.
    gap = post(address(feed), "quatre", seq=9, lang="fr-FR")
    assert gap.status_code == 200 and b"2 earlier post(s) never arrived" in gap.content


def test_seq_reads_the_last_accepted_number_in_both_forms(setup):
    _, meeting, _, feed = setup
    post(address(feed), "a", seq=7)
    post(address(feed), "b", seq=8, lang="fr-FR")
    seq_address = urlsplit(captions.seq_url(feed))
    client = Client()
    response = client.get(f"{seq_address.path}?{seq_address.query}")
    assert response.status_code == 200 and response.content.strip() == b"8"
    # With lang (Zoom's form): the same number, the address has one counter.
    response = client.get(f"{seq_address.path}?{seq_address.query}&lang=en-US")
    assert response.content.strip() == b"8"
    response = client.get(f"{seq_address.path}?{seq_address.query}&lang=de-DE")
    assert response.status_code == 400
    # Software that appends /seq to the whole address.
    response = client.get(f"{address(feed)}/seq")
    assert response.status_code == 200 and response.content.strip() == b"8"
    assert client.get(f"{seq_address.path}?id={meeting.pk}").status_code == 403
    assert client.post(f"{seq_address.path}?{seq_address.query}").status_code == 405


def test_missing_seq_and_bad_signatures_are_403(setup):
    _, meeting, _, feed = setup
    response = post(address(feed), "x")
    assert response.status_code == 403 and b"seq" in response.content
    forged = address(feed).replace("signature=", "signature=A")
    response = post(forged, "x", seq=1)
    assert response.status_code == 403 and b"signature does not match" in response.content
    later = int((feed.expires_at + timedelta(days=1)).timestamp())
    extended = address(feed).replace(
        f"expire={int(feed.expires_at.timestamp())}", f"expire={later}"
    )
    assert post(extended, "x", seq=1).status_code == 403
    other_meeting = address(feed).replace(f"id={meeting.pk}", f"id={meeting.pk + 1}")
    assert post(other_meeting, "x", seq=1).status_code == 403
    assert post("/captions/ingest?id=1", "x", seq=1).status_code == 403
    assert not CaptionLine.objects.exists()
    response = post(address(feed), "x", seq="first")
    assert response.status_code == 400 and b"whole number" in response.content


def test_an_expired_address_is_403(setup, monkeypatch):
    _, meeting, _, feed = setup
    url = address(feed)
    later = feed.expires_at + timedelta(seconds=1)
    monkeypatch.setattr(captions.timezone, "now", lambda: later)
    response = post(url, "x", seq=1)
    assert response.status_code == 403 and b"expired" in response.content


def test_revoked_and_rotated_addresses_stop_at_once(setup):
    _, meeting, users, feed = setup
    old = address(feed)
    assert post(old, "a", seq=1).status_code == 200
    new_feed = captions.rotate_feed(users["secretariat"], meeting)
    response = post(old, "b", seq=2)
    assert response.status_code == 403 and b"withdrawn" in response.content
    new = address(new_feed)
    assert post(new, "b", seq=1).status_code == 200  # a new address numbers from 1
    assert text(meeting) == [("ab", False)]  # the same transcript goes on
    captions.revoke_feed(users["secretariat"], meeting)
    assert post(new, "c", seq=2).status_code == 403


def test_not_in_session_is_400(setup):
    _, meeting, _, feed = setup
    for status in (Meeting.Status.SCHEDULED, Meeting.Status.ENDED):
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        response = post(address(feed), "x", seq=1)
        assert response.status_code == 400 and b"not in session" in response.content
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SUSPENDED)
    assert post(address(feed), "x", seq=1).status_code == 200


def test_other_methods_are_405(setup):
    _, _, _, feed = setup
    client = Client()
    for method in ("get", "put", "delete"):
        response = getattr(client, method)(address(feed) + "&seq=1")
        assert response.status_code == 405 and response["Allow"] == "POST"


def test_content_types_form_encoded_and_others_are_refused(setup):
    _, meeting, _, feed = setup
    form = post(address(feed), "text=Hello", seq=1, ctype="application/x-www-form-urlencoded")
    assert form.status_code == 400 and b"not form-encoded" in form.content
    json = post(address(feed), '{"text": "Hello"}', seq=1, ctype="application/json")
    assert json.status_code == 415 and b"text/plain" in json.content
    latin = post(
        address(feed), "Caf\xe9".encode("latin-1"), seq=1, ctype="text/plain; charset=iso-8859-1"
    )
    assert latin.status_code == 415
    broken = post(address(feed), b"Caf\xe9", seq=1)
    assert broken.status_code == 400 and b"UTF-8" in broken.content
    too_long = post(address(feed), "x" * (captions.MAX_BODY_BYTES + 1), seq=1)
    assert too_long.status_code == 413
    assert not CaptionLine.objects.exists()
    assert post(address(feed), "Café", seq=1, ctype="text/plain").status_code == 200  # utf-8
    assert text(meeting) == [("Café", False)]


def test_x_timestamp_is_recorded(setup):
    _, meeting, _, feed = setup
    post(address(feed), "Hello", seq=1, HTTP_X_TIMESTAMP="2026-12-01T12:00:03.250Z")
    post(address(feed), " there", seq=2, HTTP_X_TIMESTAMP="1764590404000")
    post(address(feed), "!", seq=3, HTTP_X_TIMESTAMP="soon")
    rows = list(CaptionPost.objects.order_by("seq"))
    assert rows[0].provider_timestamp == "2026-12-01T12:00:03.250Z"
    assert rows[0].provider_at.isoformat() == "2026-12-01T12:00:03.250000+00:00"
    assert rows[1].provider_at == datetime.fromtimestamp(1764590404, UTC)
    assert rows[2].provider_timestamp == "soon" and rows[2].provider_at is None
    assert CaptionLine.objects.get().provider_at == rows[0].provider_at


def test_the_endpoint_needs_no_session_and_ignores_one(setup, client):
    _, meeting, users, feed = setup
    client.force_login(users["no_mfa_councillor"])  # the MFA redirect does not apply here
    response = client.post(address(feed) + "&seq=1", data=b"Hi", content_type=TEXT)
    assert response.status_code == 200
