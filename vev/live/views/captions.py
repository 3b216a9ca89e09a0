"""Live captions: the provider's ingestion endpoint, the captioner's page, the transcript.

The ingestion endpoint (``/captions/ingest``) is for captioning software, not for people: no
session, no CSRF token; the signed address is the credential (``services.captions``). It answers
in plain text, with the status codes providers expect (Zoom's closed-caption API, StreamText's
caption ingestion): 200 accepted (or a retry, not applied again), 400 not in session or bad
input, 403 an incomplete, forged, expired or withdrawn address or no ``seq``, 405 not a POST,
413 too long, 415 not ``text/plain; charset=utf-8``.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import timedelta

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView, View

from vev.council.models import Meeting
from vev.council.permissions import EventPermissionMixin, Perm, has_perm, may_enter_closed_meeting

from ..models import CaptionLine, RoomState
from ..services import captions
from ..services.captions import CaptionRefused
from .room import DELEGATE_FEATURES, RoomPageMixin
from .strings import LANGUAGE_NAMES

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TEXT_CHARSETS = ("utf-8", "utf8", "us-ascii", "ascii")


def _text(status: int, message: str, **headers) -> HttpResponse:
    response = HttpResponse(f"{message}\n", status=status, content_type="text/plain; charset=utf-8")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _content_type(request) -> tuple[str, dict[str, str]]:
    from django.utils.http import parse_header_parameters

    mime, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    return mime.lower().strip(), {k.lower(): v.strip().lower() for k, v in params.items()}


def _asks_for_seq(request) -> bool:
    """Software that appends ``/seq`` to the whole address (not before the query) asks too."""
    return (request.GET.get("signature") or "").endswith("/seq")


def _params(request) -> dict:
    params = request.GET.dict()
    if params.get("signature", "").endswith("/seq"):
        params["signature"] = params["signature"][: -len("/seq")]
    return params


@csrf_exempt
@never_cache
def ingest(request):
    """``POST <address>&seq=<n>&lang=<code>``, body: caption text (``text/plain; utf-8``)."""
    if request.method == "GET" and _asks_for_seq(request):
        return seq(request)
    if request.method != "POST":
        return _text(405, _("Post caption text to this address (HTTP POST)."), Allow="POST")
    try:
        feed = captions.resolve_feed(_params(request))
        raw_seq = request.GET.get("seq")
        if not raw_seq:
            raise CaptionRefused(
                403, _("“seq” is missing: add &seq=<number> (1, 2, 3… per new post).")
            )
        try:
            number = int(raw_seq)
            if number < 0:
                raise ValueError
        except ValueError:
            raise CaptionRefused(400, _("“seq” must be a whole number (1, 2, 3…).")) from None
        language = captions.event_language(request.GET.get("lang"), feed)
        text = _caption_text(request)
        result = captions.ingest(
            feed,
            language=language,
            seq=number,
            text=text,
            provider_timestamp=request.headers.get("X-Timestamp", ""),
        )
    except CaptionRefused as refusal:
        return _text(refusal.status, str(refusal))
    if not result.applied:
        message = _("Already received (seq %(seq)d); the last accepted is %(last)d.") % {
            "seq": number,
            "last": result.last_seq,
        }
    elif result.missing:
        message = _("Accepted (seq %(seq)d); %(n)d earlier post(s) never arrived.") % {
            "seq": number,
            "n": result.missing,
        }
    else:
        message = _("Accepted (seq %(seq)d).") % {"seq": number}
    return _text(200, message, X_Last_Seq=str(result.last_seq))


def _caption_text(request) -> str:
    mime, params = _content_type(request)
    if mime in FORM_TYPES:
        raise CaptionRefused(
            400,
            _("Send caption text as text/plain; charset=utf-8, not form-encoded."),
        )
    if mime != "text/plain":
        raise CaptionRefused(
            415,
            _("Send caption text as text/plain; charset=utf-8 (this was “%(type)s”).")
            % {"type": mime or _("no content type")},
        )
    if params.get("charset", "utf-8") not in TEXT_CHARSETS:
        raise CaptionRefused(415, _("Send caption text in UTF-8 (charset=utf-8)."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > captions.MAX_BODY_BYTES:
        raise CaptionRefused(413, _("A post may carry at most 64 KiB of caption text."))
    body = request.body
    if len(body) > captions.MAX_BODY_BYTES:
        raise CaptionRefused(413, _("A post may carry at most 64 KiB of caption text."))
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise CaptionRefused(400, _("The caption text is not valid UTF-8.")) from None


@csrf_exempt
@never_cache
def seq(request):
    """``GET <address>/seq[&lang=<code>]``: the last ``seq`` accepted (to resume after a crash).

    One counter per address, whatever the language: a ``lang`` is checked (a language the
    session does not use is a 400, as for posts) but the answer is the address's number, so
    software that numbers every language's posts with one counter resumes after it.
    """
    if request.method not in ("GET", "HEAD"):
        return _text(405, _("Read the last sequence number with HTTP GET."), Allow="GET")
    try:
        feed = captions.resolve_feed(_params(request))
        language = captions.event_language(request.GET.get("lang"), feed)
    except CaptionRefused as refusal:
        return _text(refusal.status, str(refusal))
    return _text(200, str(captions.last_seq(feed, language)))


# -- the captioner's page ----------------------------------------------------------------------
class CaptionerView(RoomPageMixin, TemplateView):
    """The captioner's page: the caption address, what arrived, and the captions as shown."""

    permission = Perm.CAPTIONS_PROVIDE
    view_name = "captioner"
    features = DELEGATE_FEATURES
    panels = ["live/_caption_feed.html", "live/_captions.html"]


