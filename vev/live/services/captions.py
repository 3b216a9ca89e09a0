"""Live captions (DM-20/1004 Annex 3): the caption address, ingestion, the transcript.

The secretariat (or a technician) creates a meeting's **caption address** and gives it to the
captioning provider, who pastes it into their software's "third-party closed-caption URL"
field (Zoom's convention, also spoken by StreamText). The address is signed: an HMAC-SHA256
over the meeting, the feed's random nonce and the expiry, with a key derived from
``SECRET_KEY`` (``salted_hmac`` with its own salt), so nobody can forge or extend one, and a
rotated or revoked address stops working at once.

The provider posts caption text as a **stream** (``ingest``): ``seq`` increases by one per new
post (never for a retry), **one counter per address across languages** (Zoom's convention: the
sequence belongs to the caption URL, ``lang`` only says which language a post is in; StreamText
numbers the posts to one Caption URL the same way); text is appended, ``\\n`` ends a line,
backspace (0x08) and DEL (0x7F) delete the previous character, across a line break too (the
previous line is reopened). A post at or below the last accepted ``seq`` is a retry: answered,
not applied again. A jump is accepted and the gap logged. Every changed line is announced on the
room stream (``captions.line``, carrying the line as it now stands) and kept as the meeting's
transcript, aligned with the agenda item under discussion and the floor holder.
"""

from __future__ import annotations

import base64
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Meeting

from ..errors import LiveError
from ..events import CaptionFeedChanged, CaptionLineChanged
from ..models import (
    CaptionFeed,
    CaptionLine,
    CaptionPost,
    CaptionStream,
    RoomState,
    SpeakerRequest,
)
from ..streams import lock_room, record_room_event

logger = logging.getLogger(__name__)

SIGNING_SALT = "vev.live.captions.feed-address"
#: An address stays valid this long after the meeting's scheduled end (meetings overrun).
VALID_AFTER_END = timedelta(hours=12)
#: A line longer than this is wrapped at a space (a soft break, undone by a backspace).
MAX_LINE_CHARS = 200
#: Longest post accepted (a provider sends what was written since its last post).
MAX_BODY_BYTES = 64 * 1024
#: Lines per language in the snapshot.
SNAPSHOT_LINES = 20
IN_SESSION = (Meeting.Status.LIVE, Meeting.Status.SUSPENDED)
#: Provider language codes that do not start with the event's code.
LANGUAGE_ALIASES = {"cmn": "zh", "yue": "zh", "ara": "ar", "eng": "en", "fra": "fr", "fre": "fr"}


