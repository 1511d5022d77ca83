"""A monthly CSV arriving before that month's daily CAMT files raises no false
"ontbrekend afschrift" (issue 18, point 9).

The bank's monthly CSV export (20 to 27 February) comes in first; then the
daily CAMT.053 files of those days arrive, among them the statement of a day
without bookings (23 February). That day lies inside the stored CSV: it continues
nothing and misses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import UnitOfWork, open_database
from huishoudboekje.adapters.persistence.nightly_repo import bank_balance, signal_rows
from huishoudboekje.domain.money import Money
from scheduler.context import NightContext, NightPaths
from scheduler.nightly import STAGES, run_stages
from tests.nightly_bank import GEMEENTE_IBAN
from tests.nightly_support import SAMPLE, hhb
from tests.test_scheduler_stages import camt, gift

HEADER = (
    '"IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum","Bedrag","Saldo na trn",'
    '"Tegenrekening IBAN/BBAN","Naam tegenpartij","Naam uiteindelijke partij",'
    '"Naam initiërende partij","BIC tegenpartij","Code","Batch ID","Transactiereferentie",'
    '"Machtigingskenmerk","Incassant ID","Betalingskenmerk","Omschrijving-1","Omschrijving-2",'
    '"Omschrijving-3","Reden retour","Oorspr bedrag","Oorspr munt","Koers"'
)


def daily_camt(folder: Path, day: date, opening: str, txs: list[Any]) -> Path:
    """The day's CAMT.053 as banks send it: with its period (FrToDt) = that day."""
    path = camt(folder, day, opening, txs)
    document = etree.fromstring(path.read_bytes())
    namespace = etree.QName(document).namespace
    for statement in document.iter(f"{{{namespace}}}Stmt"):
        created = statement.find(f"{{{namespace}}}CreDtTm")
        assert created is not None
        period = etree.Element(f"{{{namespace}}}FrToDt")
        etree.SubElement(period, f"{{{namespace}}}FrDtTm").text = f"{day}T00:00:00+01:00"
        etree.SubElement(period, f"{{{namespace}}}ToDtTm").text = f"{day}T23:59:59+01:00"
        created.addnext(period)
    path.write_bytes(etree.tostring(document, xml_declaration=True, encoding="UTF-8"))
    return path


def rabo_row(number: int, day: date, amount: str, balance: str, ref: str) -> str:
    return (
        f'"{GEMEENTE_IBAN}","EUR","ABNANL2A","{number:018d}","{day}","{day}","+{amount}",'
        f'"+{balance}","NL39RABO0300065264","Onbekende gever","","","RABONL2U","cb","",'
        f'"{ref}","","","","gift {ref}","","","","","",""'
    )


@pytest.fixture
def engine(db_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[Engine]:
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    capsys.readouterr()
    opened = open_database(db_url)
    try:
        yield opened
    finally:
        opened.dispose()


def run(engine: Engine, var: Path, night: date, *files: Path) -> None:
    paths = NightPaths.under(var)
    paths.create()
    run_stages(NightContext(engine, night, paths, files=list(files)), STAGES[:5], record=False)


def open_kinds(engine: Engine) -> list[str]:
    with UnitOfWork(engine) as uow:
        return sorted(row.kind for row in signal_rows(uow))


def test_daily_camt_files_after_the_monthly_csv_raise_no_missing_statement(
    engine: Engine, tmp_path: Path
) -> None:
    d19, d20, d23, d27 = (date(2026, 2, d) for d in (19, 20, 23, 27))
    run(
        engine,
        tmp_path / "var",
        date(2026, 2, 20),
        camt(tmp_path, d19, "1000.00", [gift(d19, "50.00", "R1")]),
    )
    monthly = tmp_path / "rabobank-februari.csv"
    monthly.write_text(
        "\n".join(
            [
                HEADER,
                rabo_row(1, d20, "20,00", "1070,00", "R2"),
                rabo_row(2, d27, "30,00", "1100,00", "R3"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    run(engine, tmp_path / "var", date(2026, 2, 28), monthly)
    assert bank(engine) == Money("1100.00")
    assert "ontbrekend_afschrift" not in open_kinds(engine)

    # the daily files of the same days arrive after it
    run(
        engine,
        tmp_path / "var",
        date(2026, 3, 1),
        daily_camt(tmp_path, d20, "1050.00", [gift(d20, "20.00", "R2")]),
    )
    run(engine, tmp_path / "var", date(2026, 3, 1), daily_camt(tmp_path, d23, "1070.00", []))
    run(
        engine,
        tmp_path / "var",
        date(2026, 3, 1),
        daily_camt(tmp_path, d27, "1070.00", [gift(d27, "30.00", "R3")]),
    )
    assert bank(engine) == Money("1100.00")  # nothing twice
    assert "ontbrekend_afschrift" not in open_kinds(engine)


def test_a_real_gap_is_still_signalled(engine: Engine, tmp_path: Path) -> None:
    d19, d23 = date(2026, 2, 19), date(2026, 2, 23)
    run(
        engine,
        tmp_path / "var",
        date(2026, 2, 20),
        camt(tmp_path, d19, "1000.00", [gift(d19, "50.00", "R1")]),
    )
    run(engine, tmp_path / "var", date(2026, 2, 24), daily_camt(tmp_path, d23, "1070.00", []))
    assert "ontbrekend_afschrift" in open_kinds(engine)


def bank(engine: Engine) -> Money:
    with UnitOfWork(engine) as uow:
        return bank_balance(uow)
