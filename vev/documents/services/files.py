"""Checking uploaded files by content and size, counting their pages, storing them atomically.

A file is accepted when its bytes are a PDF (``%PDF-`` and readable by pypdf) or a DOCX (a ZIP
package with a WordprocessingML main part); the file name does not matter. Pages: pypdf for PDF;
for DOCX the ``<Pages>`` that Word writes into ``docProps/app.xml``, otherwise an estimate from
the words and page breaks, labelled as such.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..errors import DocumentsError
from ..models import FileFormat

#: Limits (bytes): documents of the secretariat, contributions of Member States.
DOCUMENT_MAX_BYTES = 30 * 1024 * 1024
CONTRIBUTION_MAX_BYTES = 10 * 1024 * 1024
#: Estimate for DOCX files without page statistics: words on a typical A4 page.
WORDS_PER_PAGE = 500
_MAX_PART_BYTES = 50 * 1024 * 1024  # refuse ZIP bombs before inflating
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


@dataclass(frozen=True)
class CheckedFile:
    format: str
    data: bytes
    size: int
    sha256: str
    page_count: int | None
    pages_estimated: bool
    original_name: str


def _read(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DocumentsError(_too_large(size, max_bytes))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DocumentsError(_too_large(len(data), max_bytes))
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return _("The file is too large (%(size)s); the limit is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(max_bytes),
    }


def check_file(upload, *, max_bytes: int = DOCUMENT_MAX_BYTES) -> CheckedFile:
    """Read ``upload`` (a Django UploadedFile or any file-like object) and check it."""
    name = getattr(upload, "name", "") or ""
    data = _read(upload, max_bytes)
    if not data:
        raise DocumentsError(_("The file “%(name)s” is empty.") % {"name": name})
    if data.startswith(b"%PDF-"):
        pages, estimated = _pdf_pages(data, name), False
        fmt = FileFormat.PDF
    elif data.startswith(b"PK\x03\x04"):
        pages, estimated = _docx_pages(data, name)
        fmt = FileFormat.DOCX
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentsError(
            _(
                "“%(name)s” is an old Word (.doc) or Office 97–2003 file. Save it as DOCX or "
                "PDF and upload it again."
            )
            % {"name": name}
        )
    else:
        raise DocumentsError(
            _("“%(name)s” is neither a PDF nor a Word (DOCX) file. Only PDF and DOCX are accepted.")
            % {"name": name}
        )
    return CheckedFile(
        format=fmt,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=pages,
        pages_estimated=estimated,
        original_name=name[-255:],
    )


def _pdf_pages(data: bytes, name: str) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentsError(
                _("“%(name)s” is protected by a password. Upload it without protection.")
                % {"name": name}
            )
        pages = len(reader.pages)
    except DocumentsError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError) as error:
        raise DocumentsError(
            _("“%(name)s” looks like a PDF but cannot be read; it may be damaged or incomplete.")
            % {"name": name}
        ) from error
    if pages < 1:
        raise DocumentsError(_("“%(name)s” has no pages.") % {"name": name})
    return pages


def _docx_pages(data: bytes, name: str) -> tuple[int, bool]:
    damaged = _("“%(name)s” is a ZIP file but not a readable Word (DOCX) document.") % {
        "name": name
    }
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise DocumentsError(damaged)
        for info in package.infolist():
            if info.file_size > _MAX_PART_BYTES:
                raise DocumentsError(damaged)
        types = package.read("[Content_Types].xml").decode("utf-8", "replace")
        if _DOCM_MAIN in types:
            raise DocumentsError(
                _("“%(name)s” contains macros (DOCM). Save it as a plain DOCX without macros.")
                % {"name": name}
            )
        if _DOCX_MAIN not in types:
            raise DocumentsError(damaged)
        if "docProps/app.xml" in names:
            app = package.read("docProps/app.xml").decode("utf-8", "replace")
            match = re.search(r"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>", app)
            if match and int(match.group(1)) > 0:
                return int(match.group(1)), False
        body = package.read("word/document.xml").decode("utf-8", "replace")
    except DocumentsError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError) as error:
        raise DocumentsError(damaged) from error
    return estimate_docx_pages(body), True


def estimate_docx_pages(document_xml: str) -> int:
    """Words / WORDS_PER_PAGE, at least the number of explicit page breaks + 1."""
    text = " ".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", document_xml))
    words = len(text.split())
    breaks = len(re.findall(r"<w:br\b[^>]*w:type=\"page\"", document_xml))
    breaks += len(re.findall(r"<w:pageBreakBefore\b", document_xml))
    return max(1, math.ceil(words / WORDS_PER_PAGE), breaks + 1)


@contextmanager
def atomic_storage() -> Iterator[list[str]]:
    """Collect the names of files stored in the block; if the block fails they are deleted.

    Used inside the service's transaction: files are written only after every check passed, so
    an upload is recorded whole or not at all. If the transaction the block belongs to is rolled
    back later (an error after the block, a caller's savepoint, a failed COMMIT), the files no
    row names are removed by the worker's hourly sweep (``vev.core.uploads``): they are never
    linked from anywhere in the meantime.
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            with contextlib.suppress(OSError):  # best effort: the original error matters
                default_storage.delete(name)
        raise


def save_to(field_file, checked: CheckedFile, stored: list[str]) -> None:
    """Save ``checked`` into a model's FileField (without saving the model)."""
    field_file.save(f"upload.{checked.format}", ContentFile(checked.data), save=False)
    stored.append(field_file.name)
