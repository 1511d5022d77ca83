"""PDF from HTML (WeasyPrint). Placeholder with the Foundation's signature until
it lands on main; the Foundation's version replaces this file at the merge."""

from __future__ import annotations


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of `html` (relative links resolved against `base_url`)."""
    from weasyprint import HTML

    document: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return document
