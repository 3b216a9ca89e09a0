"""Assign agenda items to meeting days with OR-Tools CP-SAT.

This module knows nothing of the database: :mod:`vev.planning.services.planner` builds a
:class:`Problem` from the agenda and the published plan, and turns the :class:`Solution` into a
plan version. The rules (see docs/procedures.md, "Time-management plan"):

* every item is taken on exactly one meeting day, within the daily window;
* one committee meets per day (PL and ADM meetings on separate days, DM-20/1004 Annex 2);
* the opening items are taken first, on the first day; an item taken after another is not
  planned on an earlier day (and follows it in the running order when they share a day);
* an item fixed to a meeting stays on that meeting's day;
* the session uses the first N available days with N as small as possible, so removing items
  shortens it.

Objectives, solved one after the other, each stage keeping the optimum of the previous ones:
(1) fewest days; (2) fewest items moved away from the day of the published plan (only when the
published plan is kept stable); (3) the most even daily load (smallest gap between the fullest
and the emptiest day); (4) the agenda order (earlier items on earlier days) as a tie-break.

When no plan exists, :func:`solve` says why in words: first simple checks that name the item
and the rule (longer than the window, fixed to a day it cannot use, a cycle of order
constraints…), then a minimal set of conflicting requirements found with CP-SAT assumptions.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.sat.python import cp_model

from vev.core import plurals
from vev.core.i18n import day_format

#: Seconds CP-SAT may spend on one stage; the 2020 session solves to optimality in well under one.
STAGE_TIME_LIMIT = 10.0
#: Minutes the opening meeting is rounded up to (it ends on a quarter hour; PL 1 follows).
OPENING_ROUNDING = 15


@dataclass(frozen=True)
class Day:
    """A day on which meetings may be held (a candidate, in calendar order)."""

    date: date
    minutes: int  # length of the daily window that day


@dataclass(frozen=True)
class Item:
    key: int
    label: str
    committee: str
    minutes: int
    position: int = 0  # agenda order, for the tie-break
    opening: bool = False
    pinned_day: int | None = None  # index into Problem.days
    pinned_label: str = ""  # the meeting it is fixed to, for explanations
    after: tuple[int, ...] = ()  # keys of items that must be taken before this one
    previous_day: int | None = None  # day index in the published plan (stability)


@dataclass
class Problem:
    days: list[Day]
    items: list[Item]
    keep_published: bool = True
    #: Items already taken (or being taken) in meetings that can no longer change.
    done: dict[int, str] = field(default_factory=dict)  # key -> label


@dataclass
class Solution:
    days: dict[int, list[Item]]  # day index -> items in running order
    day_committee: dict[int, str]
    stats: dict

    @property
    def day_count(self) -> int:
        return len(self.days)


class Infeasible(Exception):
    """No plan satisfies the rules; ``reasons`` says why, in words a secretariat understands."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def opening_padding(opening_minutes: int) -> int:
    if opening_minutes <= 0:
        return 0
    return math.ceil(opening_minutes / OPENING_ROUNDING) * OPENING_ROUNDING - opening_minutes


def _day_label(day: Day) -> str:
    return date_format(day.date, day_format())


# --- checks that name the item and the rule -------------------------------------------------