class CaptionRefused(Exception):
    """The ingestion endpoint refuses a request: an HTTP status and a plain-text reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# -- the signed address ------------------------------------------------------------------------
def _signature(meeting_id: int | str, nonce: str, expire: int | str) -> str:
    digest = salted_hmac(
        SIGNING_SALT, f"{meeting_id}:{nonce}:{expire}", algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _query(feed: CaptionFeed) -> str:
    expire = int(feed.expires_at.timestamp())
    return urlencode(
        {
            "id": feed.meeting_id,
            "ns": feed.nonce,
            "expire": expire,
            "signature": _signature(feed.meeting_id, feed.nonce, expire),
        }
    )


def feed_url(feed: CaptionFeed) -> str:
    """The address the provider posts to (``&seq=<n>&lang=<code>`` are appended by them)."""
    return f"{settings.SITE_URL}{reverse('captions:ingest')}?{_query(feed)}"


def seq_url(feed: CaptionFeed) -> str:
    """Where the provider reads the last accepted ``seq`` (Zoom's ``…/seq`` form)."""
    return f"{settings.SITE_URL}{reverse('captions:seq')}?{_query(feed)}"


def resolve_feed(params) -> CaptionFeed:
    """The feed an address names, or ``CaptionRefused(403)`` saying what is wrong with it."""
    values = {name: (params.get(name) or "").strip() for name in ("id", "ns", "expire")}
    signature = (params.get("signature") or "").strip()
    if not all(values.values()) or not signature:
        raise CaptionRefused(
            403, _("This caption address is incomplete: copy the whole address from vev.")
        )
    expected = _signature(values["id"], values["ns"], values["expire"])
    if not constant_time_compare(signature, expected):
        raise CaptionRefused(
            403, _("This caption address is not valid: its signature does not match.")
        )
    try:
        expire = int(values["expire"])
    except ValueError:
        raise CaptionRefused(403, _("This caption address is not valid.")) from None
    if expire <= timezone.now().timestamp():
        raise CaptionRefused(
            403,
            _("This caption address expired at %(when)s UTC; ask the secretariat for a new one.")
            % {"when": datetime.fromtimestamp(expire, UTC).strftime("%Y-%m-%d %H:%M")},
        )
    feed = (
        CaptionFeed.objects.select_related("meeting__event")
        .filter(meeting_id=values["id"], nonce=values["ns"])
        .first()
    )
    if feed is None:
        raise CaptionRefused(403, _("This caption address is not valid."))
    if feed.revoked_at is not None:
        raise CaptionRefused(
            403,
            _("This caption address was withdrawn; ask the secretariat for the current one."),
        )
    return feed


def event_language(code: str | None, feed: CaptionFeed) -> str:
    """The event's language a provider code names (``en-US`` → ``en``, ``zh-CN`` → ``zh``)."""
    languages = list(feed.meeting.event.languages)
    if not code:
        return feed.default_language
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    primary = LANGUAGE_ALIASES.get(primary, primary)
    if primary not in languages:
        raise CaptionRefused(
            400,
            _("“%(code)s” is not a language of this session; use one of: %(languages)s.")
            % {"code": code, "languages": ", ".join(languages)},
        )
    return primary


def parse_timestamp(raw: str) -> datetime | None:
    """``X-Timestamp`` as StreamText or other software send it: ISO 8601 or Unix (s or ms)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if re.fullmatch(r"\d+(\.\d+)?", raw):
            number = float(raw)
            return datetime.fromtimestamp(number / 1000 if number > 1e11 else number, UTC)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# -- who holds the floor -------------------------------------------------------------------------
@dataclass(frozen=True)
class FloorHolder:
    user_id: int
    name: str
    entity_id: int | None = None
    request_id: int | None = None  # the SpeakerRequest that has the floor


def speaker_on_floor(room: RoomState) -> FloorHolder | None:
    """Whoever the chair gave the floor (``RoomState.floor``, the speakers feature)."""
    if not room.floor_id:
        return None
    request = SpeakerRequest.objects.select_related("participant").filter(pk=room.floor_id)
    request = request.first()
    if request is None:
        return None
    return FloorHolder(
        user_id=request.user_id,
        name=request.participant.name,
        entity_id=request.entity_id,
        request_id=request.pk,
    )


#: Functions ``(room) -> FloorHolder | None`` asked in turn who holds the floor.
FLOOR_SOURCES: list[Callable[[RoomState], FloorHolder | None]] = [speaker_on_floor]


def floor_holder(room: RoomState) -> FloorHolder | None:
    for source in FLOOR_SOURCES:
        holder = source(room)
        if holder is not None:
            return holder
    return None


# -- ingestion ---------------------------------------------------------------------------------
@dataclass
class IngestResult:
    applied: bool
    last_seq: int
    missing: int = 0
    lines: list[int] = field(default_factory=list)  # ids of the lines changed


_TOKENS = re.compile(r"[\x08\x7f\n]|[^\x08\x7f\n]+")
#: Control characters other than the line break are dropped (tab becomes a space).
_CONTROL = re.compile(r"[\x00-\x07\x0b-\x1f\x80-\x9f]")


class _Editor:
    """Applies a post to the tail of a language's transcript, loading earlier lines on demand."""

    def __init__(self, room: RoomState, feed: CaptionFeed, language: str, now, provider_at):
        self.room = room
        self.feed = feed
        self.meeting_id = room.meeting_id
        self.language = language
        self.now = now
        self.provider_at = provider_at
        self.lines: list[CaptionLine] = []  # a suffix of the transcript, in order
        self.exhausted = False
        self.dirty: dict[int, CaptionLine] = {}  # id(line) -> line
        self.removed: list[CaptionLine] = []
        self._holder: FloorHolder | bool | None = False

    # reading
    def _load_previous(self) -> None:
        rows = CaptionLine.objects.filter(meeting_id=self.meeting_id, language=self.language)
        if self.lines:
            rows = rows.filter(number__lt=self.lines[0].number)
        elif self.removed:
            rows = rows.filter(number__lt=min(line.number for line in self.removed))
        line = rows.order_by("-number").first()
        if line is None:
            self.exhausted = True
        else:
            self.lines.insert(0, line)

    def _tail(self) -> CaptionLine | None:
        if not self.lines and not self.exhausted:
            self._load_previous()
        return self.lines[-1] if self.lines else None

    # writing
    def _touch(self, line: CaptionLine) -> None:
        line.updated_at = self.now
        self.dirty[id(line)] = line

    def _new_line(self) -> CaptionLine:
        tail = self._tail()
        if tail is not None:
            number = tail.number + 1
        else:
            number = min((line.number for line in self.removed), default=1)
        if self._holder is False:
            self._holder = floor_holder(self.room)
        holder = self._holder or None
        line = CaptionLine(
            meeting_id=self.meeting_id,
            language=self.language,
            number=number,
            text="",
            started_at=self.now,
            provider_at=self.provider_at,
            allocation_id=self.room.current_allocation_id,
            speaker_id=holder.user_id if holder else None,
            speaker_name=holder.name if holder else "",
            speaker_entity_id=holder.entity_id if holder else None,
            speaker_request_id=holder.request_id if holder else None,
            feed=self.feed,
        )
        self.lines.append(line)
        self._touch(line)
        return line

    def _remove(self, line: CaptionLine) -> None:
        self.lines.remove(line)
        self.dirty.pop(id(line), None)
        if line.pk is not None:
            self.removed.append(line)

    def _finalize(self, line: CaptionLine, *, hard: bool) -> None:
        line.final = True
        line.hard_break = hard
        line.finalized_at = self.now
        self._touch(line)

    def _reopen(self, line: CaptionLine) -> None:
        line.final = False
        line.hard_break = False
        line.finalized_at = None
        self._touch(line)

    def type_text(self, text: str) -> None:
        line = self._tail()
        if line is None or line.final:
            line = self._new_line()
        line.text += text
        self._touch(line)
        while len(line.text) > MAX_LINE_CHARS:
            space = line.text.rfind(" ", MAX_LINE_CHARS // 2, MAX_LINE_CHARS + 1)
            cut = space + 1 if space >= 0 else MAX_LINE_CHARS
            rest, line.text = line.text[cut:], line.text[:cut]
            self._finalize(line, hard=False)
            line = self._new_line()
            line.text = rest

    def line_break(self) -> None:
        line = self._tail()
        if line is None or line.final:
            line = self._new_line()  # an empty line: kept, so that a backspace undoes it
        self._finalize(line, hard=True)

    def backspace(self) -> None:
        line = self._tail()
        if line is None:
            return
        if line.final and line.hard_break:
            # The cursor is right after the line break: delete the break, reopen the line.
            if line.text:
                self._reopen(line)
            else:
                self._remove(line)
            return
        if line.final:  # a soft break holds no character: delete the line's last one
            self._reopen(line)
        line.text = line.text[:-1]
        if line.text:
            self._touch(line)
        else:
            self._remove(line)

    def apply(self, body: str) -> None:
        body = _CONTROL.sub("", body.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
        for match in _TOKENS.finditer(body):
            token = match.group()
            if token in ("\x08", "\x7f"):
                self.backspace()
            elif token == "\n":  # noqa: S105 (a line break, not a password)
                self.line_break()
            else:
                self.type_text(token)

    def save(self) -> tuple[list[CaptionLine], list[CaptionLine]]:
        """Write the changes (removals first, numbers may be reused); returns both lists."""
        for line in self.removed:
            CaptionLine.objects.filter(pk=line.pk).delete()
        changed = sorted(self.dirty.values(), key=lambda line: line.number)
        for line in changed:
            line.save()
        return self.removed, changed


def line_event(line: CaptionLine, *, removed: bool = False) -> CaptionLineChanged:
    return CaptionLineChanged(
        language=line.language,
        line_id=line.pk,
        number=line.number,
        text="" if removed else line.text,
        final=False if removed else line.final,
        removed=removed,
        at=line.updated_at,
        allocation_id=line.allocation_id,
    )


def ingest(
    feed: CaptionFeed, *, language: str, seq: int, text: str, provider_timestamp: str = ""
) -> IngestResult:
    """Apply one post of the provider (``seq`` ≤ last accepted: a retry, not applied again)."""
    now = timezone.now()
    provider_at = parse_timestamp(provider_timestamp)
    with transaction.atomic():
        room = lock_room(feed.meeting_id)
        current = CaptionFeed.objects.select_for_update().get(pk=feed.pk)
        if current.revoked_at is not None:
            raise CaptionRefused(
                403,
                _("This caption address was withdrawn; ask the secretariat for the current one."),
            )
        status = Meeting.objects.values_list("status", flat=True).get(pk=feed.meeting_id)
        if status not in IN_SESSION:
            raise CaptionRefused(
                400,
                _("The meeting is not in session; captions are accepted while it is."),
            )
        stream, _created = CaptionStream.objects.select_for_update().get_or_create(
            feed=current, language=language
        )
        last = address_seq(current)  # one counter per address: every language's posts count
        post = CaptionPost(
            stream=stream,
            seq=seq,
            provider_timestamp=provider_timestamp[:64],
            provider_at=provider_at,
            body=text,
        )
        if seq <= last:
            stream.repeats += 1
            stream.save(update_fields=["repeats"])
            post.outcome = CaptionPost.Outcome.REPEAT
            post.save()
            return IngestResult(applied=False, last_seq=last)
        missing = seq - last - 1
        if missing:
            logger.warning(
                "captions of meeting %s [%s]: %d post(s) missing before seq %d (last was %d)",
                feed.meeting_id,
                language,
                missing,
                seq,
                last,
            )
        editor = _Editor(room, current, language, now, provider_at)
        editor.apply(text)
        removed, changed = editor.save()
        for line in removed:
            record_room_event(feed.meeting_id, line_event(line, removed=True))
        for line in changed:
            record_room_event(feed.meeting_id, line_event(line))
        stream.last_seq = seq
        stream.last_post_at = now
        stream.posts += 1
        stream.missing += missing
        stream.save(update_fields=["last_seq", "last_post_at", "posts", "missing"])
        post.outcome = CaptionPost.Outcome.APPLIED
        post.missing_before = missing
        post.save()
    return IngestResult(
        applied=True,
        last_seq=seq,
        missing=missing,
        lines=[line.pk for line in removed + changed],
    )


def address_seq(feed: CaptionFeed) -> int:
    """The last ``seq`` accepted on this address, whatever the language (one counter)."""
    return feed.streams.aggregate(last=Max("last_seq"))["last"] or 0


def last_seq(feed: CaptionFeed, language: str | None = None) -> int:
    """What ``GET …/seq`` answers: the address's counter (``lang``, if given, is checked by the
    caller but does not change it: posts of every language share the numbering)."""
    return address_seq(feed)


# -- managing the address ----------------------------------------------------------------------
def active_feed(meeting: Meeting) -> CaptionFeed | None:
    return CaptionFeed.objects.filter(meeting=meeting, revoked_at__isnull=True).first()


def _default_language(meeting: Meeting, language: str | None) -> str:
    languages = list(meeting.event.languages)
    if language:
        if language not in languages:
            raise LiveError(_("Choose one of the session's languages."))
        return language
    return "en" if "en" in languages else languages[0]


def _new_feed(by, meeting: Meeting, language: str) -> CaptionFeed:
    now = timezone.now()
    return CaptionFeed.objects.create(
        meeting=meeting,
        nonce=secrets.token_urlsafe(24),
        default_language=language,
        expires_at=max(meeting.ends_at, now) + VALID_AFTER_END,
        created_by=by,
    )


def create_feed(
    by, meeting: Meeting, *, language: str | None = None, session_key: str = ""
) -> CaptionFeed:
    """Give the meeting a caption address (refused while one is active: rotate it instead)."""
    with transaction.atomic():
        lock_room(meeting.pk)
        if active_feed(meeting) is not None:
            raise LiveError(
                _("This meeting already has a caption address; issue a new one to replace it.")
            )
        feed = _new_feed(by, meeting, _default_language(meeting, language))
        log_action(
            "vev.live.captions.address_created",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=feed,
            data={"meeting": meeting.code, "valid_until": feed.expires_at.isoformat()},
        )
        record_room_event(meeting.pk, CaptionFeedChanged(active=True, at=timezone.now()))
    return feed


def rotate_feed(by, meeting: Meeting, *, session_key: str = "") -> CaptionFeed:
    """Replace the address: the old one stops at once, the new one starts its own ``seq``."""
    with transaction.atomic():
        lock_room(meeting.pk)
        old = CaptionFeed.objects.select_for_update().filter(
            meeting=meeting, revoked_at__isnull=True
        )
        old = old.first()
        if old is None:
            raise LiveError(_("This meeting has no caption address to replace."))
        old.revoked_at = timezone.now()
        old.revoked_by = by
        old.save(update_fields=["revoked_at", "revoked_by"])
        feed = _new_feed(by, meeting, old.default_language)
        old.replaced_by = feed
        old.save(update_fields=["replaced_by"])
        log_action(
            "vev.live.captions.address_rotated",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=feed,
            data={"meeting": meeting.code, "replaces": old.pk},
        )
    return feed


def revoke_feed(by, meeting: Meeting, *, session_key: str = "") -> None:
    """Withdraw the address: posts to it are refused from now on (captions stop)."""
    with transaction.atomic():
        lock_room(meeting.pk)
        feed = (
            CaptionFeed.objects.select_for_update()
            .filter(meeting=meeting, revoked_at__isnull=True)
            .first()
        )
        if feed is None:
            raise LiveError(_("This meeting has no caption address to withdraw."))
        feed.revoked_at = timezone.now()
        feed.revoked_by = by
        feed.save(update_fields=["revoked_at", "revoked_by"])
        log_action(
            "vev.live.captions.address_revoked",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=feed,
            data={"meeting": meeting.code},
        )
        record_room_event(meeting.pk, CaptionFeedChanged(active=False, at=timezone.now()))


def reset_sequence(by, meeting: Meeting, *, session_key: str = "") -> None:
    """Accept the provider's numbering from 1 again (their software restarted its count).

    The address has one counter for all languages, so the numbering restarts for all of them.
    """
    with transaction.atomic():
        lock_room(meeting.pk)
        feed = active_feed(meeting)
        if feed is None:
            raise LiveError(_("This meeting has no caption address."))
        streams = CaptionStream.objects.select_for_update().filter(feed=feed)
        before = address_seq(feed)
        if not before:
            raise LiveError(_("No captions arrived on this address yet."))
        streams.update(last_seq=0)
        log_action(
            "vev.live.captions.sequence_reset",
            actor=by,
            session_key=session_key,
            event=meeting.event_id,
            target=feed,
            data={"meeting": meeting.code, "was": before},
        )


# -- reads -------------------------------------------------------------------------------------
def line_dto(line: CaptionLine) -> dict:
    return {
        "line_id": line.pk,
        "number": line.number,
        "text": line.text,
        "final": line.final,
        "at": line.updated_at.isoformat(),
        "allocation_id": line.allocation_id,
    }


def recent_lines(meeting: Meeting, per_language: int = SNAPSHOT_LINES) -> dict[str, list[dict]]:
    """The last lines of each language (empty lines left out), oldest first."""
    result: dict[str, list[dict]] = {}
    for language in meeting.event.languages:
        rows = list(
            CaptionLine.objects.filter(meeting=meeting, language=language)
            .exclude(text="")
            .order_by("-number")[:per_language]
        )
        if rows:
            result[language] = [line_dto(line) for line in reversed(rows)]
    return result


def feed_info(feed: CaptionFeed | None, *, with_address: bool) -> dict:
    """The state of a meeting's address for the consoles (the address only to those allowed)."""
    if feed is None:
        return {"active": False}
    streams = [
        {
            "language": stream.language,
            "last_seq": stream.last_seq,
            "last_post_at": stream.last_post_at.isoformat() if stream.last_post_at else None,
            "posts": stream.posts,
            "repeats": stream.repeats,
            "missing": stream.missing,
        }
        for stream in feed.streams.order_by("language")
    ]
    info = {
        "active": True,
        "created_at": feed.created_at.isoformat(),
        "expires_at": feed.expires_at.isoformat(),
        "expired": feed.expires_at <= timezone.now(),
        "default_language": feed.default_language,
        "last_seq": address_seq(feed),
        "streams": streams,
    }
    if with_address:
        info["url"] = feed_url(feed)
        info["seq_url"] = seq_url(feed)
    return info
