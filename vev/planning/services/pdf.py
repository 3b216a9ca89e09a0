"""Render HTML to PDF with WeasyPrint (Pango; fonts from the system, see .ci/run).

Templates for PDFs inline their styles and reference no external resource; the URL fetcher
refuses every fetch so rendering never touches the network.
"""

from __future__ import annotations


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"PDF rendering does not fetch resources ({url})")


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
