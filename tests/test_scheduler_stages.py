"""Edge cases of the nightly stages, driven in-process on a configured gemeente.

Each test writes a few tiny CAMT.053 statements and runs only the stages it
needs (mostly import → book), so they stay fast on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    append_journal_entries,
    load_ledger,
    open_database,
)
from huishoudboekje.adapters.persistence.nightly_repo import (
    add_instructions,
    bank_balance,
    instruction_rows,
    set_instruction_status,
    signal_rows,
    transactions,
)
from huishoudboekje.domain import ledger
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.services.nightly import assign_transaction
from scheduler.context import NightContext, NightPaths
from scheduler.nightly import STAGES, run_stages
from tests.camt_writer import CamtStatement, write_camt053
from tests.nightly_bank import GEMEENTE_IBAN
from tests.nightly_support import SAMPLE, hhb

D19, D20, D21, D22 = (date(2026, 2, d) for d in (19, 20, 21, 22))


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


def test_an_unreadable_file_is_rejected_and_the_others_are_still_imported(
    db_url: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = camt(tmp_path / "in", D19, "1000.00", [gift(D19, "50.00", "R1")])
    garbage = tmp_path / "kapot.xml"
    garbage.write_bytes(b"\x00\x01 dit is geen bankbestand")
    var = str(tmp_path / "var")
    code = hhb("import", str(garbage), str(good), "--json", "--var", var, db=db_url)
    files = {f["file"]: f for f in json.loads(capsys.readouterr().out)["files"]}

    assert code == 1  # some rejected, the others imported
    assert files["camt053-20260219.xml"]["status"] == "imported"
    assert files["kapot.xml"]["status"] == "rejected"
    assert bank(engine) == Money("1050.00")
    assert "bestand_geweigerd" in open_kinds(engine)


def test_a_missing_path_or_a_folder_is_refused_before_anything_is_read(
    db_url: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: a typo or an unexpanded glob is the operator's, not the bank's: one
    line, exit 2, nothing imported and no high-severity staff signal."""
    good = camt(tmp_path / "in", D19, "1000.00", [gift(D19, "50.00", "R1")])
    folder = tmp_path / "een-map.xml"
    folder.mkdir()
    var = str(tmp_path / "var")
    for wrong in (tmp_path / "weg.xml", folder, tmp_path / "in" / "*.sta"):
        code = hhb("import", str(wrong), str(good), "--var", var, db=db_url)
        assert code == 2
        assert wrong.name in capsys.readouterr().err
    assert bank(engine) == Money("0.00")
    assert "bestand_geweigerd" not in open_kinds(engine)