def precheck(problem: Problem) -> list[str]:
    """Reasons that make any plan impossible, found without the solver."""
    reasons: list[str] = []
    days, items = problem.days, problem.items
    by_key = {item.key: item for item in items}
    if not items:
        return reasons
    if not days:
        return [
            _(
                "There is no meeting day left: every day of the event is over, already held "
                "or not a meeting day. Extend the event or allow more weekdays."
            )
        ]
    opening = [item for item in items if item.opening]
    opening_total = sum(item.minutes for item in opening)
    for item in items:
        if item.minutes > max(day.minutes for day in days):
            reasons.append(
                _(
                    "%(item)s does not fit: its estimate (%(duration)s) is longer than the "
                    "daily meeting window (%(window)s). Shorten the estimate or split the item."
                )
                % {
                    "item": item.label,
                    "duration": plurals.minutes(item.minutes),
                    "window": plurals.minutes(days[0].minutes),
                }
            )
        if item.pinned_day is not None and item.opening and item.pinned_day != 0:
            reasons.append(
                _(
                    "%(item)s is part of the opening plenary, which comes first, but it is "
                    "fixed to %(meeting)s on a later day."
                )
                % {"item": item.label, "meeting": item.pinned_label}
            )
        for before_key in item.after:
            if before_key in problem.done:
                continue
            before = by_key.get(before_key)
            if before is None:
                continue
            if item.opening and not before.opening:
                reasons.append(
                    _(
                        "%(item)s is part of the opening plenary, which comes first, but it "
                        "must follow %(before)s, which is not."
                    )
                    % {"item": item.label, "before": before.label}
                )
            if (
                item.pinned_day is not None
                and before.pinned_day is not None
                and before.pinned_day > item.pinned_day
            ):
                reasons.append(
                    _(
                        "%(item)s is fixed to %(meeting)s, but it must follow %(before)s, "
                        "which is fixed to the later meeting %(other)s."
                    )
                    % {
                        "item": item.label,
                        "meeting": item.pinned_label,
                        "before": before.label,
                        "other": before.pinned_label,
                    }
                )
    for item in items:
        cycle = _cycle_through(item, by_key)
        if cycle:
            names = " → ".join(by_key[key].label for key in cycle)
            message = _(
                "The order constraints go round in a circle (%(cycle)s): none of these items "
                "can come first."
            ) % {"cycle": names}
            if message not in reasons:
                reasons.append(message)
            break
    if opening:
        committees = {item.committee for item in opening}
        if len(committees) > 1:
            reasons.append(
                _(
                    "The opening items belong to different committees (%(list)s); the opening "
                    "is one meeting of one committee."
                )
                % {"list": ", ".join(sorted(committees))}
            )
        window = days[0].minutes
        if opening_total + opening_padding(opening_total) > window:
            reasons.append(
                _(
                    "The opening plenary needs %(duration)s but the first day's window holds "
                    "%(window)s."
                )
                % {
                    "duration": plurals.minutes(opening_total),
                    "window": plurals.minutes(window),
                }
            )
        for item in items:
            if item.opening:
                continue
            if item.pinned_day == 0 and item.committee not in committees:
                reasons.append(
                    _(
                        "%(item)s (%(committee)s) is fixed to the first day, which the "
                        "opening plenary gives to %(opening)s."
                    )
                    % {
                        "item": item.label,
                        "committee": item.committee,
                        "opening": ", ".join(sorted(committees)),
                    }
                )
    # Pinned load per day.
    pinned: dict[int, int] = {}
    for item in items:
        day_index = 0 if item.opening else item.pinned_day
        if day_index is not None:
            pinned[day_index] = pinned.get(day_index, 0) + item.minutes
    for day_index, minutes in sorted(pinned.items()):
        capacity = days[day_index].minutes - (
            opening_padding(opening_total) if day_index == 0 else 0
        )
        if minutes > capacity:
            reasons.append(
                _(
                    "The items fixed to %(day)s need %(duration)s; the daily window holds "
                    "%(window)s."
                )
                % {
                    "day": _day_label(days[day_index]),
                    "duration": plurals.minutes(minutes),
                    "window": plurals.minutes(capacity),
                }
            )
    # Lower bound on days per committee (bin packing: total / window).
    needed = 0
    for committee in sorted({item.committee for item in items}):
        total = sum(item.minutes for item in items if item.committee == committee)
        needed += math.ceil(total / days[0].minutes)
    if needed > len(days):
        reasons.append(
            ngettext(
                "There is not enough meeting time: the items need at least %(needed)s with a "
                "window of %(window)s (one committee a day), but only %(available)s remains "
                "between %(first)s and %(last)s. Defer items, shorten estimates or extend the "
                "event.",
                "There is not enough meeting time: the items need at least %(needed)s with a "
                "window of %(window)s (one committee a day), but only %(available)s remain "
                "between %(first)s and %(last)s. Defer items, shorten estimates or extend the "
                "event.",
                len(days),
            )
            % {
                "needed": plurals.meeting_days(needed),
                "window": plurals.minutes(days[0].minutes),
                "available": plurals.meeting_days(len(days)),
                "first": _day_label(days[0]),
                "last": _day_label(days[-1]),
            }
        )
    return reasons


def _cycle_through(start: Item, by_key: dict[int, Item]) -> list[int]:
    """A cycle of ``after`` links through ``start`` (keys, closed), or []."""
    stack: list[tuple[int, list[int]]] = [(start.key, [start.key])]
    seen: set[int] = set()
    while stack:
        key, path = stack.pop()
        for nxt in by_key[key].after:
            if nxt not in by_key:
                continue
            if nxt == start.key:
                return [*path, start.key]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return []


# --- the CP-SAT model ----------------------------------------------------------------------


