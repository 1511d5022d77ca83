"""Letters by post (issue 21.2) for every "post" household of the demo gemeente.

A copy of the demo's 91 nights (tests/demo_once.py, shared), then `hhb letters` for
November; the PDF's text (pypdf) is checked against the database: which
households got a letter, every leefgeld release and paid charge with its date
and amount, the month's totals, the buffer in days, the page count and that
each letter starts on an odd page; and the address sits in the envelope window.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader
from sqlalchemy import Engine, select

from cli import letters_cmd
from cli.main import main as hhb
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_households,
    open_database,
)
from huishoudboekje.adapters.persistence.tables import (
    JournalEntryRow,
    PostingRow,
    table_of,
)
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import Contact, Household
from huishoudboekje.domain.money import Money
from huishoudboekje.services.household_status import household_status
from huishoudboekje.services.letters import letters_pdf, month_letter, post_households
from huishoudboekje.services.overview import Movement
from huishoudboekje.services.user_accounts import Role
from tests.demo_once import demo_copy
from tests.web_fixtures import WebEnv, add_test_user, make_app
from web.formatting import day
from web.letters import letters_html

MONTH = date(2026, 11, 1)
PRINTED = date(2026, 12, 1)
MM = 72 / 25.4  # PDF points per millimetre
_ENTRY, _POSTING = table_of(JournalEntryRow), table_of(PostingRow)


@pytest.fixture(scope="module")
def demo() -> Iterator[str]:
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and shm.stat().st_mode & 0o002 else None
    root = Path(tempfile.mkdtemp(prefix="hhb-letters-", dir=base))
    try:
        yield demo_copy(root)  # this module writes (letters' audit events, an account)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def engine(demo: str) -> Iterator[Engine]:
    engine = open_database(demo)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pdf(demo: str, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    out = tmp_path_factory.mktemp("letters") / "november.pdf"
    code = hhb(
        [
            "letters",
            "--month",
            "2026-11",
            "-o",
            str(out),
            "--date",
            "2026-12-01",
            "--database",
            demo,
        ]
    )
    assert code == 0
    return PdfReader(out)


def _post_households(engine: Engine) -> list[Household]:
    """The demo's households by post, read plainly (not through the letters service)."""
    with UnitOfWork(engine) as uow:
        households = load_households(uow)
    return [h for h in households if h.contact is Contact.POST]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _letters(reader: PdfReader) -> dict[str, tuple[int, list[str]]]:
    """Household code -> (index of its first page, the text of each of its pages)."""
    starts: list[tuple[str, int]] = []
    pages = [page.extract_text() for page in reader.pages]
    for index, text in enumerate(pages):
        found = re.search(r"Beste .*?\n", text)
        if found:
            ref = re.search(r"Kenmerk: (HH-\d{4}), november 2026", text)
            assert ref is not None, index
            starts.append((ref.group(1), index))
    out: dict[str, tuple[int, list[str]]] = {}
    for n, (code, first) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(pages)
        # a blank back: WeasyPrint's says so at the bottom, a joined part's is empty
        out[code] = (first, [p for p in pages[first:end] if p.strip() and "expres leeg" not in p])
    return out


def _month_postings(engine: Engine, code: str, kind: str) -> list[tuple[date, Decimal]]:
    """(day, amount out of the vat) of the household's entries of `kind` in November."""
    statement = (
        select(_ENTRY.c.day, _POSTING.c.amount)
        .select_from(_POSTING.join(_ENTRY, _ENTRY.c.seq == _POSTING.c.entry_seq))
        .where(
            _POSTING.c.account_kind == "vat",
            _POSTING.c.household == code,
            _ENTRY.c.kind == kind,
            _ENTRY.c.day.between(MONTH, date(2026, 11, 30)),
        )
    )
    with UnitOfWork(engine) as uow:
        return [(row[0], row[1]) for row in uow.read(statement)]


