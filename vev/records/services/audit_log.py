"""The audit log of one event, as the secretariat reads, checks and exports it.

Entries come from ``core.AuditEntry`` (written by ``vev.core.audit.log_action``). The hash chain
runs through the whole log, across events, so it is always verified whole
(:func:`chain_status`) and the problems are shown against this event's entries. Exports carry
every field, hashes included, in the canonical form of docs/subsystems/audit-log.md, so an
auditor can recompute each entry's hash offline.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vev.core.audit import ChainProblem, canonical_payload, verify_chain
from vev.core.models import AuditChainHead, AuditEntry
from vev.council.models import Event
from vev.council.services.participants import Representation, representations

from .audit_labels import PREFIX_LABELS, action_label


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # a dotted prefix: "vev.documents." or "vev.decisions.reply"
    actor: str = ""  # a user id, or "none" for acts of the system (no actor)
    date_from: date | None = None  # in the event's time zone, inclusive
    date_to: date | None = None
    text: str = ""  # searched in the data, the actor's name, the action and the target id

    @property
    def active(self) -> bool:
        return bool(self.action or self.actor or self.date_from or self.date_to or self.text)


def entries(event: Event, query: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """The event's entries matching ``query``, newest first."""
    query = query or AuditFilter()
    items = AuditEntry.objects.filter(event_id=event.pk)
    if query.action:
        items = items.filter(action__startswith=query.action.strip())
    if query.actor == "none":
        items = items.filter(actor_id__isnull=True, actor_label="")
    elif query.actor:
        items = items.filter(actor_id=int(query.actor))
    if query.date_from:
        items = items.filter(at__gte=datetime.combine(query.date_from, time.min, tzinfo=event.tz))
    if query.date_to:
        end = datetime.combine(query.date_to + timedelta(days=1), time.min, tzinfo=event.tz)
        items = items.filter(at__lt=end)
    if text := query.text.strip():
        # JSON may be stored with non-ASCII characters escaped (SQLite): search both forms.
        escaped = json.dumps(text)[1:-1]
        condition = (
            Q(data__icontains=text)
            | Q(actor_label__icontains=text)
            | Q(action__icontains=text)
            | Q(target_id=text)
        )
        if escaped != text:
            condition |= Q(data__icontains=escaped)
        items = items.filter(condition)
    return items.order_by("-position")


def action_prefixes(event: Event) -> list[tuple[str, str]]:
    """(prefix, label) for the filter: families of acts that occur in the event, then acts."""
    actions = set(AuditEntry.objects.filter(event_id=event.pk).values_list("action", flat=True))
    prefixes: set[str] = set()
    for action in actions:
        parts = action.split(".")
        for cut in range(2, len(parts)):
            prefixes.add(".".join(parts[:cut]) + ".")
    options = [
        (prefix, str(PREFIX_LABELS.get(prefix[:-1], prefix)))
        for prefix in sorted(prefixes)
        if prefix[:-1] in PREFIX_LABELS
    ]
    options += [(action, action_label(action)) for action in sorted(actions)]
    return options


def actors(event: Event) -> list[tuple[int, str]]:
    """(user id, name as recorded) of everyone who acted in the event."""
    rows = (
        AuditEntry.objects.filter(event_id=event.pk, actor_id__isnull=False)
        .order_by("actor_id", "-position")
        .values_list("actor_id", "actor_label")
    )
    names: dict[int, str] = {}
    for actor_id, label in rows:
        names.setdefault(actor_id, label)
    return sorted(names.items(), key=lambda item: item[1].lower())


# --- the chain ----------------------------------------------------------------------------


def problem_text(problem: ChainProblem) -> str:
    """The problem in words, in the active language."""
    texts = {
        "position": _(
            "an entry is missing before it or the order was changed (it should be #%(n)s)"
        ),
        "link": _(
            "its link to the previous entry is broken (an entry before it was changed, "
            "removed or inserted)"
        ),
        "hash": _("its content was changed after it was written (it no longer matches its hash)"),
        "truncated": _("entries are missing at the end of the log (the log had %(n)s entries)"),
    }
    if problem.kind == "position":
        return texts["position"] % {"n": problem.expected}
    if problem.kind == "truncated":
        return texts["truncated"] % {"n": problem.position}
    return str(texts.get(problem.kind, problem.reason))


@dataclass
class ChainStatus:
    problems: list[ChainProblem]
    total: int  # entries in the whole log
    expected: int  # entries the chain head counted
    last_hash: str
    by_position: dict[int, list[str]] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.problems

    def texts(self) -> list[tuple[int, str]]:
        return [(p.position, problem_text(p)) for p in self.problems]


