"""Publishing a version writes the meetings and allocations the rest of vev reads."""

from __future__ import annotations

import pytest

from tests.planning.conftest import BEFORE_2020
from vev.core.models import AuditEntry
from vev.council.models import AgendaItem, Meeting
from vev.planning.errors import PlanningError
from vev.planning.models import PlanVersion
from vev.planning.services import planner, publishing


def _defer_adm(event, count=6):
    items = list(
        event.agenda_items.filter(committee__code="ADM").order_by("position")[2 : 2 + count]
    )
    AgendaItem.objects.filter(pk__in=[i.pk for i in items]).update(
        status=AgendaItem.Status.DEFERRED
    )
    return items


def test_publishing_after_deferral_cancels_a_meeting_and_keeps_the_others(
    council_2020, secretariat_2020, django_capture_on_commit_callbacks
):
    before = {m.code: m.pk for m in council_2020.meetings.all()}
    deferred = _defer_adm(council_2020)
    version = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publishing.publish_version(version, by=secretariat_2020, now=BEFORE_2020)
    assert len(callbacks) == 1  # the plan.published event
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.PUBLISHED
    assert version.based_on.status == PlanVersion.Status.SUPERSEDED
    active = council_2020.meetings.exclude(status=Meeting.Status.CANCELLED)
    cancelled = council_2020.meetings.filter(status=Meeting.Status.CANCELLED)
    assert active.count() == 7 and cancelled.count() == 1
    assert cancelled.get().calendar_sequence == 1
    assert not cancelled.get().allocations.exists()
    # The opening and the first meetings are the same rows as before (stable identity).
    assert active.get(code="Opening").pk == before["Opening"]
    assert active.get(code="PL 1").pk == before["PL 1"]
    # Allocations follow the plan, with planned minutes, and deferred items are gone.
    allocated = set(active.values_list("allocations__item_id", flat=True))
    assert not allocated & {i.pk for i in deferred}
    on_agenda = council_2020.agenda_items.filter(status=AgendaItem.Status.ON_AGENDA)
    assert allocated == set(on_agenda.values_list("pk", flat=True))
    assert all(a.planned_minutes for m in active for a in m.allocations.all())
    # Slugs follow codes and stay unique.
    for meeting in active:
        assert meeting.slug == meeting.code.lower().replace(" ", "-")
    assert AuditEntry.objects.filter(action="vev.planning.plan.published").count() == 1


def test_a_stale_draft_is_refused(council_2020, secretariat_2020):
    version = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    _defer_adm(council_2020, 1)
    with pytest.raises(PlanningError) as caught:
        publishing.publish_version(version, by=secretariat_2020, now=BEFORE_2020)
    assert "no longer on the agenda" in " ".join(caught.value.reasons)


def test_a_draft_computed_before_another_publication_is_refused(council_2020, secretariat_2020):
    first = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    second = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    publishing.publish_version(second, by=secretariat_2020, now=BEFORE_2020)
    first.refresh_from_db()
    assert first.status == PlanVersion.Status.DISCARDED
    with pytest.raises(PlanningError):
        publishing.publish_version(first, by=secretariat_2020, now=BEFORE_2020)


def test_held_meetings_are_frozen(council_2020, secretariat_2020):
    opening = council_2020.meetings.get(code="Opening")
    opening.status = Meeting.Status.ENDED
    opening.save()
    pl1 = council_2020.meetings.get(code="PL 1")
    pl1.status = Meeting.Status.ENDED
    pl1.save()
    council_2020.agenda_items.filter(pinned_meeting=pl1).update(pinned_meeting=None)
    version = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    frozen = version.meetings.filter(frozen=True)
    assert set(frozen.values_list("code", flat=True)) == {"Opening", "PL 1"}
    # The next PL meeting is numbered after the held ones, on a later day.
    new_pl = version.meetings.filter(frozen=False, committee__code="PL").order_by("starts_at")
    assert new_pl.first().code == "PL 2"
    assert all(m.day > frozen.first().day for m in version.meetings.filter(frozen=False))
    publishing.publish_version(version, by=secretariat_2020, now=BEFORE_2020)
    opening.refresh_from_db()
    assert opening.allocations.count() == 4 and opening.status == Meeting.Status.ENDED


def test_only_the_secretariat_publishes_and_approval_is_once(council_2020, secretariat_2020):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    version = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    chair = users.get(email="chair@vev.test")
    with pytest.raises(PlanningError):
        publishing.publish_version(version, by=chair, now=BEFORE_2020)
    with pytest.raises(PlanningError):
        planner.compute_plan(council_2020, by=users.get(email="head.fr@vev.test"))
    publishing.publish_version(version, by=secretariat_2020, now=BEFORE_2020)
    approved = publishing.approve_version(version, by=chair)
    assert approved.approved_in.code == "Opening"
    with pytest.raises(PlanningError) as caught:
        publishing.approve_version(version, by=chair)
    assert "already approved version" in str(caught.value)
