"""Join PDFs for double-sided printing (letters by post, issue 21.2).

`hhb letters` renders a print run in parts (WeasyPrint's memory grows with the
document) and joins them here; a part with an odd number of pages gets a blank
page after it, so the next part's first letter still starts on an odd page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfReader, PdfWriter


def join_for_duplex(parts: Iterable[bytes]) -> bytes:
    """One PDF of `parts` in order; every part starts on an odd page."""
    writer = PdfWriter()
    for part in parts:
        if len(writer.pages) % 2:
            writer.add_blank_page()  # the back of the previous part's last page
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
