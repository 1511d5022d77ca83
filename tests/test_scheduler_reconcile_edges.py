"""Two reconciliation edges that used to leave money in flight.

(a) a return for a payment whose debit we never saw (the statement with the
    debit never reached us): the return must close in flight → bank as well;
(b) a debit carrying our EndToEndId for another amount than instructed: the
    instruction is settled for what left, the difference goes to suspense with a
    "bedrag wijkt af" signal.

After every night: the ledger's bank equals the bank's closing balance (checked
by `run_days`), every entry balances, and in flight holds exactly the payments
that are still pending (`conservation`).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url, load_ledger
from huishoudboekje.adapters.persistence.nightly_repo import instruction_rows
from huishoudboekje.domain import ledger
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money
from tests.camt_writer import CamtStatement, write_camt053
from tests.nightly_bank import Bank
from tests.nightly_support import SAMPLE, days, hhb
from tests.test_cli_nightly import ledger_bank, run_days
from tests.test_scheduler_extras import conservation

FIRST, SETTLE = date(2026, 2, 21), date(2026, 2, 27)
STATEMENT_DAY, NIGHT = date(2026, 2, 26), date(2026, 2, 27)  # the night reads the day before


@pytest.fixture
def db(db_url: str) -> str:
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    return db_url


def check(db: str) -> tuple[dict[str, tuple[str, Money]], Money, Money]:
    """Conservation; then each instruction's (status, amount), suspense and in flight."""
    engine = create_engine_from_url(db)
    try:
        conservation(engine)
        with UnitOfWork(engine) as uow:
            rows = {r.end_to_end_id: (r.status, Money(r.amount)) for r in instruction_rows(uow)}
            book = load_ledger(uow)
        return rows, book.balance(ledger.SUSPENSE), book.balance(ledger.IN_FLIGHT)
    finally:
        engine.dispose()


def leefgeld_due(bank: Bank, household: str, day: date) -> str:
    """A leefgeld payment the bank will execute on `day`."""
    return next(
        e2e
        for e2e, p in sorted(bank.pending.items())
        if e2e.startswith(f"{household}-LG") and p.execution_date <= day
    )


def test_a_return_whose_debit_we_never_saw_clears_in_flight(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var, bank = tmp_path / "var", Bank()
    run_days(bank, db, var, capsys, days(FIRST, STATEMENT_DAY))
    e2e = leefgeld_due(bank, "HH-0002", STATEMENT_DAY)
    payment = bank.pending.pop(e2e)
    # the bank executed it on a statement that never reached us, then it came back
    bank.balance = bank.balance - payment.amount
    bank.extra[STATEMENT_DAY] = [
        BankTransaction(
            booking_date=STATEMENT_DAY,
            value_date=STATEMENT_DAY,
            amount=payment.amount,
            counterparty_name="Fam. de Vries",
            end_to_end_id=e2e,
            original_end_to_end_id=e2e,
            is_return=True,
            return_reason="AC04",
            description="Retour",
            bank_reference="RETOUR-1",
        )
    ]
    reports = run_days(bank, db, var, capsys, days(NIGHT, SETTLE))
    assert reports[NIGHT]["returned"] == 1
    rows, suspense, _in_flight = check(db)
    assert rows[e2e] == ("returned", payment.amount)
    assert suspense == Money("50.00")  # only the unknown gift of the shared scenario

    # the statement with the debit turns up after all: the return already booked it
    before = ledger_bank(db)
    late = CamtStatement(
        bank.account,
        bank.closings[STATEMENT_DAY - timedelta(days=1)],
        (
            (
                BankTransaction(
                    booking_date=STATEMENT_DAY,
                    value_date=STATEMENT_DAY,
                    amount=-payment.amount,
                    counterparty_name="Fam. de Vries",
                    end_to_end_id=e2e,
                    description="Leefgeld",
                    bank_reference="LAAT-1",
                ),
            ),
        ),
        statement_id="STMT-LAAT",
    )
    path = tmp_path / "camt053-laat.xml"
    path.write_bytes(write_camt053([late]))
    capsys.readouterr()
    assert hhb("import", str(path), "--json", db=db) == 0
    assert ledger_bank(db) == before
    rows, suspense, _in_flight = check(db)
    assert rows[e2e] == ("returned", payment.amount)
    assert suspense == Money("50.00")  # not an unknown debit


@pytest.mark.parametrize("delta", ["1.00", "-1.00"])
def test_a_debit_for_another_amount_settles_and_parks_the_difference(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], delta: str
) -> None:
    var, bank = tmp_path / "var", Bank()
    run_days(bank, db, var, capsys, days(FIRST, STATEMENT_DAY))
    e2e = leefgeld_due(bank, "HH-0002", STATEMENT_DAY)
    payment = bank.pending.pop(e2e)
    left = payment.amount + Money(delta)
    bank.extra[STATEMENT_DAY] = [
        BankTransaction(
            booking_date=STATEMENT_DAY,
            value_date=STATEMENT_DAY,
            amount=-left,
            counterparty_name="Fam. de Vries",
            end_to_end_id=e2e,
            description="Leefgeld",
            bank_reference="AFWIJKEND-1",
        )
    ]
    reports = run_days(bank, db, var, capsys, days(NIGHT, SETTLE))
    report = reports[NIGHT]
    assert report["settled"] >= 1
    rows, suspense, _in_flight = check(db)
    assert rows[e2e] == ("paid", payment.amount)
    # more left than instructed: suspense owes it (negative); less: suspense holds it
    assert suspense == Money("50.00") - Money(delta)
    [signal] = [s for s in report["signals"] if e2e in s["message"]]
    assert "bedrag wijkt af" in signal["message"]