class _Model:
    def __init__(self, problem: Problem, *, guarded: bool = False):
        self.problem = problem
        days, items = problem.days, problem.items
        model = cp_model.CpModel()
        self.model = model
        self.committees = sorted({item.committee for item in items})
        n_days = len(days)
        opening_total = sum(item.minutes for item in items if item.opening)
        padding = opening_padding(opening_total)
        self.guards: dict[cp_model.IntVar, tuple] = {}
        by_key = {item.key: item for item in items}

        def guard(requirement: tuple) -> cp_model.IntVar:
            literal = model.new_bool_var(str(requirement))
            self.guards[literal] = requirement
            return literal

        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        for item in items:
            for d in range(n_days):
                self.x[item.key, d] = model.new_bool_var(f"x_{item.key}_{d}")
        self.y = {
            (d, c): model.new_bool_var(f"y_{d}_{c}") for d in range(n_days) for c in self.committees
        }
        self.used = [model.new_bool_var(f"used_{d}") for d in range(n_days)]
        self.load = [model.new_int_var(0, days[d].minutes, f"load_{d}") for d in range(n_days)]
        self.day_of = {
            item.key: model.new_int_var(0, n_days - 1, f"day_{item.key}") for item in items
        }
        for d in range(n_days):
            model.add(sum(self.y[d, c] for c in self.committees) == self.used[d])
            if d + 1 < n_days:  # the session is the first N days, without gaps
                model.add(self.used[d] >= self.used[d + 1])
            model.add(sum(self.x[item.key, d] for item in items) >= 1).only_enforce_if(self.used[d])
            capacity = days[d].minutes - (padding if d == 0 else 0)
            model.add(self.load[d] == sum(item.minutes * self.x[item.key, d] for item in items))
            model.add(self.load[d] <= capacity)
        for item in items:
            placed = sum(self.x[item.key, d] for d in range(n_days))
            model.add(self.day_of[item.key] == sum(d * self.x[item.key, d] for d in range(n_days)))
            if guarded:
                must = guard(("place", item.key))
                model.add(placed == 1).only_enforce_if(must)
                model.add(placed <= 1)
            else:
                model.add(placed == 1)
            for d in range(n_days):
                model.add_implication(self.x[item.key, d], self.y[d, item.committee])
            if item.opening:
                literal = guard(("opening", item.key)) if guarded else None
                constraint = model.add(self.x[item.key, 0] == 1)
                if literal is not None:
                    constraint.only_enforce_if(literal)
            if item.pinned_day is not None:
                literal = guard(("pin", item.key)) if guarded else None
                constraint = model.add(self.x[item.key, item.pinned_day] == 1)
                if literal is not None:
                    constraint.only_enforce_if(literal)
            for before_key in item.after:
                if before_key not in by_key:
                    continue
                literal = guard(("after", item.key, before_key)) if guarded else None
                constraint = model.add(self.day_of[before_key] <= self.day_of[item.key])
                if literal is not None:
                    constraint.only_enforce_if(literal)
        if any(item.opening for item in items):
            # Nothing but the opening committee meets on the first day.
            opening_committee = next(item.committee for item in items if item.opening)
            constraint = model.add(self.y[0, opening_committee] == 1)
            if guarded:
                constraint.only_enforce_if(guard(("opening_day", opening_committee)))

    # Stage objectives -----------------------------------------------------------------------
    def days_used(self):
        return sum(self.used)

    def moves(self):
        terms = [
            1 - self.x[item.key, item.previous_day]
            for item in self.problem.items
            if item.previous_day is not None
        ]
        return sum(terms) if terms else 0

    def spread(self):
        model = self.model
        top = max(day.minutes for day in self.problem.days)
        high = model.new_int_var(0, top, "high")
        low = model.new_int_var(0, top, "low")
        for d, load in enumerate(self.load):
            model.add(high >= load)
            model.add(low <= load + top * (1 - self.used[d]))
        return high - low

    def agenda_order(self):
        ranked = sorted(self.problem.items, key=lambda item: (item.position, item.key))
        count = len(ranked)
        return sum((count - rank) * self.day_of[item.key] for rank, item in enumerate(ranked))


def _solver(time_limit: float = STAGE_TIME_LIMIT) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1  # deterministic; the models are small
    solver.parameters.random_seed = 7
    return solver


def solve(problem: Problem) -> Solution:
    """The best plan for ``problem``, or :class:`Infeasible` with the reasons."""
    reasons = precheck(problem)
    if reasons:
        raise Infeasible(reasons)
    if not problem.items:
        return Solution(days={}, day_committee={}, stats={"stages": []})
    started = time.monotonic()
    built = _Model(problem)
    model = built.model
    stats: dict = {"stages": []}
    stages = [("days", built.days_used())]
    if problem.keep_published and any(i.previous_day is not None for i in problem.items):
        stages.append(("moves", built.moves()))
    stages.append(("spread", built.spread()))
    stages.append(("agenda_order", built.agenda_order()))
    solver = _solver()
    for name, expression in stages:
        model.minimize(expression)
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            raise Infeasible(explain(problem))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise Infeasible(
                [_("The planner found no plan within its time limit. Simplify the constraints.")]
            )
        value = round(solver.objective_value)
        stats["stages"].append(
            {"name": name, "value": value, "optimal": status == cp_model.OPTIMAL}
        )
        model.add(expression <= value)
        # Keep the current assignment as the starting point of the next stage.
        model.clear_hints()
        for variable in built.x.values():
            model.add_hint(variable, solver.value(variable))
    stats["seconds"] = round(time.monotonic() - started, 3)

    by_key = {item.key: item for item in problem.items}
    days: dict[int, list[Item]] = {}
    committees: dict[int, str] = {}
    for d in range(len(problem.days)):
        chosen = [
            by_key[key] for (key, day), var in built.x.items() if day == d and solver.value(var)
        ]
        if chosen:
            days[d] = running_order(chosen)
            committees[d] = chosen[0].committee
    return Solution(days=days, day_committee=committees, stats=stats)


