"""The summary record of a meeting, assembled from what the live room stored, and its versions.

**Assembly** (:func:`assemble`) reads only stored facts: the room's participants and their
connections (attendance, drops), the agenda allocations with the times each item was taken up
and closed, the requests that held the floor (speakers, points of order, motions, rulings) with
the caption lines written while each held it, the group 2 comments filed for the summary record
on each item's documents, the proposed conclusions put at the meeting with their calls,
objections and outcome, and the elections. Every act of the room numbers a room event
(``RoomState.seq``), so the assembled record is cached under the room's sequence number (plus
the state of the comments and conclusions, which change outside the room) and rebuilt on the
next read after any act: it is always as up to date as the room, without a writer on the
room's hot path.

**Versions**: the secretariat edits the text (pre-filled with the assembled text) and saves
numbered versions; a save names the version it started from and is refused if another was saved
meanwhile (optimistic check: nothing is lost, the editor sees both texts). Publishing makes the
current version the one the event's registrants read. Every save and publication is audited.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Entity, Meeting, Registration
from vev.council.permissions import Perm, has_perm
from vev.council.services.participants import representation
from vev.decisions.models import ObjectionCall, ProposedConclusion
from vev.decisions.services.conclusions import waited_for
from vev.documents.models import Document, DocumentGroup, SummaryComment
from vev.live.models import CaptionLine, Connection, Participant, RoomState, SpeakerRequest
from vev.live.queries import council_member_ids

from ..models import SummaryRecord, SummaryRecordVersion

MAX_TEXT = 200_000
MAX_NOTE = 300
MAX_EXCERPT = 4000
CACHE_SECONDS = 24 * 3600
#: Kinds of a turn at the floor, as the record names them.
TURN_KINDS = {
    SpeakerRequest.Kind.SPEAK: "ordinary",
    SpeakerRequest.Kind.REPLY: "reply",
    SpeakerRequest.Kind.POINT_OF_ORDER: "point_of_order",
    SpeakerRequest.Kind.MOTION: "motion",
}
LOST = (Connection.Reason.DROPPED, Connection.Reason.SERVER_LOST, Connection.Reason.DISCONNECTED)


class RecordError(Exception):
    """A refusal whose message can be shown to the user."""


class RecordConflict(RecordError):
    """Another version was saved since the one the editor started from."""

    def __init__(self, message: str, current: SummaryRecordVersion):
        super().__init__(message)
        self.current = current


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# -- assembly ------------------------------------------------------------------------------------
def _signature(meeting: Meeting) -> str:
    seq = RoomState.objects.filter(pk=meeting.pk).values_list("seq", flat=True).first() or 0
    comments = SummaryComment.objects.filter(document__event_id=meeting.event_id).aggregate(
        n=Count("pk"), at=Max("filed_at")
    )
    conclusions = ProposedConclusion.objects.filter(event_id=meeting.event_id).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    connections = Connection.objects.filter(participant__meeting=meeting).aggregate(
        n=Count("pk"), at=Max("closed_at")
    )
    raw = f"{meeting.updated_at}|{seq}|{comments}|{conclusions}|{connections}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def assemble(meeting: Meeting, *, use_cache: bool = True) -> dict:
    """The record of ``meeting`` as the room stored it (JSON-ready, times in ISO UTC)."""
    key = f"records:assembled:{meeting.pk}:{_signature(meeting)}"
    if use_cache and (body := cache.get(key)) is not None:
        return body
    body = _assemble(meeting)
    cache.set(key, body, CACHE_SECONDS)
    return body


def _assemble(meeting: Meeting) -> dict:
    room = RoomState.objects.filter(pk=meeting.pk).first()
    allocations = list(meeting.allocations.select_related("item").order_by("position", "pk"))
    language = transcript_language(meeting)
    turns = _turns(meeting, language)
    conclusions = _conclusions(meeting)
    comments = _comments(meeting, [a.item_id for a in allocations])
    items = []
    for allocation in allocations:
        if allocation.started_at is None:
            continue  # not taken up at this meeting
        items.append(
            {
                "item_id": allocation.item_id,
                "code": allocation.item.code,
                "title": allocation.item.title,
                "started_at": _iso(allocation.started_at),
                "ended_at": _iso(allocation.ended_at),
                "turns": turns.pop(allocation.pk, []),
                "comments": comments.get(allocation.item_id, []),
                "conclusions": [
                    c
                    for c in conclusions
                    if c["item_id"] == allocation.item_id and c["kind"] != "election"
                ],
            }
        )
    items.sort(key=lambda i: i["started_at"])
    taken = {i["item_id"] for i in items}
    return {
        "meeting": {
            "id": meeting.pk,
            "code": meeting.code,
            "title": meeting.title,
            "status": meeting.status,
            "starts_at": _iso(meeting.starts_at),
            "opened_at": _iso(room.opened_at) if room else None,
            "closed_at": _iso(room.closed_at) if room else None,
        },
        "time_zone": meeting.event.time_zone,
        "language": language,
        "seq": room.seq if room else 0,
        "attendance": _attendance(meeting),
        "absent": _absent_members(meeting),
        "items": items,
        "other_turns": [t for rows in turns.values() for t in rows],
        "other_conclusions": [
            c for c in conclusions if c["kind"] != "election" and c["item_id"] not in taken
        ],
        "elections": [c for c in conclusions if c["kind"] == "election"],
    }


def transcript_language(meeting: Meeting) -> str:
    """The language of the transcript quoted: the one with the most lines (the floor's)."""
    row = (
        CaptionLine.objects.filter(meeting=meeting)
        .values("language")
        .annotate(n=Count("pk"))
        .order_by("-n", "language")
        .first()
    )
    return row["language"] if row else "en"


def _attendance(meeting: Meeting) -> list[dict]:
    participants = list(
        Participant.objects.filter(meeting=meeting)
        .select_related("entity")
        .prefetch_related("connections")
        .order_by("kind", "entity__name", "name")
    )
    members = council_member_ids(meeting)
    groups: dict[tuple, dict] = {}
    for participant in participants:
        entity = participant.entity
        kind = participant.kind
        if participant.presiding:
            kind = "presiding"
        key = (kind, entity.pk if entity else None)
        group = groups.setdefault(
            key,
            {
                "kind": kind,
                "entity": entity.display_name if entity else "",
                "council_member": bool(entity and entity.pk in members),
                "people": [],
            },
        )
        connections = sorted(participant.connections.all(), key=lambda c: c.opened_at)
        drops = []
        for index, connection in enumerate(connections):
            if connection.closed_at and connection.close_reason in LOST:
                back = connections[index + 1].opened_at if index + 1 < len(connections) else None
                drops.append(
                    {
                        "at": _iso(connection.closed_at),
                        "back_at": _iso(back),
                        "reason": connection.close_reason,
                    }
                )
        left = None
        if participant.status in (Participant.Status.LEFT, Participant.Status.REMOVED):
            left = _iso(participant.removed_at or participant.last_left_at)
        group["people"].append(
            {
                "name": participant.name,
                "capacity": participant.capacity,
                "joined_at": _iso(participant.first_joined_at),
                "left_at": left,
                "removed": participant.status == Participant.Status.REMOVED,
                "drops": drops,
            }
        )
    order = {"presiding": 0, "member": 1, "observer": 2, "staff": 3}
    return sorted(groups.values(), key=lambda g: (order.get(g["kind"], 9), g["entity"]))


def _absent_members(meeting: Meeting) -> list[str]:
    members = council_member_ids(meeting)
    registered = set(
        Registration.objects.filter(
            event_id=meeting.event_id, status=Registration.Status.APPROVED, entity_id__in=members
        ).values_list("entity_id", flat=True)
    )
    came = set(
        Participant.objects.filter(meeting=meeting, entity_id__in=members).values_list(
            "entity_id", flat=True
        )
    )
    return sorted(e.display_name for e in Entity.objects.filter(pk__in=registered - came))


def _turns(meeting: Meeting, language: str) -> dict[int | None, list[dict]]:
    """The turns at the floor by allocation, in the order they were given."""
    requests = list(
        SpeakerRequest.objects.filter(meeting=meeting, floor_at__isnull=False)
        .select_related("participant", "entity")
        .order_by("floor_at", "pk")
    )
    lines: dict[int, list[str]] = {}
    for request_id, text in (
        CaptionLine.objects.filter(
            meeting=meeting, language=language, speaker_request_id__in=[r.pk for r in requests]
        )
        .order_by("number")
        .values_list("speaker_request_id", "text")
    ):
        if text.strip():
            lines.setdefault(request_id, []).append(text.strip())
    result: dict[int | None, list[dict]] = {}
    for request in requests:
        excerpt = " ".join(lines.get(request.pk, []))
        if len(excerpt) > MAX_EXCERPT:
            excerpt = excerpt[: MAX_EXCERPT - 1].rstrip() + "…"
        result.setdefault(request.allocation_id, []).append(
            {
                "name": request.participant.name,
                "entity": request.entity.display_name if request.entity else "",
                "kind": TURN_KINDS.get(request.kind, "ordinary"),
                "motion": request.get_motion_display() if request.motion else "",
                "note": request.note,
                "floor_at": _iso(request.floor_at),
                "ended_at": _iso(request.ended_at),
                "ruling": request.ruling,
                "excerpt": excerpt,
            }
        )
    return result


def _comments(meeting: Meeting, item_ids: list[int]) -> dict[int, list[dict]]:
    rows = (
        SummaryComment.objects.filter(
            document__event_id=meeting.event_id,
            document__group=DocumentGroup.APPROVE,
            document__agenda_item_id__in=item_ids,
        )
        .exclude(document__status__in=[Document.Status.DRAFT, Document.Status.WITHDRAWN])
        .select_related("document", "entity")
        .order_by("document__position", "document__symbol", "entity__name")
    )
    result: dict[int, list[dict]] = {}
    for comment in rows:
        result.setdefault(comment.document.agenda_item_id, []).append(
            {
                "document": comment.document.symbol,
                "entity": comment.entity.display_name,
                "text": comment.text,
                "filed_at": _iso(comment.filed_at),
            }
        )
    return result


def _conclusions(meeting: Meeting) -> list[dict]:
    """The proposed conclusions put to this meeting, each with its outcome here."""
    calls = list(
        ObjectionCall.objects.filter(meeting=meeting)
        .select_related("conclusion__agenda_item")
        .prefetch_related("objections__entity")
        .order_by("opened_at", "pk")
    )
    by_conclusion: dict[int, list[ObjectionCall]] = {}
    for call in calls:
        by_conclusion.setdefault(call.conclusion_id, []).append(call)
    result = []
    for conclusion_calls in by_conclusion.values():
        conclusion = conclusion_calls[0].conclusion
        last = conclusion_calls[-1]
        objections = [
            {"entity": o.entity.display_name, "reason": o.reason, "at": _iso(o.raised_at)}
            for call in conclusion_calls
            for o in call.objections.all()
            if o.withdrawn_at is None
        ]
        if last.status != ObjectionCall.Status.CLOSED:
            outcome = "under_call"
        elif last.outcome == ObjectionCall.Outcome.AGREED_ABSENCE_NOTED:
            outcome = "agreed_absence_noted"
        elif last.outcome in (ObjectionCall.Outcome.AGREED, ObjectionCall.Outcome.DEFERRED):
            outcome = last.outcome
        else:
            outcome = conclusion.state  # withdrawn, or called again later
        result.append(
            {
                "id": conclusion.pk,
                "item_id": conclusion.agenda_item_id,
                "item": str(conclusion.agenda_item or ""),
                "kind": conclusion.kind,
                "office": conclusion.office,
                "number": conclusion.number,
                "text": conclusion.text,
                "state": conclusion.state,
                "outcome": outcome,
                "called_at": _iso(conclusion_calls[0].opened_at),
                "decided_at": _iso(last.closed_at),
                "objections": objections,
                "absence_noted": list(conclusion.absence_noted),
                "guard": last.guard or {},
            }
        )
    return result


# -- the text --------------------------------------------------------------------------------
def _time(value: str | None, tz) -> str:
    if not value:
        return "…"
    return parse_datetime(value).astimezone(tz).strftime("%H:%M")


def turn_label(kind: str) -> str:
    return {
        "ordinary": _("Speaker"),
        "reply": _("Right of reply"),
        "point_of_order": _("Point of order"),
        "motion": _("Procedural motion"),
    }.get(kind, _("Speaker"))


def outcome_label(conclusion: dict) -> str:
    outcome = conclusion["outcome"]
    if outcome in ("agreed", "agreed_absence_noted"):
        text = (
            _("Agreed as proposed conclusion No. %(n)s") % {"n": conclusion["number"]}
            if conclusion["number"]
            else _("Agreed")
        )
        if conclusion["absence_noted"]:
            text += " " + _("(recorded with the absence noted of: %(s)s)") % {
                "s": ", ".join(conclusion["absence_noted"])
            }
        elif waited_for(conclusion.get("guard") or {}):
            text += " " + _(
                "(the chair waited for %(s)s, not connected or whose connection was lost during "
                "the call; all were connected when it ended)"
            ) % {"s": ", ".join(waited_for(conclusion["guard"]))}
        return text
    if outcome == "deferred":
        states = ", ".join(o["entity"] for o in conclusion["objections"])
        return _("Deferred to the next physical meeting: objection of %(s)s") % {"s": states}
    if outcome == "under_call":
        return _("Under call")
    return {
        "withdrawn": _("Withdrawn"),
        "called": _("Put to the meeting"),
        "forwarded": _("Forwarded to the next physical meeting"),
    }.get(outcome, outcome)


def _who(turn: dict) -> str:
    return f"{turn['name']} ({turn['entity']})" if turn["entity"] else turn["name"]


def _turn_lines(turn: dict, tz) -> list[str]:
    head = f"{turn_label(turn['kind'])}: {_who(turn)}, {_time(turn['floor_at'], tz)}"
    head += f"–{_time(turn['ended_at'], tz)}"
    if turn["motion"]:
        head += f" ({turn['motion']})"
    out = [f"- {head}"]
    if turn["excerpt"]:
        out.append(f"  “{turn['excerpt']}”")
    if turn["ruling"]:
        out.append("  " + _("Ruling of the chair: %(r)s") % {"r": turn["ruling"]})
    return out


def _conclusion_lines(conclusion: dict) -> list[str]:
    out = [f"- {conclusion['text']}", f"  {outcome_label(conclusion)}"]
    for objection in conclusion["objections"]:
        if objection["reason"]:
            out.append(
                "  "
                + _("Objection of %(s)s: %(r)s")
                % {"s": objection["entity"], "r": objection["reason"]}
            )
    return out


def render_text(body: dict) -> str:
    """The assembled record as the editable text (active language, the event's time zone)."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo(body["time_zone"])
    meeting = body["meeting"]
    title = meeting["code"] + (f" – {meeting['title']}" if meeting["title"] else "")
    lines = [_("Summary record of %(m)s") % {"m": title}, ""]
    lines.append(
        _("Opened at %(a)s, closed at %(b)s (times in %(zone)s).")
        % {
            "a": _time(meeting["opened_at"], tz),
            "b": _time(meeting["closed_at"], tz),
            "zone": body["time_zone"],
        }
    )
    lines += ["", _("Attendance")]
    kinds = {
        "presiding": _("Presiding officers and secretariat"),
        "member": _("Council Members"),
        "observer": _("Observers"),
        "staff": _("Staff"),
    }
    for group in body["attendance"]:
        people = []
        for person in group["people"]:
            text = f"{person['name']} {_time(person['joined_at'], tz)}"
            if person["left_at"]:
                text += f"–{_time(person['left_at'], tz)}"
            for drop in person["drops"]:
                text += " " + _("(connection lost %(a)s, back %(b)s)") % {
                    "a": _time(drop["at"], tz),
                    "b": _time(drop["back_at"], tz) if drop["back_at"] else _("never"),
                }
            people.append(text)
        label = kinds.get(group["kind"], group["kind"])
        prefix = f"{label}, {group['entity']}" if group["entity"] else label
        lines.append(f"- {prefix}: " + "; ".join(people))
    if body["absent"]:
        lines.append(
            "- "
            + _("Council Members registered but not connected: %(s)s")
            % {"s": ", ".join(body["absent"])}
        )
    for item in body["items"]:
        head = " ".join(p for p in (item["code"], item["title"]) if p)
        lines += [
            "",
            f"{head} ({_time(item['started_at'], tz)}–{_time(item['ended_at'], tz)})",
        ]
        if item["turns"]:
            lines.append(_("Speakers"))
            for turn in item["turns"]:
                lines += _turn_lines(turn, tz)
        if item["comments"]:
            lines.append(_("Comments of group 2 for the summary record"))
            for comment in item["comments"]:
                lines.append(f"- {comment['document']}, {comment['entity']}: {comment['text']}")
        if item["conclusions"]:
            lines.append(_("Proposed conclusions"))
            for conclusion in item["conclusions"]:
                lines += _conclusion_lines(conclusion)
    if body["other_turns"]:
        lines += ["", _("Outside the agenda items")]
        for turn in body["other_turns"]:
            lines += _turn_lines(turn, tz)
    if body["other_conclusions"]:
        lines += ["", _("Other proposed conclusions")]
        for conclusion in body["other_conclusions"]:
            lines += _conclusion_lines(conclusion)
    if body["elections"]:
        lines += ["", _("Elections")]
        for conclusion in body["elections"]:
            lines += _conclusion_lines(conclusion)
    return "\n".join(lines) + "\n"


def chair_summary(body: dict, *, source: str) -> str:
    """A short starting point for the chair's summary at the next meeting (≤ 8,000 chars)."""
    meeting = body["meeting"]
    lines = [_("At its previous meeting (%(code)s) the Council:") % {"code": meeting["code"]}]
    for item in body["items"]:
        head = " ".join(p for p in (item["code"], item["title"]) if p)
        speakers = len({(t["entity"] or t["name"]) for t in item["turns"]})
        text = "– " + _("took up %(item)s (%(n)d delegations or speakers took the floor)") % {
            "item": head,
            "n": speakers,
        }
        lines.append(text)
        for conclusion in item["conclusions"]:
            lines.append("  · " + outcome_label(conclusion))
    for conclusion in body["elections"]:
        lines.append("– " + conclusion["text"] + " " + outcome_label(conclusion))
    if body["absent"]:
        lines.append(_("Council Members not connected: %(s)s") % {"s": ", ".join(body["absent"])})
    lines.append("")
    lines.append(_("(From %(source)s.)") % {"source": source})
    text = "\n".join(lines)
    return text if len(text) <= 8000 else text[:7999] + "…"


# -- versions -------------------------------------------------------------------------------
def record_of(meeting: Meeting) -> SummaryRecord | None:
    return (
        SummaryRecord.objects.select_related("current_version__author", "published_version")
        .filter(meeting=meeting)
        .first()
    )


def _require_editor(user, meeting: Meeting) -> None:
    if not has_perm(user, Perm.RECORDS_EDIT, meeting.event):
        raise RecordError(_("Only the secretariat edits and publishes the summary record."))


def clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise RecordError(_("The summary record cannot be empty."))
    if len(text) > MAX_TEXT:
        raise RecordError(
            _("The summary record is too long (at most %(n)s characters).") % {"n": f"{MAX_TEXT:,}"}
        )
    return text + "\n"


def save_version(
    meeting: Meeting,
    by,
    *,
    text: str,
    base_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> SummaryRecordVersion:
    """Save a new version of the text; ``base_version`` is the number the editor started from
    (0: the assembled text, no version yet). Refused with :class:`RecordConflict` if another
    version was saved meanwhile."""
    _require_editor(by, meeting)
    text = clean_text(text)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise RecordError(_("The note is too long (at most 300 characters)."))
    with transaction.atomic():
        record, _created = SummaryRecord.objects.get_or_create(meeting=meeting)
        record = (
            SummaryRecord.objects.select_for_update(of=("self",))
            .select_related("current_version__author")
            .get(pk=record.pk)
        )
        current = record.current_version
        if record.current_number != base_version:
            who = (
                representation(current.author, meeting.event).label
                if current and current.author
                else _("someone")
            )
            raise RecordConflict(
                _(
                    "Version %(n)s was saved by %(who)s while you were editing. Your text is "
                    "kept below with the differences from theirs: review them and save again."
                )
                % {"n": record.current_number, "who": who},
                current,
            )
        if current is not None and current.text == text:
            raise RecordError(_("Nothing changed since version %(n)s.") % {"n": current.number})
        version = SummaryRecordVersion.objects.create(
            record=record,
            number=record.current_number + 1,
            text=text,
            body=assemble(meeting),
            note=note,
            author=by,
            created_at=timezone.now(),
        )
        record.current_version = version
        record.status = SummaryRecord.Status.DRAFT
        record.save(update_fields=["current_version", "status", "updated_at"])
        log_action(
            "vev.records.summary.edited",
            actor=by,
            event=meeting.event_id,
            target=record,
            data={
                "meeting": meeting.code,
                "version": version.number,
                "note": note,
                "length": len(text),
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
            request=request,
        )
    return version


def publish(
    meeting: Meeting, by, *, version: int, request: HttpRequest | None = None
) -> SummaryRecord:
    """Publish version ``version``, which must still be the current one."""
    _require_editor(by, meeting)
    with transaction.atomic():
        record = SummaryRecord.objects.select_for_update().filter(meeting=meeting).first()
        if record is None or record.current_version_id is None:
            raise RecordError(_("Save a version of the summary record before publishing it."))
        record = SummaryRecord.objects.select_related("current_version").get(pk=record.pk)
        if record.current_number != version:
            raise RecordError(
                _(
                    "Version %(n)s was saved after the one you chose to publish: review it "
                    "and publish again."
                )
                % {"n": record.current_number}
            )
        if record.published_version_id == record.current_version_id:
            raise RecordError(_("This version is already published."))
        record.published_version = record.current_version
        record.status = SummaryRecord.Status.PUBLISHED
        record.published_at = timezone.now()
        record.published_by = by
        record.save(
            update_fields=[
                "published_version",
                "status",
                "published_at",
                "published_by",
                "updated_at",
            ]
        )
        log_action(
            "vev.records.summary.published",
            actor=by,
            event=meeting.event_id,
            target=record,
            data={"meeting": meeting.code, "version": version},
            request=request,
        )
    return record


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "hunk"
    text: str


def diff(old: str, new: str) -> list[DiffLine]:
    """Line differences from ``old`` to ``new`` (unified, three lines of context)."""
    result = []
    for line in difflib.unified_diff(
        old.splitlines(), new.splitlines(), lineterm="", n=3, fromfile="a", tofile="b"
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            result.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            result.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("removed", line[1:]))
        else:
            result.append(DiffLine("same", line[1:]))
    return result


def starting_text(meeting: Meeting, record: SummaryRecord | None) -> tuple[str, int]:
    """The text the edit form starts from and its version number (0: the assembled text)."""
    if record is not None and record.current_version_id:
        return record.current_version.text, record.current_version.number
    return render_text(assemble(meeting)), 0


def chair_summary_draft(previous: Meeting) -> str | None:
    """The chair's summary for the meeting after ``previous``, from ``previous``'s record: its
    published version, else its latest draft, else what the room assembled."""
    record = record_of(previous)
    if record is not None and record.published_version_id:
        version = record.published_version
        source = _("the published summary record of %(m)s, version %(n)s") % {
            "m": previous.code,
            "n": version.number,
        }
        return chair_summary(version.body or assemble(previous), source=source)
    if record is not None and record.current_version_id:
        source = _("the draft summary record of %(m)s, version %(n)s") % {
            "m": previous.code,
            "n": record.current_version.number,
        }
        return chair_summary(record.current_version.body or assemble(previous), source=source)
    return chair_summary(
        assemble(previous), source=_("the summary record of %(m)s") % {"m": previous.code}
    )
