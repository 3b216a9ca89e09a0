"""Small writers for files vev generates itself: DOCX templates and plain PDF pages.

The DOCX writer produces a minimal WordprocessingML package (what Word, LibreOffice and pandoc
open); ``pages`` is written into ``docProps/app.xml`` when the caller knows it. The PDF writer
makes simple text pages in Helvetica (Latin-1), fast enough to generate the demo documents; the
exports use WeasyPrint for real layout.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""  # "title", "heading", "label", "" (body), "box" (bordered empty box)


def _run(text: str, *, bold: bool = False, size: int | None = None) -> str:
    props = ""
    if bold or size:
        props = "<w:rPr>" + ("<w:b/>" if bold else "")
        props += f'<w:sz w:val="{size}"/>' if size else ""
        props += "</w:rPr>"
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(paragraph: Paragraph) -> str:
    if paragraph.style == "title":
        return f"<w:p>{_run(paragraph.text, bold=True, size=32)}</w:p>"
    if paragraph.style == "heading":
        return f"<w:p>{_run(paragraph.text, bold=True, size=26)}</w:p>"
    if paragraph.style == "label":
        return f"<w:p>{_run(paragraph.text, bold=True)}</w:p>"
    if paragraph.style == "box":
        border = (
            '<w:pPr><w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="auto"/>'
            '<w:left w:val="single" w:sz="4" w:space="4" w:color="auto"/>'
            '<w:bottom w:val="single" w:sz="4" w:space="1" w:color="auto"/>'
            '<w:right w:val="single" w:sz="4" w:space="4" w:color="auto"/></w:pBdr></w:pPr>'
        )
        return f"<w:p>{border}{_run(paragraph.text)}</w:p>"
    return f"<w:p>{_run(paragraph.text)}</w:p>"


def docx_bytes(paragraphs: list[Paragraph], *, title: str = "", pages: int | None = None) -> bytes:
    body = "".join(_paragraph(p) for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1418" w:right="1134" w:bottom="1418" w:left="1134" w:header="720" '
        'w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )
    pages_xml = f"<Pages>{pages}</Pages>" if pages else ""
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties"><Application>vev</Application>{pages_xml}</Properties>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>vev</dc:creator></cp:coreProperties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", rels)
        package.writestr("word/document.xml", document)
        package.writestr("docProps/app.xml", app)
        package.writestr("docProps/core.xml", core)
    return buffer.getvalue()


def _pdf_text(text: str) -> str:
    latin = text.encode("latin-1", "replace").decode("latin-1")
    return latin.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title: str, lines: list[str], *, pages: int = 1) -> bytes:
    """A valid PDF of ``pages`` A4 pages: the title on each page, then the wrapped lines."""
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, 90) or [""])
    per_page = max(1, -(-len(wrapped) // pages))
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    next_id = 4
    page_objects: list[tuple[int, int, bytes]] = []
    for index in range(pages):
        chunk = wrapped[index * per_page : (index + 1) * per_page]
        ops = ["BT", "/F1 16 Tf", "56 790 Td", f"({_pdf_text(title)}) Tj", "/F1 10 Tf", "0 -28 Td"]
        for line in chunk:
            ops.append(f"({_pdf_text(line)}) Tj")
            ops.append("0 -14 Td")
        ops.append(f"(Page {index + 1} of {pages}) Tj")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        page_ids.append(page_id)
        page_objects.append((page_id, content_id, stream))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for _page_id, content_id, stream in page_objects:
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
