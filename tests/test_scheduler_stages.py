"""Edge cases of the nightly stages, driven in-process on a configured gemeente.

Each test writes a few tiny CAMT.053 statements and runs only the stages it
needs (mostly import → book), so they stay fast on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from huishoudboekje import ledger
from huishoudboekje.banking import BankTransaction
from huishoudboekje.money import Money
from huishoudboekje.nightly_services import assign_transaction
from huishoudboekje.persistence import UnitOfWork, load_ledger, open_database
from huishoudboekje.persistence.nightly_repo import bank_balance, signal_rows, transactions
from scheduler.context import NightContext, NightPaths
from scheduler.nightly import STAGES, run_stages
from tests.camt_writer import CamtStatement, write_camt053
from tests.nightly_bank import GEMEENTE_IBAN
from tests.nightly_support import SAMPLE, hhb

D19, D20, D21 = date(2026, 2, 19), date(2026, 2, 20), date(2026, 2, 21)


@pytest.fixture
def engine(db_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[Engine]:
    """A database with the demo gemeente configured."""
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    capsys.readouterr()
    opened = open_database(db_url)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def paths(tmp_path: Path) -> NightPaths:
    made = NightPaths.under(tmp_path / "var")
    made.create()
    return made


def gift(day: date, amount: str, ref: str) -> BankTransaction:
    """A credit nobody expects (it goes to suspense)."""
    return BankTransaction(
        booking_date=day,
        value_date=day,
        amount=Money(amount),
        counterparty_name="Onbekende gever",
        counterparty_iban="NL39RABO0300065264",
        description=f"gift {ref}",
        bank_reference=ref,
    )


def camt(folder: Path, day: date, opening: str, txs: list[BankTransaction]) -> Path:
    """The day's CAMT.053 of the gemeente's account, written into `folder`."""
    entries = tuple((tx,) for tx in txs)
    statement = CamtStatement(GEMEENTE_IBAN, Money(opening), entries, f"STMT-{day:%Y%m%d}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"camt053-{day:%Y%m%d}.xml"
    path.write_bytes(write_camt053([statement]))
    return path


def run(engine: Engine, paths: NightPaths, night: date, *files: Path, upto: int = 5) -> None:
    """Stages import → book (or the first `upto`) for `files`, or for the inbox."""
    ctx = NightContext(engine, night, paths, files=list(files) if files else None)
    run_stages(ctx, STAGES[:upto], record=False)


def bank(engine: Engine) -> Money:
    with UnitOfWork(engine) as uow:
        return bank_balance(uow)


def open_kinds(engine: Engine) -> list[str]:
    with UnitOfWork(engine) as uow:
        return sorted(row.kind for row in signal_rows(uow))


def test_a_credit_assigned_before_it_was_booked_still_reaches_the_bank_account(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    # the night stops (crash) right after `match`; staff assign the credit from its
    # signal before the re-run books it
    statement = camt(tmp_path, D19, "1000.00", [gift(D19, "50.00", "R1")])
    run(engine, paths, D20, statement, upto=3)
    with UnitOfWork(engine) as uow:
        key = transactions(uow)[0].dedupe_key
    with UnitOfWork(engine) as uow:
        assign_transaction(uow, key, "HH-0003", None, actor="test", today=D20)
    run(engine, paths, D20)

    with UnitOfWork(engine) as uow:
        book = load_ledger(uow)
    assert bank(engine) == Money("1050.00")
    assert book.balance(ledger.SUSPENSE) == Money("0.00")
    assert book.balance(ledger.vat("HH-0003")) == Money("50.00")
    assert "saldo_verschil" not in open_kinds(engine)
