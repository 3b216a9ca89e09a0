"""Agenda edits and the running order, as services (audit entries, events, refusals)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from vev.core.models import AuditEntry
from vev.council.models import AgendaItem
from vev.planning.errors import PlanningError
from vev.planning.services import agenda


def test_moving_an_item_publishes_the_new_order(
    council_2020, secretariat_2020, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "vev.core.realtime.publish.send_now", lambda group, event: sent.append((group, event))
    )
    meeting = council_2020.meetings.get(code="PL 2")
    first, second = list(meeting.allocations.order_by("position"))[:2]
    with django_capture_on_commit_callbacks(execute=True):
        agenda.move_allocation(first, by=secretariat_2020, offset=1)
    group, event = sent[0]
    assert group == f"meeting.{meeting.pk}.room"
    assert event.type == "agenda.running_order_changed"
    assert event.allocations[:2] == [second.pk, first.pk]
    assert AuditEntry.objects.filter(action="vev.planning.running_order.changed").exists()


def test_items_taken_keep_their_place_and_only_the_secretariat_reorders(
    council_2020, secretariat_2020
):
    meeting = council_2020.meetings.get(code="PL 2")
    first, second = list(meeting.allocations.order_by("position"))[:2]
    chair = get_user_model().objects.get(email="chair@vev.test")
    with pytest.raises(PlanningError):
        agenda.move_allocation(first, by=chair, offset=1)
    first.started_at = meeting.starts_at
    first.save()
    with pytest.raises(PlanningError) as caught:
        agenda.move_allocation(second, by=secretariat_2020, offset=-1)
    assert "already taken up" in str(caught.value)


def test_deferring_an_item_is_audited(council_2020, secretariat_2020):
    item = council_2020.agenda_items.get(code="ADM 22")
    agenda.save_item(
        council_2020,
        item,
        by=secretariat_2020,
        data={"status": AgendaItem.Status.DEFERRED},
        must_follow=[],
    )
    entry = AuditEntry.objects.get(action="vev.planning.item.deferred")
    assert entry.data["changed"]["status"] == ["on_agenda", "deferred"]


def test_a_pin_to_another_committees_meeting_is_refused(council_2020, secretariat_2020):
    item = council_2020.agenda_items.get(code="ADM 22")
    with pytest.raises(PlanningError) as caught:
        agenda.save_item(
            council_2020,
            item,
            by=secretariat_2020,
            data={},
            pinned_meeting=council_2020.meetings.get(code="PL 2"),
        )
    assert "another committee" in str(caught.value)
