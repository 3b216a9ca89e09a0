"""The demo opens a rehearsal room in session, so every demo account can try the room."""

from datetime import date

import pytest

from tests.live.services import enter
from vev.council.models import Meeting
from vev.council.services.demo import load_demo
from vev.live.services import speakers

pytestmark = pytest.mark.django_db


def test_demo_has_a_rehearsal_room_open_now():
    demo = load_demo(today=date(2026, 11, 24))
    rehearsal = demo.event.children.get(kind="rehearsal")
    room = rehearsal.meetings.get(slug="rehearsal-room")
    assert room.status == Meeting.Status.LIVE
    assert room.allocations.count() == 3
    users = demo.users  # by the local part of their e-mail address
    delegate = enter(users["head.fr"], room)
    assert delegate.mode == "active" and delegate.entity.iso_code == "FR"
    entry = speakers.raise_hand(room, users["head.fr"])
    enter(users["chair"], room)
    speakers.give_floor(room, users["chair"], entry)
    assert speakers.speakers_state(room.pk).floor.name.startswith("Head of delegation")
