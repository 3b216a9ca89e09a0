"""Who is where in a space, and the conversation bubbles: ephemeral state, never a table.

The state of a space (participants with their position, persona and channel; bubbles) is a
JSON document in a :class:`PresenceStore`: process memory with the in-process channel layer,
Redis with ``REDIS_URL`` (so that every server process shares it). Each change runs under the
space's lock: read, apply one of the pure rules below, write. Entries not refreshed for
``STALE_SECONDS`` (a server process died) are dropped. Positions are never written anywhere
else, and nothing is kept once a participant leaves.

**Proximity rule** (docs/subsystems/venue.md):

* distances are in map units; ``r`` is the space's conversation distance;
* only people who see the mover and whom the mover sees count: someone the mover may not
  see, or who may not see the mover (hidden, delegation only, blocked either way), is not
  there as far as the rule goes: no conversation, no refusal, nothing that would tell the
  mover that someone is standing there (and newcomers appear as if they were not there);
* a participant who is not in a bubble and comes within ``r`` of others joins the **nearest**
  one they may approach: the nearest person's bubble, or a new bubble with that person;
* the approach is refused, with a message to the mover, when the nearest bubble is **locked**
  or **full** (the space's capacity, default 6), holds someone the mover may not talk to
  (without saying who), when the other person is in do-not-disturb ("does not wish to be
  disturbed"), or when the mover is in do-not-disturb; a mover whom nobody near may see
  (hidden, or visible to their delegation only) is told so about their own setting;
* a member leaves a bubble when farther than ``1.5 r`` from every other member, or on
  request; a bubble left with one member closes. Someone who left a bubble on request is not
  drawn back into it until they have moved out of its range.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from . import privacy
from .privacy import Persona

STALE_SECONDS = 90
LEAVE_FACTOR = 1.5
STATE_TTL_SECONDS = 24 * 3600


# --- stores -----------------------------------------------------------------------------------


class MemoryStore:
    """Process memory: enough with the in-process channel layer (one server process)."""

    def __init__(self):
        self._data: dict[str, str] = {}
        self._lock = threading.RLock()

    @contextmanager
    def transact(self, key: str) -> Iterator[dict]:
        with self._lock:
            state = json.loads(self._data.get(key, "{}"))
            yield state
            self._data[key] = json.dumps(state)

    def read(self, key: str) -> dict:
        with self._lock:
            return json.loads(self._data.get(key, "{}"))

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class RedisStore:
    """Redis: one JSON document per space and a lock, shared by every server process."""

    def __init__(self, url: str, prefix: str):
        import redis

        self._client = redis.Redis.from_url(url)
        self._prefix = f"{prefix}:venue:"

    @contextmanager
    def transact(self, key: str) -> Iterator[dict]:
        name = self._prefix + key
        with self._client.lock(name + ":lock", timeout=5, blocking_timeout=5):
            raw = self._client.get(name)
            state = json.loads(raw) if raw else {}
            yield state
            self._client.set(name, json.dumps(state), ex=STATE_TTL_SECONDS)

    def read(self, key: str) -> dict:
        raw = self._client.get(self._prefix + key)
        return json.loads(raw) if raw else {}

    def clear(self) -> None:
        for name in self._client.scan_iter(self._prefix + "*"):
            self._client.delete(name)


_store = None
_store_lock = threading.Lock()


def store():
    global _store  # one store per process, created on first use
    with _store_lock:
        if _store is None:
            if settings.REDIS_URL:
                import os

                _store = RedisStore(settings.REDIS_URL, os.environ.get("VEV_CHANNEL_PREFIX", "vev"))
            else:
                _store = MemoryStore()
        return _store


def space_key(space_id: int) -> str:
    return f"space:{space_id}"


def call_key(side_meeting_id: int) -> str:
    return f"call:{side_meeting_id}"


# --- the rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpaceRules:
    width: int
    height: int
    radius: float
    capacity: int

    @classmethod
    def of(cls, space) -> SpaceRules:
        return cls(space.width, space.height, float(space.proximity_radius), space.bubble_capacity)


@dataclass
class Outcome:
    """What a change did: events for the space (filtered per viewer), notices for one user."""

    events: list[dict] = field(default_factory=list)
    notices: list[tuple[int, dict]] = field(default_factory=list)
    arrived: bool = False
    replaced_channel: str | None = None
    present: int = 0


def _participants(state: dict) -> dict:
    return state.setdefault("participants", {})


def _bubbles(state: dict) -> dict:
    return state.setdefault("bubbles", {})


def _persona(entry: dict) -> Persona:
    return Persona.from_dict(entry["persona"])


def _public(entry: dict) -> dict:
    persona = entry["persona"]
    return {
        "user_id": persona["user_id"],
        "name": persona["name"],
        "entity": persona["entity"],
        "x": entry["x"],
        "y": entry["y"],
        "bubble": entry.get("bubble"),
        "dnd": persona["dnd"],
    }


def _audience(entry: dict) -> dict:
    return {"subject": entry["persona"]}


def _bubble_event(state: dict, bubble_id: str, rules: SpaceRules) -> dict:
    bubble = _bubbles(state)[bubble_id]
    people = _participants(state)
    return {
        "type": "bubble.changed",
        "bubble": {
            "id": bubble_id,
            "members": list(bubble["members"]),
            "locked": bubble["locked"],
            "capacity": rules.capacity,
        },
        "_members": [people[str(m)]["persona"] for m in bubble["members"] if str(m) in people],
    }


def _distance(a: dict, b: dict) -> float:
    return math.hypot(a["x"] - b["x"], a["y"] - b["y"])


def prune(state: dict, now: float, rules: SpaceRules) -> Outcome:
    outcome = Outcome()
    for key, entry in list(_participants(state).items()):
        if entry["seen"] < now - STALE_SECONDS:
            _merge(outcome, leave(state, int(key), rules))
    return outcome


def fresh(state: dict, now: float) -> dict:
    """``state`` without the participants not heard of for ``STALE_SECONDS`` (for pages that
    only read it: the next change in the space drops them for good and tells everyone)."""
    people = {
        key: entry
        for key, entry in _participants(state).items()
        if entry["seen"] >= now - STALE_SECONDS
    }
    bubbles = {}
    for bubble_id, bubble in _bubbles(state).items():
        members = [m for m in bubble["members"] if str(m) in people]
        if len(members) >= 2:
            bubbles[bubble_id] = dict(bubble, members=members)
    shown = {
        key: dict(entry, bubble=None) if entry.get("bubble") not in bubbles else entry
        for key, entry in people.items()
    }
    return {**state, "participants": shown, "bubbles": bubbles}


def read_space(space_id: int, now: float | None = None) -> dict:
    """The state of a space as a page shows it: stale participants left out."""
    return fresh(store().read(space_key(space_id)), time.time() if now is None else now)


def _merge(into: Outcome, other: Outcome) -> None:
    into.events.extend(other.events)
    into.notices.extend(other.notices)


def count_present(state: dict) -> int:
    """People present who may be counted (hidden participants are not)."""
    return sum(
        1
        for entry in _participants(state).values()
        if entry["persona"]["visibility"] != privacy.Visibility.HIDDEN
    )


def enter(
    state: dict,
    persona: Persona,
    blocked: set[int],
    channel: str,
    x: float,
    y: float,
    rules: SpaceRules,
    now: float,
) -> Outcome:
    outcome = prune(state, now, rules)
    people = _participants(state)
    key = str(persona.user_id)
    existing = people.get(key)
    x, y = _clamp(x, y, rules)
    if existing is not None:
        if existing["channel"] != channel:
            outcome.replaced_channel = existing["channel"]
        existing.update(
            channel=channel, seen=now, persona=persona.to_dict(), blocked=sorted(blocked)
        )
    else:
        people[key] = {
            "persona": persona.to_dict(),
            "blocked": sorted(blocked),
            "channel": channel,
            "x": x,
            "y": y,
            "bubble": None,
            "declined": None,
            "refused": None,
            "seen": now,
        }
        outcome.arrived = True
        outcome.events.append(
            {
                "type": "presence.joined",
                "participant": _public(people[key]),
                "_audience": _audience(people[key]),
            }
        )
    outcome.present = count_present(state)
    return outcome


def _clamp(x: float, y: float, rules: SpaceRules) -> tuple[float, float]:
    return (
        round(min(max(float(x), 0.0), float(rules.width)), 1),
        round(min(max(float(y), 0.0), float(rules.height)), 1),
    )


def _remove_from_bubble(state: dict, user_id: int, rules: SpaceRules) -> Outcome:
    outcome = Outcome()
    people = _participants(state)
    entry = people.get(str(user_id))
    if entry is None or not entry.get("bubble"):
        return outcome
    bubble_id = entry["bubble"]
    entry["bubble"] = None
    bubble = _bubbles(state).get(bubble_id)
    if bubble is None:
        return outcome
    bubble["members"] = [m for m in bubble["members"] if m != user_id]
    outcome.notices.append((user_id, {"type": "bubble.left", "bubble": bubble_id}))
    if len(bubble["members"]) < 2:
        for member in bubble["members"]:
            if str(member) in people:
                people[str(member)]["bubble"] = None
        del _bubbles(state)[bubble_id]
        outcome.events.append({"type": "bubble.closed", "bubble": bubble_id})
    else:
        outcome.events.append(_bubble_event(state, bubble_id, rules))
    return outcome


def leave(state: dict, user_id: int, rules: SpaceRules) -> Outcome:
    outcome = _remove_from_bubble(state, user_id, rules)
    outcome.notices.clear()
    entry = _participants(state).pop(str(user_id), None)
    if entry is not None:
        outcome.events.append(
            {"type": "presence.left", "user_id": user_id, "_audience": _audience(entry)}
        )
    outcome.present = count_present(state)
    return outcome


def _refusal(mover: dict, other: dict) -> str | None:
    return privacy.approach_refusal(_persona(mover), _persona(other), set(mover["blocked"])) or (
        privacy.approach_refusal(_persona(other), _persona(mover), set(other["blocked"]))
        and _("You cannot join this conversation.")
    )


def _sees(viewer: dict, subject: dict) -> bool:
    return privacy.can_see(_persona(viewer), _persona(subject), set(viewer["blocked"]))


def _own_setting_refusal(me: dict) -> str:
    """Why nobody near may see the mover: their own visibility (never about anybody else)."""
    if me["persona"]["visibility"] == privacy.Visibility.HIDDEN:
        return _("You are hidden: make yourself visible to talk to people.")
    return _("Only your delegation sees you: make yourself visible to everybody to talk to others.")


def move(state: dict, user_id: int, x: float, y: float, rules: SpaceRules, now: float) -> Outcome:
    outcome = prune(state, now, rules)
    people = _participants(state)
    me = people.get(str(user_id))
    if me is None:
        return outcome
    me["x"], me["y"] = _clamp(x, y, rules)
    me["seen"] = now
    outcome.events.append(
        {
            "type": "presence.moved",
            "user_id": user_id,
            "x": me["x"],
            "y": me["y"],
            "_audience": _audience(me),
        }
    )
    bubbles = _bubbles(state)
    leave_radius = rules.radius * LEAVE_FACTOR
    if me.get("bubble"):
        bubble = bubbles.get(me["bubble"])
        others = [
            people[str(m)]
            for m in (bubble or {}).get("members", [])
            if m != user_id and str(m) in people
        ]
        if others and min(_distance(me, o) for o in others) <= leave_radius:
            return outcome
        _merge(outcome, _remove_from_bubble(state, user_id, rules))
    declined = me.get("declined")
    if declined:
        bubble = bubbles.get(declined)
        members = [people[str(m)] for m in (bubble or {}).get("members", []) if str(m) in people]
        if not members or min(_distance(me, o) for o in members) > leave_radius:
            me["declined"] = None
    # Only people the mover sees and who see the mover count: anybody else is not there as far
    # as the rule goes (no conversation, no refusal that would betray them).
    in_range = sorted(
        (_distance(me, other), key)
        for key, other in people.items()
        if key != str(user_id) and _distance(me, other) <= rules.radius and _sees(me, other)
    )
    near = [(d, key) for d, key in in_range if _sees(people[key], me)]
    if not near:
        if in_range:  # people the mover sees, who may not see the mover: their own setting
            _distance_to, other_key = in_range[0]
            target = people[other_key].get("bubble") or other_key
            if me.get("refused") != target:
                me["refused"] = target
                outcome.notices.append(
                    (user_id, {"type": "bubble.refused", "message": _own_setting_refusal(me)})
                )
        else:
            me["refused"] = None
        return outcome
    _distance_to, other_key = near[0]
    other = people[other_key]
    refusal = _refusal(me, other)
    bubble_id = other.get("bubble")
    if refusal is None and bubble_id:
        if bubble_id == me.get("declined"):
            return outcome
        bubble = bubbles[bubble_id]
        if bubble["locked"]:
            refusal = _("This conversation is locked.")
        elif any(
            str(member) in people and _refusal(me, people[str(member)])
            for member in bubble["members"]
        ):
            # Before "full": the count of members would betray one the mover does not see.
            refusal = _("You cannot join this conversation.")
        elif len(bubble["members"]) >= rules.capacity:
            refusal = _("This conversation is full (%(n)d people).") % {"n": rules.capacity}
    if refusal is not None:
        target = bubble_id or other_key
        if me.get("refused") != target:
            me["refused"] = target
            outcome.notices.append((user_id, {"type": "bubble.refused", "message": refusal}))
        return outcome
    me["refused"] = None
    if bubble_id:
        bubbles[bubble_id]["members"].append(user_id)
        me["bubble"] = bubble_id
    else:
        bubble_id = secrets.token_hex(6)
        bubbles[bubble_id] = {"members": [int(other_key), user_id], "locked": False}
        other["bubble"] = bubble_id
        me["bubble"] = bubble_id
    outcome.events.append(_bubble_event(state, bubble_id, rules))
    return outcome


def set_locked(state: dict, user_id: int, locked: bool, rules: SpaceRules) -> Outcome:
    outcome = Outcome()
    me = _participants(state).get(str(user_id))
    if me is None or not me.get("bubble"):
        raise LookupError(_("You are not in a conversation."))
    _bubbles(state)[me["bubble"]]["locked"] = bool(locked)
    outcome.events.append(_bubble_event(state, me["bubble"], rules))
    return outcome


def leave_bubble(state: dict, user_id: int, rules: SpaceRules) -> Outcome:
    me = _participants(state).get(str(user_id))
    if me is None or not me.get("bubble"):
        raise LookupError(_("You are not in a conversation."))
    me["declined"] = me["bubble"]
    return _remove_from_bubble(state, user_id, rules)


def refresh_persona(
    state: dict, persona: Persona, blocked: set[int], rules: SpaceRules
) -> tuple[dict | None, Outcome]:
    """Settings or blocks changed: store them; leave a bubble that is no longer allowed."""
    outcome = Outcome()
    people = _participants(state)
    me = people.get(str(persona.user_id))
    if me is None:
        return None, outcome
    before = dict(me["persona"])
    me["persona"] = persona.to_dict()
    me["blocked"] = sorted(blocked)
    for key in blocked:
        other = people.get(str(key))
        if other is not None and persona.user_id not in other["blocked"]:
            other["blocked"] = sorted({*other["blocked"], persona.user_id})
    if me.get("bubble"):
        bubble = _bubbles(state).get(me["bubble"], {"members": []})
        others = [
            people[str(m)] for m in bubble["members"] if m != persona.user_id and str(m) in people
        ]
        if any(_refusal(me, o) for o in others):
            _merge(outcome, _remove_from_bubble(state, persona.user_id, rules))
    outcome.events.append(
        {
            "type": "presence.refreshed",
            "participant": _public(me),
            "_audience": {"subject": me["persona"], "before": before},
        }
    )
    return me, outcome


def touch(state: dict, user_id: int, now: float) -> None:
    entry = _participants(state).get(str(user_id))
    if entry is not None:
        entry["seen"] = now


def members_of_bubble(state: dict, user_id: int) -> tuple[str | None, dict[int, str]]:
    """The user's bubble and its members' channels (user id → channel)."""
    people = _participants(state)
    me = people.get(str(user_id))
    if me is None or not me.get("bubble"):
        return None, {}
    bubble = _bubbles(state).get(me["bubble"], {"members": []})
    return me["bubble"], {
        m: people[str(m)]["channel"] for m in bubble["members"] if str(m) in people
    }


# --- per viewer -------------------------------------------------------------------------------


def visible_entries(state: dict, viewer: Persona, blocked: set[int]) -> list[dict]:
    return [
        entry
        for entry in _participants(state).values()
        if privacy.can_see(viewer, _persona(entry), blocked)
    ]


def snapshot(state: dict, viewer: Persona, blocked: set[int], rules: SpaceRules) -> dict:
    """The space as ``viewer`` may see it: visible participants, bubbles with visible members."""
    shown = visible_entries(state, viewer, blocked)
    shown_ids = {e["persona"]["user_id"] for e in shown}
    bubbles = []
    for bubble_id, bubble in _bubbles(state).items():
        members = [m for m in bubble["members"] if m in shown_ids]
        if members:
            bubbles.append(
                {
                    "id": bubble_id,
                    "members": members,
                    "locked": bubble["locked"],
                    "capacity": rules.capacity,
                }
            )
    return {
        "participants": sorted(
            (_public(e) for e in shown), key=lambda p: (p["name"], p["user_id"])
        ),
        "bubbles": bubbles,
    }


def filter_for_viewer(
    event: dict, viewer: Persona, blocked: set[int], known: set[str] | None = None
) -> list[dict]:
    """The frames ``viewer`` gets for one space event (none, one, or a replacement).

    ``known`` is the set of bubbles this viewer has been shown (kept up to date here): a
    bubble of people the viewer may not see is never mentioned, not even by its closing.
    """
    event = dict(event)
    audience = event.pop("_audience", None)
    members = event.pop("_members", None)
    known = set() if known is None else known
    if members is not None:
        personas = [Persona.from_dict(m) for m in members]
        bubble_id = event["bubble"]["id"]
        if viewer.user_id in {p.user_id for p in personas}:
            known.add(bubble_id)
            return [event]
        shown = [p.user_id for p in personas if privacy.can_see(viewer, p, blocked)]
        if not shown:
            if bubble_id in known:
                known.discard(bubble_id)
                return [{"type": "bubble.closed", "bubble": bubble_id}]
            return []
        known.add(bubble_id)
        return [dict(event, bubble=dict(event["bubble"], members=shown))]
    if event.get("type") == "bubble.closed":
        if event["bubble"] in known:
            known.discard(event["bubble"])
            return [event]
        return []
    if audience is None:
        return [event]
    subject = Persona.from_dict(audience["subject"])
    now_visible = privacy.can_see(viewer, subject, blocked)
    if event["type"] != "presence.refreshed":
        return [event] if now_visible else []
    was_visible = privacy.can_see(viewer, Persona.from_dict(audience["before"]), blocked)
    if was_visible and not now_visible:
        return [{"type": "presence.left", "user_id": subject.user_id}]
    if now_visible and not was_visible:
        return [{"type": "presence.joined", "participant": event["participant"]}]
    if now_visible:
        return [{"type": "presence.updated", "participant": event["participant"]}]
    return []


def spawn_point(
    state: dict, viewer: Persona, blocked: set[int], rules: SpaceRules
) -> tuple[float, float]:
    """Where a newcomer appears: near the entrance, out of the conversation range of everybody
    they see (people they may not see do not move the spot: it would show where they stand).
    """
    people = [
        entry
        for entry in visible_entries(state, viewer, blocked)
        if entry["persona"]["user_id"] != viewer.user_id
    ]
    far = rules.radius * LEAVE_FACTOR + 10
    step = max(int(far), 40)
    y0 = rules.height * 0.85
    for row in range(6):
        for column in range(0, int(rules.width / step)):
            offset = (column + 1) // 2 * step * (1 if column % 2 else -1)
            x = min(max(rules.width / 2 + offset, 20), rules.width - 20)
            y = max(y0 - row * step, 20)
            if all(math.hypot(p["x"] - x, p["y"] - y) > far for p in people):
                return x, y
    return rules.width / 2, y0


def now() -> float:
    return time.time()
