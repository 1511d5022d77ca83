"""A print run rendered in parts and joined keeps every part on an odd page."""

from __future__ import annotations

import io

from pypdf import PdfReader

from huishoudboekje.services.letters import joined_pdf, letters_pdf


def _pages(name: str, count: int) -> bytes:
    body = "".join(
        f'<p style="break-before: page">{name} {n}</p>' if n else f"<p>{name} {n}</p>"
        for n in range(count)
    )
    return letters_pdf(f"<!doctype html><html><body>{body}</body></html>")


def test_each_part_starts_on_an_odd_page() -> None:
    parts = [_pages("een", 1), _pages("twee", 2), _pages("drie", 3)]
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(joined_pdf(parts))).pages]
    assert len(texts) == 7  # 1 + blank, 2, 3 (no blank after the last)
    assert [i for i, t in enumerate(texts) if t.endswith(" 0")] == [0, 2, 4]
    assert texts[1] == ""  # the blank back of part one
    assert "drie 2" in texts[6]


def test_one_part_is_itself() -> None:
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(joined_pdf([_pages("a", 2)]))).pages]
    assert texts == ["a 0", "a 1"]