def chain_status() -> ChainStatus:
    """Verify the whole chain (every event): the answer ``vev audit-verify`` gives."""
    problems = verify_chain()
    head = AuditChainHead.objects.filter(pk=1).first()
    by_position: dict[int, list[str]] = defaultdict(list)
    for problem in problems:
        by_position[problem.position].append(problem_text(problem))
    return ChainStatus(
        problems=problems,
        total=AuditEntry.objects.count(),
        expected=head.count if head else 0,
        last_hash=head.last_hash if head else "",
        by_position=dict(by_position),
    )


# --- rows for the page --------------------------------------------------------------------


@dataclass
class Row:
    entry: AuditEntry
    label: str
    actor: Representation | None
    target_label: str
    target_url: str
    data: list[tuple[str, str]]
    problems: list[str]


def _value_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is None:
        return "–"
    return str(value)


def _targets(items: Iterable[AuditEntry]) -> dict[tuple[str, str], tuple[str, str]]:
    """(target type, id) → (label, link) for the objects still there; fetched per model."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in items:
        if entry.target_type and entry.target_id:
            wanted[entry.target_type].add(entry.target_id)
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        try:
            objects = model._default_manager.filter(pk__in=list(ids))
            for obj in objects:
                url = ""
                if hasattr(obj, "get_absolute_url"):
                    try:
                        url = obj.get_absolute_url()
                    except Exception:  # a link is a convenience, never an error
                        url = ""
                found[(label, str(obj.pk))] = (str(obj), url)
        except (ValueError, TypeError):  # ids that do not fit the model's key
            continue
    return found


def rows(event: Event, page: Iterable[AuditEntry], status: ChainStatus) -> list[Row]:
    page = list(page)
    people = representations(event)
    targets = _targets(page)
    result = []
    for entry in page:
        actor = people.get(entry.actor_id) if entry.actor_id else None
        target_label, target_url = targets.get((entry.target_type, entry.target_id), ("", ""))
        if entry.target_type and not target_label:
            target_label = _("%(type)s #%(id)s (no longer exists)") % {
                "type": entry.target_type,
                "id": entry.target_id,
            }
        result.append(
            Row(
                entry=entry,
                label=action_label(entry.action),
                actor=actor,
                target_label=target_label,
                target_url=target_url,
                data=[(key, _value_text(value)) for key, value in sorted(entry.data.items())]
                if isinstance(entry.data, dict)
                else [("", _value_text(entry.data))],
                problems=status.by_position.get(entry.position, []),
            )
        )
    return result


# --- exports ------------------------------------------------------------------------------

CSV_FIELDS = [
    "position",
    "at",
    "at_event_zone",
    "action",
    "action_label",
    "actor",
    "actor_label",
    "actor_entity",
    "event",
    "target_type",
    "target_id",
    "data",
    "session",
    "ip",
    "prev",
    "hash",
]


def export_lines(event: Event, items: QuerySet[AuditEntry]) -> Iterator[str]:
    """JSON Lines: one entry per line, the canonical fields plus ``hash``, oldest first."""
    for entry in items.order_by("position").iterator(chunk_size=1000):
        payload = canonical_payload(entry)
        payload["hash"] = entry.entry_hash
        yield json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str) + "\n"


def export_csv_rows(event: Event, items: QuerySet[AuditEntry]) -> Iterator[str]:
    """CSV (UTF-8 with BOM): the canonical fields, hashes included, plus readable columns."""
    people = representations(event)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(CSV_FIELDS)
    yield "\ufeff" + flush()
    tz = event.tz
    for entry in items.order_by("position").iterator(chunk_size=1000):
        payload = canonical_payload(entry)
        actor = people.get(entry.actor_id) if entry.actor_id else None
        writer.writerow(
            [
                payload["position"],
                payload["at"],
                entry.at.astimezone(tz).isoformat(),
                payload["action"],
                action_label(entry.action),
                payload["actor"] if payload["actor"] is not None else "",
                payload["actor_label"],
                actor.entity.display_name if actor and actor.entity else "",
                payload["event"] if payload["event"] is not None else "",
                payload["target_type"],
                payload["target_id"],
                json.dumps(payload["data"], sort_keys=True, separators=(",", ":"), default=str),
                payload["session"],
                payload["ip"] or "",
                payload["prev"],
                entry.entry_hash,
            ]
        )
        yield flush()