def running_order(items: list[Item], hint: dict[int, int] | None = None) -> list[Item]:
    """Opening items first, then ``hint`` (a published running order: item key -> rank), then
    agenda order; an item never comes before one it must follow."""
    hint = hint or {}
    keys = {item.key for item in items}
    unranked = len(hint) + 1
    remaining = sorted(
        items,
        key=lambda item: (not item.opening, hint.get(item.key, unranked), item.position, item.key),
    )
    ordered: list[Item] = []
    placed: set[int] = set()
    while remaining:
        for index, item in enumerate(remaining):
            if all(before not in keys or before in placed for before in item.after):
                ordered.append(item)
                placed.add(item.key)
                del remaining[index]
                break
        else:  # a cycle (refused by precheck); keep the sorted order
            ordered.extend(remaining)
            break
    return ordered


# --- explaining infeasibility ----------------------------------------------------------------


def explain(problem: Problem) -> list[str]:
    """A minimal set of requirements that cannot hold together, in words."""
    built = _Model(problem, guarded=True)
    model = built.model
    literals = list(built.guards)
    solver = _solver(time_limit=5.0)
    model.add_assumptions(literals)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return [_("The planner could not prove why no plan exists; simplify the constraints.")]
    core_indices = set(solver.sufficient_assumptions_for_infeasibility())
    core = [literal for literal in literals if literal.index in core_indices]
    # Deletion-based minimisation: drop each requirement that is not needed for the conflict.
    for literal in list(core):
        trial = [other for other in core if other is not literal]
        model.clear_assumptions()
        model.add_assumptions(trial)
        if _solver(time_limit=2.0).solve(model) == cp_model.INFEASIBLE:
            core = trial
    return _describe(problem, [built.guards[literal] for literal in core])


def _describe(problem: Problem, requirements: list[tuple]) -> list[str]:
    by_key = {item.key: item for item in problem.items}
    window = problem.days[0].minutes
    lines: list[str] = []
    placed = [by_key[req[1]] for req in requirements if req[0] == "place"]
    other = [req for req in requirements if req[0] not in ("place", "opening_day")]
    focus = next((by_key[req[1]] for req in other), placed[-1] if placed else None)
    if focus is not None:
        lines.append(
            _("%(item)s does not fit in the plan, because these requirements conflict:")
            % {"item": focus.label}
        )
    for req in other:
        item = by_key[req[1]]
        if req[0] == "pin":
            lines.append(
                _("%(item)s is fixed to %(meeting)s.")
                % {"item": item.label, "meeting": item.pinned_label}
            )
        elif req[0] == "opening":
            lines.append(
                _("%(item)s is part of the opening plenary, taken on the first day.")
                % {"item": item.label}
            )
        elif req[0] == "after":
            lines.append(
                _("%(item)s must come after %(before)s.")
                % {"item": item.label, "before": by_key[req[2]].label}
            )
    for req in requirements:
        if req[0] == "opening_day":
            lines.append(
                _("The first day belongs to the opening plenary: only %(committee)s meets then.")
                % {"committee": req[1]}
            )
    if placed:
        total = sum(item.minutes for item in placed)
        names = ", ".join(item.label for item in placed[:12])
        if len(placed) > 12:
            more = len(placed) - 12
            names = ngettext(
                "%(items)s and %(count)s more", "%(items)s and %(count)s more", more
            ) % {"items": names, "count": more}
        lines.append(
            _("These items must be planned (%(duration)s in all): %(items)s.")
            % {"duration": plurals.minutes(total), "items": names}
        )
    lines.append(
        ngettext(
            "%(days)s remains, with a window of %(window)s; one committee meets per day.",
            "%(days)s remain, each with a window of %(window)s; one committee meets per day.",
            len(problem.days),
        )
        % {
            "days": plurals.meeting_days(len(problem.days)),
            "window": plurals.minutes(window),
        }
    )
    return lines
