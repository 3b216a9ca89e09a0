"""How long an agenda item is expected to take: the one place defaults are decided.

The per-item estimate (``AgendaItem.estimated_minutes``), when the secretariat set one, always
wins. Otherwise the default depends on the item's kind: packages of group 1 and 2 documents are
noted or approved en bloc and are short; procedural items and elections are short; ordinary
items, which are discussed, take longest.

When the documents app lands (issue 3: ``Document.agenda_item`` and ``Document.group``, 1-4),
this function is where the document group refines the default: an item whose documents are in
group 3 (discussed, with written contributions) gets ``GROUP_3_MINUTES``; one with only group 1
or 2 documents, the package default. Nothing else in vev computes a default duration.

The defaults are calibrated so that the 2020 session (DM-20/1004 Annex 2: 37 items) fits in
the 7 meeting days of 2020 with 3-hour windows: see ``tests/planning/test_solver.py``.
"""

from __future__ import annotations

from vev.council.models import AgendaItem

DEFAULT_MINUTES: dict[str, int] = {
    AgendaItem.Kind.PROCEDURAL: 5,
    AgendaItem.Kind.ELECTION: 15,
    AgendaItem.Kind.PACKAGE_NOTE: 10,
    AgendaItem.Kind.PACKAGE_APPROVE: 15,
    AgendaItem.Kind.ITEM: 30,
}
#: For items whose documents are in group 3 (discussion), once documents carry their group.
GROUP_3_MINUTES = 45


def default_minutes(item: AgendaItem) -> int:
    """The default estimate for ``item`` (its kind; later refined by its documents' group)."""
    return DEFAULT_MINUTES.get(item.kind, DEFAULT_MINUTES[AgendaItem.Kind.ITEM])


def item_minutes(item: AgendaItem) -> int:
    """The duration the planner uses: the item's own estimate if set, else the default."""
    if item.estimated_minutes:
        return item.estimated_minutes
    return default_minutes(item)