def _positions(page: PageObject, wanted: str) -> list[tuple[float, float]]:
    """Where each text run `wanted` starts: mm from the left, mm from the top."""
    height = float(page.mediabox.height)
    seen: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() == wanted:
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            seen.append((x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return seen


def test_the_demo_has_households_by_post(engine: Engine) -> None:
    codes = [h.code for h in _post_households(engine)]
    assert len(codes) >= 3
    with UnitOfWork(engine) as uow:
        assert list(post_households(uow, MONTH)) == sorted(codes)


def test_every_household_by_post_gets_one_letter_on_an_odd_page(
    engine: Engine, pdf: PdfReader
) -> None:
    letters = _letters(pdf)
    assert sorted(letters) == sorted(h.code for h in _post_households(engine))
    for code, (first, pages) in letters.items():
        assert first % 2 == 0, f"{code} starts on page {first + 1}"  # pages 1, 3, 5, ...
        assert 1 <= len(pages) <= 2, (code, len(pages))
    assert len(pdf.pages) % 2 == 0 or len(pdf.pages) == max(f for f, _ in letters.values()) + 1


def test_amounts_and_dates_in_each_letter_are_the_ledgers(engine: Engine, pdf: PdfReader) -> None:
    letters = _letters(pdf)
    for household in _post_households(engine):
        text = _flat(" ".join(letters[household.code][1]))
        assert household.name in text
        leefgeld = _month_postings(engine, household.code, "instruct_leefgeld")
        charges = _month_postings(engine, household.code, "instruct_charge")
        assert leefgeld and charges, household.code
        for when, amount in leefgeld:
            assert f"{day(when)} leefgeld {eur(Money(amount))}" in text, (household.code, when)
        for when, amount in charges:
            assert day(when) in text and eur(Money(amount)) in text, (household.code, when)
        paid_leefgeld = sum((a for _, a in leefgeld), Decimal(0))
        paid_charges = sum((a for _, a in charges), Decimal(0))
        assert f"Leefgeld betaald {eur(Money(paid_leefgeld))}" in text, household.code
        assert f"Vaste lasten betaald {eur(Money(paid_charges))}" in text, household.code
        assert "Volgende maand: december 2026" in text
        with UnitOfWork(engine) as uow:
            status = household_status(uow, household.code, PRINTED)
        assert status.buffer is not None and status.buffer.days is not None
        assert f"ongeveer {status.buffer.days} dagen" in text, household.code
        assert f"Uw leefgeld is {eur(status.leefgeld_rate)} per week" in text, household.code
        for line in household.address.lines() if household.address else ():
            assert _flat(line) in text, (household.code, line)
        assert "Bel " in text and "14 099" in text  # whom to call, from the letterhead


def test_the_address_sits_in_the_envelope_window(engine: Engine, pdf: PdfReader) -> None:
    letters = _letters(pdf)
    for household in _post_households(engine):
        seen = _positions(pdf.pages[letters[household.code][0]], household.name)
        # the name's baseline; the window runs 20-105 mm from the left, 50-90 mm down
        inside = [(x, y) for x, y in seen if 19.5 <= x <= 105 and 50 <= y <= 90]
        assert inside, (household.code, seen)


def test_a_long_letter_pushes_the_next_one_to_an_odd_page(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        codes = post_households(uow, MONTH)
        first = month_letter(uow, codes[0], MONTH, PRINTED)
        second = month_letter(uow, codes[1], MONTH, PRINTED)
    blanks = 0
    for count in (25, 40, 55, 70):  # lengthen the first letter until it runs to 3 pages
        many = tuple(
            Movement(MONTH + timedelta(days=n % 28), f"leefgeld {n}", Money("1.00"))
            for n in range(count)
        )
        long = replace(first, overview=replace(first.overview, leefgeld=many))
        reader = PdfReader(io.BytesIO(letters_pdf(letters_html([long, second]))))
        texts = [page.extract_text() for page in reader.pages]
        starts = [i for i, text in enumerate(texts) if "Beste " in text]
        assert len(starts) == 2 and starts[0] == 0 and starts[1] % 2 == 0, (count, starts)
        own = [t for t in texts[: starts[1]] if "expres leeg" not in t]
        if len(own) % 2:  # an odd number of pages: the back of the last one stays blank
            assert "expres leeg" in texts[starts[1] - 1]
            blanks += 1
    assert blanks, "no length gave a letter of an odd number of pages"


def test_a_print_run_in_parts_gives_the_same_letters(
    demo: str, pdf: PdfReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(letters_cmd, "LETTERS_PER_PART", 1)  # every letter its own part
    out = tmp_path / "parts.pdf"
    args = ["letters", "--month", "2026-11", "-o", str(out), "--date", "2026-12-01"]
    assert hhb([*args, "--database", demo]) == 0
    parts = _letters(PdfReader(out))
    whole = _letters(pdf)
    assert sorted(parts) == sorted(whole)
    for code, (first, pages) in parts.items():
        assert first % 2 == 0, code
        assert [_flat(p) for p in pages] == [_flat(p) for p in whole[code][1]]


def test_hhb_letters_refuses_bad_input_in_one_line(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    args = ["letters", "-o", str(out), "--date", "2026-12-01", "--database", demo]
    assert hhb([*args, "--month", "2027-01"]) == 2
    assert "toekomst" in capsys.readouterr().err
    assert hhb([*args, "--month", "2026-11", "--household", "HH-9999"]) == 2
    assert "HH-9999" in capsys.readouterr().err
    missing = ["letters", "--month", "2026-11", "-o", str(tmp_path / "nope" / "x.pdf")]
    assert hhb([*missing, "--database", demo]) == 2
    err = capsys.readouterr().err
    assert "bestaat niet" in err and "Traceback" not in err
    assert not out.exists()


def test_staff_download_one_households_letter(engine: Engine, demo: str, pdf: PdfReader) -> None:
    """(`pdf`: `hhb letters` ran first, its audit events are there too.)"""
    with UnitOfWork(engine) as uow:
        add_test_user(
            uow,
            "mira",
            Role.MEDEWERKER,
            now=datetime(2026, 12, 1, 9, tzinfo=UTC),
            team="Team Noord",  # the demo's team: need-to-know lets her see its households
        )
        code = post_households(uow, MONTH)[0]
    app = make_app(demo, HHB_TODAY=PRINTED.isoformat())
    try:
        client = WebEnv(app, app.extensions["hhb_engine"], demo).client("mira")
        page = client.get(f"/medewerker/huishouden/{code}").data.decode()
        assert f"/medewerker/huishouden/{code}/brief.pdf" in page
        response = client.get(f"/medewerker/huishouden/{code}/brief.pdf")  # last month
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert f"brief-{code}-2026-11.pdf" in response.headers["Content-Disposition"]
        text = _flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages))
        assert f"Kenmerk: {code}, november 2026" in text
        assert (
            client.get(f"/medewerker/huishouden/{code}/brief.pdf?maand=2027-01").status_code == 400
        )
        assert client.get("/medewerker/huishouden/HH-9999/brief.pdf").status_code == 404
    finally:
        app.extensions["hhb_engine"].dispose()
