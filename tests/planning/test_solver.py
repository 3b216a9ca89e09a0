"""The planner on the 2020 session (DM-20/1004 Annex 2) and on small made-up agendas."""

from __future__ import annotations

from datetime import date

import pytest

from tests.planning.conftest import BEFORE_2020
from vev.council.models import AgendaItem
from vev.planning.errors import PlanningError
from vev.planning.models import PlanVersion
from vev.planning.services import planner, solver, validation
from vev.planning.services.durations import default_minutes, item_minutes

DAYS_2020 = 7  # 8 meetings on 7 days: opening and PL 1 on 9 June


def test_2020_agenda_is_planned_validly_in_at_most_the_2020_days(council_2020, secretariat_2020):
    version = planner.compute_plan(
        council_2020, by=secretariat_2020, keep_published=False, now=BEFORE_2020
    )
    assert version.status == PlanVersion.Status.DRAFT
    assert validation.problems(version) == []
    assert version.day_count <= DAYS_2020
    meetings = list(version.meetings.order_by("starts_at"))
    assert meetings[0].code == "Opening" and meetings[0].is_opening
    assert meetings[0].day == date(2020, 6, 9)
    assert [s.item.opens_session for s in meetings[0].slots.all()] == [True] * 4
    # Every item on the agenda is planned once; PL and ADM never share a day.
    slots = [s for m in meetings for s in m.slots.all()]
    assert len(slots) == council_2020.agenda_items.count() == 37
    days = {}
    for meeting in meetings:
        days.setdefault(meeting.day, set()).add(meeting.committee.code)
    assert all(len(codes) == 1 for codes in days.values())
    # The ADM report (PL-3.2) comes after the last ADM item.
    adm_last = max(s.planned_meeting.starts_at for s in slots if s.item.committee.code == "ADM")
    report = next(s for s in slots if s.item.code == "PL-3.2")
    assert report.planned_meeting.starts_at > adm_last


def test_the_2020_plan_itself_is_valid_and_keeping_it_moves_almost_nothing(
    council_2020, secretariat_2020
):
    version = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    recorded = version.based_on
    assert recorded.imported and recorded.status == PlanVersion.Status.PUBLISHED
    assert recorded.day_count == DAYS_2020
    assert validation.problems(recorded) == []
    assert validation.problems(version) == []
    assert version.day_count == DAYS_2020
    moved = version.changes.filter(kind="item_moved").count()
    assert moved == version.solver_stats["stages"][1]["value"]
    assert moved <= 2


def test_deferring_items_shortens_the_session(council_2020, secretariat_2020):
    before = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    # The consultation moves six ADM reports to the next physical session (180 minutes).
    deferred = list(
        council_2020.agenda_items.filter(committee__code="ADM").order_by("position")[2:8]
    )
    for item in deferred:
        item.status = AgendaItem.Status.DEFERRED
        item.save()
    after = planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    assert after.day_count < before.day_count
    assert validation.problems(after) == []
    removed = set(after.changes.filter(kind="item_removed").values_list("item_id", flat=True))
    assert removed == {item.pk for item in deferred}
    assert after.changes.filter(kind="meeting_cancelled").count() >= 1


def test_pin_that_contradicts_an_order_constraint_is_explained(council_2020, secretariat_2020):
    report = council_2020.agenda_items.get(code="PL-3.2")
    report.pinned_meeting = council_2020.meetings.get(code="PL 1")
    report.save()
    with pytest.raises(PlanningError) as caught:
        planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    text = " ".join(caught.value.reasons)
    assert "PL-3.2 Report of the Standing Committee" in text
    assert "fixed to PL 1 on Tue 9 Jun 2020" in text
    assert "does not fit in the plan" in text
    assert "must come after ADM" in text  # one of the ADM items it follows
    assert "one committee meets per day" in text
    assert not PlanVersion.objects.filter(status=PlanVersion.Status.DRAFT).exists()


def test_item_longer_than_the_window_is_named(council_2020, secretariat_2020):
    item = council_2020.agenda_items.get(code="ADM 22")
    item.estimated_minutes = 200
    item.save()
    with pytest.raises(PlanningError) as caught:
        planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    assert caught.value.reasons == [
        "ADM 22 ITU accountability framework does not fit: its estimate (200 minutes) is longer "
        "than the daily meeting window (180 minutes). Shorten the estimate or split the item."
    ]


