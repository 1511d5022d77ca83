"""PDF rendering at the edge: HTML (with its CSS) to PDF bytes with WeasyPrint.

Letters by post, exit letters and the privacy summary are HTML templates rendered to
PDF here, so a letter and the web page it mirrors come from the same template. Fonts
come from the system (Debian's fonts-dejavu and fonts-liberation; `.ci/run` installs
them). Nothing is fetched over the network: only local files and inline data may be
linked from a template.
"""

from __future__ import annotations

LOCAL_PROTOCOLS = ("file", "data")


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of `html`; relative links resolve against `base_url` (a folder path)."""
    # imported here: loading pango costs a noticeable moment, and only letters need it
    from weasyprint import HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols=LOCAL_PROTOCOLS)
    pdf: bytes = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    return pdf