# -- the transcript ----------------------------------------------------------------------------
def may_read_transcript(user, meeting: Meeting) -> bool:
    """Public meetings of public events: anyone; others: the meeting's participants."""
    event = meeting.event
    if meeting.is_closed:
        return may_enter_closed_meeting(user, meeting)
    if meeting.is_public and event.is_public:
        return True
    return has_perm(user, Perm.MEETING_ATTEND, event)


class TranscriptMixin(EventPermissionMixin):
    permission = Perm.EVENT_VIEW_PUBLIC

    def get(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("event"), event=self.event, slug=kwargs["meeting"]
        )
        if not may_read_transcript(request.user, self.meeting):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        languages = list(self.event.languages)
        wanted = request.GET.get("language") or ""
        if wanted not in languages:
            wanted = self._default_language(languages)
        self.language = wanted
        return self.render(request)

    def _default_language(self, languages: list[str]) -> str:
        counts = self.counts()
        from django.utils.translation import get_language

        mine = (get_language() or "en").split("-")[0]
        if counts.get(mine):
            return mine
        if counts:
            return max(counts, key=counts.get)
        return mine if mine in languages else languages[0]

    def counts(self) -> dict[str, int]:
        if not hasattr(self, "_counts"):
            from django.db.models import Count

            rows = (
                CaptionLine.objects.filter(meeting=self.meeting)
                .exclude(text="")
                .values("language")
                .annotate(n=Count("id"))
            )
            self._counts = {row["language"]: row["n"] for row in rows}
        return self._counts

    def lines(self, query: str = ""):
        rows = (
            CaptionLine.objects.filter(meeting=self.meeting, language=self.language)
            .exclude(text="")
            .select_related("allocation__item", "speaker_entity")
            .order_by("number")
        )
        if query:
            rows = rows.filter(text__icontains=query)
        return rows

    def filename(self, extension: str) -> str:
        return f"{self.event.slug}-{self.meeting.slug}-captions-{self.language}.{extension}"


def _segments(text: str, query: str) -> list[tuple[str, bool]]:
    """The text cut into (part, matches the search) pieces, for <mark> without raw HTML."""
    if not query:
        return [(text, False)]
    parts: list[tuple[str, bool]] = []
    lower, needle, start = text.lower(), query.lower(), 0
    while (found := lower.find(needle, start)) >= 0:
        if found > start:
            parts.append((text[start:found], False))
        parts.append((text[found : found + len(query)], True))
        start = found + len(query)
    if start < len(text):
        parts.append((text[start:], False))
    return parts