def test_too_much_for_the_days_left_is_explained(council_2020, secretariat_2020):
    council_2020.agenda_items.filter(committee__code="ADM").update(estimated_minutes=60)
    with pytest.raises(PlanningError) as caught:
        planner.compute_plan(council_2020, by=secretariat_2020, now=BEFORE_2020)
    assert any("not enough meeting time" in reason for reason in caught.value.reasons)


def test_estimate_is_authoritative_and_default_depends_on_kind(council_2020):
    package = council_2020.agenda_items.filter(kind=AgendaItem.Kind.PACKAGE_NOTE).first()
    item = council_2020.agenda_items.filter(kind=AgendaItem.Kind.ITEM).first()
    assert default_minutes(package) < default_minutes(item)
    item.estimated_minutes = 55
    assert item_minutes(item) == 55


def test_an_item_whose_documents_are_not_discussed_is_short(event):
    from tests import factories
    from vev.documents.models import Document

    item = event.agenda_items.filter(kind=AgendaItem.Kind.ITEM).first()
    discussed = default_minutes(item)
    report = factories.create_document(event, group=2, item=item, with_file=False)
    assert default_minutes(AgendaItem.objects.get(pk=item.pk)) < discussed
    Document.objects.filter(pk=report.pk).update(discuss_in_session=True)
    assert default_minutes(AgendaItem.objects.get(pk=item.pk)) == discussed
    Document.objects.filter(pk=report.pk).update(discuss_in_session=False, group=3)
    assert default_minutes(AgendaItem.objects.get(pk=item.pk)) == discussed
    Document.objects.filter(pk=report.pk).update(group=1, status="moved")
    assert default_minutes(AgendaItem.objects.get(pk=item.pk)) == discussed


def _item(key, committee="PL", minutes=60, **fields):
    return solver.Item(key=key, label=f"Item {key}", committee=committee, minutes=minutes, **fields)


def _loads(solution) -> list[int]:
    return sorted(sum(i.minutes for i in its) for its in solution.days.values())


def test_solver_uses_fewest_days_and_evens_the_load():
    days = [solver.Day(date(2030, 3, d), 180) for d in (4, 5, 6, 7, 8)]
    minutes = [90, 60, 30, 30, 30, 10, 10]  # 260 minutes of PL: two 3-hour days
    items = [_item(k, minutes=m) for k, m in enumerate(minutes, start=1)]
    solution = solver.solve(solver.Problem(days=days, items=items))
    assert solution.day_count == 2
    assert _loads(solution) == [130, 130]  # 90+30+10 and 60+30+30+10

    # Two days of 180 and 80 minutes are just as valid and as short: only evening out the
    # load (the "spread" stage) picks 130/130.
    lopsided = [
        _item(k, minutes=m, pinned_day=0 if k <= 3 else 1) for k, m in enumerate(minutes, start=1)
    ]
    unbalanced = solver.solve(solver.Problem(days=days, items=lopsided))
    assert unbalanced.day_count == 2 and _loads(unbalanced) == [80, 180]
    spreads = {s["name"]: s["value"] for s in solution.stats["stages"]}
    assert spreads["spread"] == 0
    assert {s["name"]: s["value"] for s in unbalanced.stats["stages"]}["spread"] == 100


def test_solver_keeps_committees_apart_and_order():
    days = [solver.Day(date(2030, 3, d), 180) for d in (4, 5, 6)]
    items = [
        _item(1, "ADM", 30),
        _item(2, "PL", 30, after=(1,)),
        _item(3, "PL", 30, opening=True),
    ]
    solution = solver.solve(solver.Problem(days=days, items=items))
    assert solution.day_committee == {0: "PL", 1: "ADM", 2: "PL"}
    assert [i.key for i in solution.days[0]] == [3]


def test_cycle_is_refused_in_words():
    days = [solver.Day(date(2030, 3, 4), 180)]
    items = [_item(1, after=(2,)), _item(2, after=(1,))]
    with pytest.raises(solver.Infeasible) as caught:
        solver.solve(solver.Problem(days=days, items=items))
    assert "go round in a circle" in caught.value.reasons[0]
