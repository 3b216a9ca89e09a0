import pytest
from datetime import datetime, UTC
from vev.council.services.demo import load_demo
from vev.planning.services import planner

@pytest.mark.django_db
def test_try():
    event = load_demo(shift=False).event
    now = datetime(2020, 6, 1, tzinfo=UTC)
    for keep in (True, False):
        sol, problem, ctx = planner.solve_event(event, keep_published=keep, now=now)
        print(keep, sol.stats, len(problem.days))
        for d, items in sol.days.items():
            print(problem.days[d].date, sol.day_committee[d], sum(i.minutes for i in items), [i.label[:12] for i in items])