def group_lines(lines, *, query: str = "") -> list[dict]:
    """Lines grouped by agenda item, and within an item by who held the floor."""
    groups: list[dict] = []
    for line in lines:
        if not groups or groups[-1]["allocation_id"] != line.allocation_id:
            groups.append(
                {
                    "allocation_id": line.allocation_id,
                    "item": line.allocation.item if line.allocation_id else None,
                    "blocks": [],
                }
            )
        blocks = groups[-1]["blocks"]
        speaker = (line.speaker_id, line.speaker_name)
        if not blocks or blocks[-1]["speaker"] != speaker:
            blocks.append(
                {
                    "speaker": speaker,
                    "speaker_name": line.speaker_name,
                    "entity": line.speaker_entity,
                    "lines": [],
                }
            )
        blocks[-1]["lines"].append({"line": line, "segments": _segments(line.text, query)})
    return groups


class TranscriptView(TranscriptMixin, TemplateView):
    """The meeting's caption transcript in one language, by agenda item, searchable."""

    template_name = "live/transcript.html"

    def render(self, request):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = (self.request.GET.get("q") or "").strip()[:200]
        lines = list(self.lines(query))
        counts = self.counts()
        context.update(
            meeting=self.meeting,
            language=self.language,
            languages=[
                {"code": code, "name": LANGUAGE_NAMES.get(code, code), "count": counts.get(code, 0)}
                for code in self.event.languages
            ],
            language_name=LANGUAGE_NAMES.get(self.language, self.language),
            query=query,
            matches=len(lines),
            groups=group_lines(lines, query=query),
            rtl=self.language == "ar",
        )
        return context


class TranscriptTextView(TranscriptMixin, View):
    """The transcript as plain text (UTF-8), times in the event's time zone."""

    def render(self, request):
        tz = zoneinfo.ZoneInfo(self.event.time_zone)
        meeting = self.meeting
        out = [
            f"{self.event.title} – {meeting.code}"
            + (f" – {meeting.title}" if meeting.title else ""),
            _("Captions (%(language)s), times in %(zone)s")
            % {"language": LANGUAGE_NAMES.get(self.language, self.language), "zone": tz.key},
            "",
        ]
        for group in group_lines(self.lines()):
            item = group["item"]
            out.append(f"== {item} ==" if item else f"== {_('Before the first agenda item')} ==")
            for block in group["blocks"]:
                if block["speaker_name"]:
                    who = block["speaker_name"]
                    if block["entity"] is not None:
                        who = f"{who} ({block['entity'].display_name})"
                    out.append(f"-- {who} --")
                for entry in block["lines"]:
                    line = entry["line"]
                    out.append(f"[{line.started_at.astimezone(tz):%H:%M:%S}] {line.text.strip()}")
            out.append("")
        response = HttpResponse("\n".join(out), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, self.filename("txt"))
        return response


def _vtt_time(delta: timedelta) -> str:
    millis = max(0, round(delta.total_seconds() * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TranscriptVttView(TranscriptMixin, View):
    """The transcript as WebVTT: cue times from the meeting's opening (else the first line)."""

    def render(self, request):
        lines = list(self.lines())
        opened = RoomState.objects.filter(pk=self.meeting.pk).values_list("opened_at", flat=True)
        origin = opened.first() or (lines[0].started_at if lines else self.meeting.starts_at)
        out = [
            "WEBVTT",
            "",
            f"NOTE {self.event.title} – {self.meeting.code}, "
            f"{LANGUAGE_NAMES.get(self.language, self.language)}; "
            f"00:00:00.000 = {origin.isoformat()}",
            "",
        ]
        for index, line in enumerate(lines):
            start = line.started_at - origin
            following = lines[index + 1].started_at if index + 1 < len(lines) else None
            end_at = following or max(line.updated_at, line.finalized_at or line.updated_at)
            end = max(end_at - origin, start + timedelta(seconds=1))
            text = _vtt_escape(line.text.strip())
            if line.speaker_name:
                text = f"<v {_vtt_escape(line.speaker_name)}>{text}"
            out += [str(line.number), f"{_vtt_time(start)} --> {_vtt_time(end)}", text, ""]
        response = HttpResponse("\n".join(out), content_type="text/vtt; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, self.filename("vtt"))
        return response
