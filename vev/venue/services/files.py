"""Uploads of the venue checked by content and size: map backgrounds, 360° stills, logos,
exhibit files. The file name never decides the type.

SVG is accepted only when it is well-formed XML without scripts, event handlers, external
references or embedded HTML; SVG files are also served with a sandboxing Content-Security-Policy
(``views.files``), so even a missed construct cannot run.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.etree import ElementTree

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..errors import VenueError

IMAGE_MAX_BYTES = 5 * 1024 * 1024
PDF_MAX_BYTES = 30 * 1024 * 1024
VIDEO_MAX_BYTES = 200 * 1024 * 1024

CONTENT_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "webm": "video/webm",
    "mp4": "video/mp4",
}
_FORBIDDEN_SVG = re.compile(rb"<!ENTITY|<!DOCTYPE", re.IGNORECASE)
_SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Checked:
    format: str
    content: ContentFile


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise VenueError(
            _("%(name)s is %(size)s; at most %(limit)s is accepted.")
            % {"name": upload.name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise VenueError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(limit)}
        )
    return data


def check_svg(data: bytes, name: str = "") -> None:
    if _FORBIDDEN_SVG.search(data):
        raise VenueError(
            _("%(name)s: SVG files with a DOCTYPE or entities are refused.") % {"name": name}
        )
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - no DTD, no entities (checked above)
    except ElementTree.ParseError as error:
        raise VenueError(
            _("%(name)s is not a valid SVG file (%(error)s).") % {"name": name, "error": error}
        ) from None
    if root.tag != f"{_SVG_NS}svg":
        raise VenueError(_("%(name)s is not an SVG image.") % {"name": name})
    for element in root.iter():
        tag = element.tag.split("}")[-1].lower()
        if tag in {"script", "foreignobject", "iframe", "embed", "object"}:
            raise VenueError(
                _("%(name)s contains active content (%(tag)s) and was refused.")
                % {"name": name, "tag": tag}
            )
        for attribute, value in element.attrib.items():
            local = attribute.split("}")[-1].lower()
            if local.startswith("on"):
                raise VenueError(
                    _("%(name)s contains scripts (%(attr)s) and was refused.")
                    % {"name": name, "attr": local}
                )
            if (
                local == "href"
                and not value.startswith("#")
                and not value.startswith("data:image/")
            ):
                raise VenueError(
                    _("%(name)s links to outside content and was refused.") % {"name": name}
                )


def sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:512].lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        return "svg"
    return None


def check_image(upload) -> Checked:
    """A map background, 360° still or logo: SVG, PNG, JPEG or WebP, at most 5 MB."""
    data = _read(upload, IMAGE_MAX_BYTES)
    fmt = sniff_image(data)
    if fmt is None:
        raise VenueError(
            _("%(name)s is not an SVG, PNG, JPEG or WebP image.") % {"name": upload.name}
        )
    if fmt == "svg":
        check_svg(data, upload.name)
    return Checked(
        fmt, ContentFile(data, name=f"{_stem(upload.name)}.{'jpg' if fmt == 'jpeg' else fmt}")
    )


def check_exhibit_file(upload) -> Checked:
    """Slides as PDF (30 MB) or a video as WebM or MP4 (200 MB)."""
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        data = _read(upload, PDF_MAX_BYTES)
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise VenueError(_("%(name)s is password-protected.") % {"name": upload.name})
            len(reader.pages)
        except (PdfReadError, ValueError, KeyError):
            raise VenueError(_("%(name)s is a damaged PDF file.") % {"name": upload.name}) from None
        return Checked("pdf", ContentFile(data, name=f"{_stem(upload.name)}.pdf"))
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        fmt = "webm"
    elif head[4:8] == b"ftyp":
        fmt = "mp4"
    else:
        raise VenueError(
            _("%(name)s is neither a PDF nor a WebM or MP4 video.") % {"name": upload.name}
        )
    data = _read(upload, VIDEO_MAX_BYTES)
    return Checked(fmt, ContentFile(data, name=f"{_stem(upload.name)}.{fmt}"))


def _stem(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", (name or "file").rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return stem.strip("-")[:60] or "file"


def format_of(field_file) -> str | None:
    name = (field_file.name or "").lower()
    for fmt, ext in (
        ("svg", ".svg"),
        ("png", ".png"),
        ("jpeg", ".jpg"),
        ("webp", ".webp"),
        ("pdf", ".pdf"),
        ("webm", ".webm"),
        ("mp4", ".mp4"),
    ):
        if name.endswith(ext):
            return fmt
    return None