def test_a_late_statement_fills_the_gap_and_its_signals_close(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    day19 = camt(tmp_path, D19, "1000.00", [gift(D19, "50.00", "R1")])
    day20 = camt(tmp_path, D20, "1050.00", [gift(D20, "20.00", "R2")])
    day21 = camt(tmp_path, D21, "1070.00", [gift(D21, "30.00", "R3")])
    run(engine, paths, D20, day19)
    run(engine, paths, D22, day21)  # 20 February is missing
    assert {"ontbrekend_afschrift", "saldo_verschil"} <= set(open_kinds(engine))

    run(engine, paths, D22, day20)  # and arrives a night late
    assert bank(engine) == Money("1100.00")  # = the closing balance of 21 February
    kinds = open_kinds(engine)
    assert "saldo_verschil" not in kinds
    assert "ontbrekend_afschrift" not in kinds


def test_an_older_statement_arriving_after_the_first_moves_the_beginsaldo_back(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    day19 = camt(tmp_path, D19, "1000.00", [gift(D19, "50.00", "R1")])
    day20 = camt(tmp_path, D20, "1050.00", [gift(D20, "20.00", "R2")])
    run(engine, paths, D21, day20)  # the first statement ever stored: beginsaldo 1050
    assert bank(engine) == Money("1070.00")

    run(engine, paths, D21, day19)  # the day before arrives later; its 50 was in the 1050
    assert bank(engine) == Money("1070.00")
    assert "saldo_verschil" not in open_kinds(engine)
    run(engine, paths, D21, day19, day20)  # again: nothing changes
    assert bank(engine) == Money("1070.00")
    with UnitOfWork(engine) as uow:
        book = load_ledger(uow)
    assert book.balance(ledger.FUND) == Money("1000.00")  # the real beginsaldo


def in_flight(engine: Engine, e2e: str, household: str, amount: str, day: date) -> None:
    """One of our payments, exported and in flight (as plan and export leave it)."""
    instruction = PaymentInstruction(
        *(e2e, household, "charge", "huur", "Woonstichting", "NL02ABNA0123456789", ""),
        *(Money(amount), day, "Huur", "", "test"),
    )
    entry = ledger.transfer(
        f"{e2e}:opdracht", day, "opdracht", ledger.vat(household), ledger.IN_FLIGHT, Money(amount)
    )
    with UnitOfWork(engine) as uow:
        add_instructions(uow, [instruction], day)
        set_instruction_status(uow, e2e, InstructionStatus.IN_FLIGHT)
        append_journal_entries(uow, [entry])
        uow.commit()


def test_a_return_listed_before_its_debit_still_settles_the_payment_first(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    e2e = "HH-0001-huur-20260301"
    in_flight(engine, e2e, "HH-0001", "100.00", D19)
    paid = BankTransaction(
        booking_date=D20,
        value_date=D20,
        amount=Money("-100.00"),
        end_to_end_id=e2e,
        bank_reference="DEB-1",
    )
    returned = replace(
        paid,
        amount=Money("100.00"),
        is_return=True,
        return_reason="AC04",
        original_end_to_end_id=e2e,
        bank_reference="RET-1",
        description="Retour",
    )
    # the bank lists the return first; both are booked the same day
    run(engine, paths, D21, camt(tmp_path, D20, "1000.00", [returned, paid]))

    with UnitOfWork(engine) as uow:
        book = load_ledger(uow)
        row = instruction_rows(uow, ids=[e2e])[0]
        assert (row.status, row.return_reason) == ("returned", "AC04")
    assert book.balance(ledger.IN_FLIGHT) == Money("0.00")
    assert book.balance(ledger.SUSPENSE) == Money("0.00")
    assert book.balance(ledger.vat("HH-0001")) == Money("0.00")  # -100 instructed, +100 back
    assert "onbekende_transactie" not in open_kinds(engine)


def test_a_bank_that_reuses_one_file_name_loses_no_file_in_processed(
    engine: Engine, paths: NightPaths
) -> None:
    for day, opening, ref in ((D19, "1000.00", "R1"), (D20, "1050.00", "R2")):
        camt(paths.inbox, day, opening, [gift(day, "50.00", ref)]).rename(
            paths.inbox / "afschrift.xml"
        )
        run(engine, paths, day + timedelta(days=1))
    camt(paths.inbox, D20, "1050.00", [gift(D20, "50.00", "R2")]).rename(
        paths.inbox / "afschrift.xml"
    )
    run(engine, paths, D21)  # the same file delivered again: a duplicate, kept once

    kept = sorted(p.name for p in paths.processed.iterdir())
    assert kept == ["afschrift.2.xml", "afschrift.xml"]
    assert bank(engine) == Money("1100.00")


def test_hhb_signals_shows_the_transaction_that_hhb_assign_takes(
    db_url: str, engine: Engine, paths: NightPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    run(engine, paths, D20, camt(paths.var, D19, "1000.00", [gift(D19, "50.00", "R1")]))
    capsys.readouterr()
    assert hhb("signals", db=db_url) == 0
    found = re.search(r"transactie (\S+)", capsys.readouterr().out)
    assert found is not None
    assert hhb("assign", found.group(1), "HH-0003", db=db_url) == 0
    assert "onbekende_transactie" not in open_kinds(engine)


def test_the_same_day_as_camt_and_mt940_adds_nothing_but_keeps_real_twins_and_a_third(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    from tests.mt940_writer import Mt940Statement, write_mt940

    twins = [gift(D19, "50.00", "R1"), gift(D19, "50.00", "R2")]  # two real, identical gifts
    run(engine, paths, D20, camt(tmp_path, D19, "1000.00", twins))
    assert bank(engine) == Money("1100.00")
    third = gift(D19, "50.00", "R3")  # booked late that day: only the MT940 has it
    mt940 = Mt940Statement(GEMEENTE_IBAN, Money("1000.00"), D19, D19, (*twins, third))
    path = tmp_path / "mt940-20260219.sta"
    path.write_bytes(write_mt940([mt940]))
    run(engine, paths, D20, path)

    assert bank(engine) == Money("1150.00")
    with UnitOfWork(engine) as uow:
        assert len(transactions(uow)) == 3


def test_a_file_still_in_transfer_waits_in_the_inbox(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    whole = camt(paths.inbox, D19, "1000.00", [gift(D19, "50.00", "R1")])
    partial = whole.with_name(whole.name + ".part")
    partial.write_bytes(whole.read_bytes()[:200])  # the next file, half uploaded
    run(engine, paths, D20)

    assert partial.exists(), "a file in transfer is neither imported nor rejected"
    rejected = paths.inbox / "rejected"
    assert not rejected.is_dir() or not any(rejected.iterdir())
    assert bank(engine) == Money("1050.00")
