"""The transcript: aligned with the agenda item and the floor holder, searchable, exported."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import open_meeting
from vev.council.models import AgendaAllocation, AgendaItem, Meeting
from vev.live.models import CaptionLine, RoomState
from vev.live.services import captions

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(db, monkeypatch):
    """A meeting that took two items, each with a speaker holding the floor, captioned."""
    event = factories.create_event()
    users = factories.create_role_users(event)
    meeting = open_meeting(event)
    first = meeting.allocations.get()
    item = AgendaItem.objects.create(event=event, code="PL-9", title="Budget", position=9)
    second = AgendaAllocation.objects.create(meeting=meeting, item=item, position=1)
    feed = captions.create_feed(users["secretariat"], meeting)
    france = factories.member_entity(event, 0)
    floor = {"holder": None}
    monkeypatch.setattr(captions, "FLOOR_SOURCES", [lambda room: floor["holder"]])

    def say(allocation, holder, text, seq, language="en"):
        RoomState.objects.update_or_create(
            meeting=meeting, defaults={"current_allocation": allocation}
        )
        floor["holder"] = holder
        captions.ingest(feed, language=language, seq=seq, text=text)

    chair = captions.FloorHolder(users["chair"].pk, "Madam Chair")
    delegate = captions.FloorHolder(users["councillor"].pk, "Ms Dupont", france.pk)
    say(first, chair, "I open item one.\n", 1)
    say(first, delegate, "France supports the report.\nThank you.\n", 2)
    say(second, chair, "We turn to the budget.\n", 3)
    say(second, None, "Le budget.\n", 4, "fr")  # one numbering for all languages
    return event, meeting, users, (first, second), france


def test_lines_carry_the_item_and_the_floor_holder_when_they_began(held):
    event, meeting, users, (first, second), france = held
    rows = list(
        CaptionLine.objects.filter(meeting=meeting, language="en")
        .order_by("number")
        .values_list("text", "allocation_id", "speaker_id", "speaker_name", "speaker_entity_id")
    )
    assert rows == [
        ("I open item one.", first.pk, users["chair"].pk, "Madam Chair", None),
        ("France supports the report.", first.pk, users["councillor"].pk, "Ms Dupont", france.pk),
        ("Thank you.", first.pk, users["councillor"].pk, "Ms Dupont", france.pk),
        ("We turn to the budget.", second.pk, users["chair"].pk, "Madam Chair", None),
    ]


def _url(name, meeting, **query):
    url = reverse(name, kwargs={"event": meeting.event.slug, "meeting": meeting.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_the_transcript_page_groups_by_item_and_speaker_and_searches(held, client):
    event, meeting, users, (first, second), france = held
    page = client.get(_url("live:transcript", meeting, language="en")).content.decode()
    one, two = page.index("PL-1 Item 1"), page.index("PL-9 Budget")
    assert one < page.index("I open item one.") < page.index("Ms Dupont") < two
    assert page.index("We turn to the budget.") > two
    assert "(France)" in page and 'lang="en"' in page
    found = client.get(_url("live:transcript", meeting, language="en", q="REPORT")).content
    found = found.decode()
    assert "1 line contains" in found and "<mark>report</mark>" in found
    assert "We turn to the budget." not in found
    french = client.get(_url("live:transcript", meeting, language="fr")).content.decode()
    assert "Le budget." in french and "I open item one." not in french


def test_a_search_cannot_inject_markup(held, client):
    event, meeting, *_ = held
    captions.ingest(
        captions.active_feed(meeting), language="en", seq=9, text="<b>bold</b> & <i>x</i>\n"
    )
    page = client.get(_url("live:transcript", meeting, language="en", q="<b>")).content.decode()
    assert "<mark>&lt;b&gt;</mark>bold" in page and "<b>bold" not in page


def test_exports_as_text_and_webvtt(held, client):
    event, meeting, users, _allocations, _france = held
    RoomState.objects.filter(pk=meeting.pk).update(
        opened_at=CaptionLine.objects.order_by("started_at").first().started_at
        - timezone.timedelta(seconds=5)
    )
    text = client.get(_url("live:transcript_text", meeting, language="en"))
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "test-session-pl-1-captions-en.txt" in text["Content-Disposition"]
    body = text.content.decode()
    assert "== PL-1 Item 1 ==" in body and "-- Ms Dupont (France) --" in body
    assert "] France supports the report." in body
    assert body.index("== PL-9 Budget ==") > body.index("Thank you.")
    vtt = client.get(_url("live:transcript_vtt", meeting, language="en"))
    assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
    cues = vtt.content.decode()
    assert cues.startswith("WEBVTT\n")
    assert "\n1\n00:00:05." in cues  # 5 s after the opening
    assert "<v Ms Dupont>France supports the report." in cues
    starts = [line.split(" --> ")[0] for line in cues.splitlines() if " --> " in line]
    assert starts == sorted(starts) and len(starts) == 4


def test_who_may_read_a_transcript(held, client):
    event, meeting, users, *_ = held
    url = _url("live:transcript", meeting)
    assert client.get(url).status_code == 200  # a public meeting of a public event
    Meeting.objects.filter(pk=meeting.pk).update(access=Meeting.Access.PRIVATE)
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(users["authenticated"])
    assert client.get(url).status_code == 403
    client.force_login(users["observer"])
    assert client.get(url).status_code == 200
    Meeting.objects.filter(pk=meeting.pk).update(access=Meeting.Access.CLOSED)
    assert client.get(url).status_code == 403
    client.force_login(users["councillor"])
    assert client.get(_url("live:transcript_vtt", meeting)).status_code == 200


def test_the_floor_holder_comes_from_the_list_of_speakers(db):
    from vev.live.models import Participant, SpeakerRequest

    event = factories.create_event()
    users = factories.create_role_users(event)
    meeting = open_meeting(event)
    feed = captions.create_feed(users["secretariat"], meeting)
    france = factories.member_entity(event, 0)
    participant = Participant.objects.create(
        meeting=meeting, user=users["councillor"], entity=france, name="Ms Dupont", kind="member"
    )
    request = SpeakerRequest.objects.create(
        meeting=meeting,
        participant=participant,
        user=users["councillor"],
        entity=france,
        status=SpeakerRequest.Status.SPEAKING,
    )
    RoomState.objects.update_or_create(meeting=meeting, defaults={"floor": request})
    captions.ingest(feed, language="en", seq=1, text="France speaks.\n")
    line = CaptionLine.objects.get()
    assert (line.speaker_id, line.speaker_name, line.speaker_entity_id) == (
        users["councillor"].pk,
        "Ms Dupont",
        france.pk,
    )
    assert line.speaker_request_id == request.pk
