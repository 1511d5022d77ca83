"""Whether uploaded bytes are a PDF that opens (a signed consent, issue 19.3)."""

from __future__ import annotations

import io
import logging
import warnings

from pypdf import PdfReader
from pypdf.errors import PyPdfError


def pdf_opens(data: bytes) -> bool:
    """True when pypdf can read the document and count its pages (at least one)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is our answer, not noise
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            return len(reader.pages) > 0
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError):
        return False
    except RecursionError:
        return False
