"""Append to and verify the hash-chained audit log.

Every procedural act (registration decided, role assigned, conclusion called, objection raised…)
goes through :func:`log_action` inside the transaction that performs it, so an act and its audit
entry commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


def canonical_payload(entry: AuditEntry) -> dict[str, Any]:
    """The fields an entry's hash covers, under the names of the canonical form.

    docs/subsystems/audit-log.md (“Canonical form”) describes it for auditors who re-verify an
    export offline; the JSON Lines export of ``vev.records`` writes exactly this plus ``hash``.
    """
    return {
        "position": entry.position,
        "at": entry.at.isoformat(),
        "action": entry.action,
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "event": entry.event_id,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": entry.data,
        "session": entry.session_key_hash,
        "ip": entry.ip_address,
        "prev": entry.prev_hash,
    }


def canonical_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def _canonical(entry: AuditEntry) -> bytes:
    return canonical_bytes(canonical_payload(entry))


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _request_origin(request: HttpRequest | None) -> tuple[str, str | None]:
    if request is None:
        return "", None
    key = getattr(getattr(request, "session", None), "session_key", None) or ""
    key_hash = hashlib.sha256(key.encode()).hexdigest() if key else ""
    return key_hash, request.META.get("REMOTE_ADDR")


def log_action(
    action: str,
    *,
    actor: Any = None,
    event: Any = None,
    target: Model | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    session_key: str | None = None,
) -> AuditEntry:
    """Append one entry; call inside the transaction of the act it records."""
    session_hash, ip = _request_origin(request)
    if session_key and not session_hash:
        session_hash = hashlib.sha256(session_key.encode()).hexdigest()
    label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = str(getattr(actor, "display_name", "") or actor)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            position=head.count + 1,
            at=timezone.now(),
            action=action,
            actor_id=actor.pk if label else None,
            actor_label=label,
            event_id=getattr(event, "pk", event),
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=json.loads(json.dumps(data or {}, default=str)),
            session_key_hash=session_hash,
            ip_address=ip,
            prev_hash=head.last_hash or GENESIS,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save()
        head.count = entry.position
        head.last_hash = entry.entry_hash
        head.save(update_fields=["count", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    position: int
    reason: str
    #: ``position`` (an entry is missing before it, or out of order), ``link`` (its link to the
    #: previous entry is broken), ``hash`` (its content was changed), ``truncated`` (entries
    #: are missing at the end; ``position`` is the count the chain head expects).
    kind: str = ""
    #: For ``position``: the position the entry should have had.
    expected: int | None = None


def verify_chain(entries: Iterable[AuditEntry] | None = None) -> list[ChainProblem]:
    """Recompute every hash and link; an empty list means the log is intact."""
    problems: list[ChainProblem] = []
    previous = GENESIS
    expected_position = 1
    rows = entries if entries is not None else AuditEntry.objects.order_by("position").iterator()
    for entry in rows:
        if entry.position != expected_position:
            problems.append(
                ChainProblem(
                    entry.position,
                    f"expected entry #{expected_position}",
                    "position",
                    expected_position,
                )
            )
        if entry.prev_hash != previous:
            problems.append(
                ChainProblem(entry.position, "link to the previous entry is broken", "link")
            )
        if compute_hash(entry) != entry.entry_hash:
            problems.append(ChainProblem(entry.position, "content does not match its hash", "hash"))
        previous = entry.entry_hash
        expected_position = entry.position + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.count != expected_position - 1:
        problems.append(
            ChainProblem(head.count, "entries are missing at the end of the log", "truncated")
        )
    return problems
