"""Signed-consent PDFs for the consent tests (made with pypdf, so they open)."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart


def signed_pdf(extra_bytes: int = 0) -> bytes:
    """A one-page PDF; `extra_bytes` of padding after it make it larger (still a PDF)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Toestemming budgetbeheer"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue() + b"\n%" + b"x" * extra_bytes + b"\n"


def multipart(fields: dict[str, object]) -> dict[str, object]:
    """Keyword arguments for a test client POST of a form with files, encoded in memory
    (the test client's own encoder spools large files to a temporary file it leaves
    open, which `filterwarnings = error` turns into a failure). A file is given as
    (bytes, file name)."""
    values = MultiDict()
    for name, value in fields.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, tuple):
                data, filename = item
                values.add(
                    name,
                    FileStorage(
                        io.BytesIO(data), filename=filename, content_type="application/pdf"
                    ),
                )
            else:
                values.add(name, str(item))
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}
