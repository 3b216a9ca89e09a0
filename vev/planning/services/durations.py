"""How long an agenda item is expected to take: the one place defaults are decided.

The per-item estimate (``AgendaItem.estimated_minutes``), when the secretariat set one, always
wins. Otherwise the default depends on the item's kind: packages of group 1 and 2 documents are
noted or approved en bloc and are short; procedural items and elections are short; ordinary
items, which are discussed, take longest.

The documents of an item refine the default of an ordinary item. In the 2020 plan every item
listed on its own carries group 3 documents (discussed, with written contributions), which is
what the ordinary default assumes; an item whose documents on the virtual agenda are all in
groups 1, 2 or 4 and that no Member asked to discuss is noted or approved with the packages and
gets ``UNDISCUSSED_MINUTES``. Documents moved to the next physical session no longer count; an
item without documents keeps the default of its kind. Callers planning many items prefetch
``documents`` so this costs no query per item. Nothing else in vev computes a default duration.

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
#: An ordinary item none of whose documents is discussed (groups 1, 2, 4 only).
UNDISCUSSED_MINUTES = 10
_DISCUSSED_GROUP = 3


def _documents_on_agenda(item: AgendaItem) -> list:
    if not item.pk:
        return []
    return [d for d in item.documents.all() if d.status == "on_agenda"]


def default_minutes(item: AgendaItem) -> int:
    """The default estimate for ``item``: by kind; short if no document is discussed."""
    minutes = DEFAULT_MINUTES.get(item.kind, DEFAULT_MINUTES[AgendaItem.Kind.ITEM])
    if item.kind != AgendaItem.Kind.ITEM:
        return minutes
    documents = _documents_on_agenda(item)
    if documents and not any(
        d.group == _DISCUSSED_GROUP or d.discuss_in_session for d in documents
    ):
        return UNDISCUSSED_MINUTES
    return minutes


def item_minutes(item: AgendaItem) -> int:
    """The duration the planner uses: the item's own estimate if set, else the default."""
    if item.estimated_minutes:
        return item.estimated_minutes
    return default_minutes(item)
