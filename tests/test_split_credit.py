"""Split one credit over several households and incomes (issue 16, point 5)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    get_state,
    load_household,
    load_ledger,
    open_database,
)
from huishoudboekje.adapters.persistence.nightly_repo import transactions
from huishoudboekje.adapters.persistence.planner_memory import MEMORY_KEY, memory_from_json
from huishoudboekje.adapters.persistence.tables import AuditLogRow
from huishoudboekje.domain import ledger
from huishoudboekje.domain.credit_split import (
    SplitError,
    SplitPart,
    check_split,
    parse_part,
    split_entries,
)
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.money import Money
from huishoudboekje.services.nightly import AssignmentError, assign_credit
from huishoudboekje.services.split_credit import parse_parts, split_credit
from scheduler.context import NightPaths
from tests.nightly_support import hhb
from tests.staff_gemeente import camt, configure, import_and_book, toeslag

FEB = date(2026, 2, 20)
A = SplitPart("HH-0001", "huurtoeslag", Money("246.00"))
B = SplitPart("HH-0002", "zorgtoeslag", Money("154.00"))


# ------------------------------------------------------------------ pure rules


def test_a_part_is_written_code_income_amount() -> None:
    assert parse_part("HH-0001:zorgtoeslag:77,50") == SplitPart(
        "HH-0001", "zorgtoeslag", Money("77.50")
    )
    assert parse_part(" HH-0002::12.00 ") == SplitPart("HH-0002", None, Money("12.00"))
    for bad in ("HH-0001:77.00", ":x:1.00", "HH-0001:x:1.001", "HH-0001:x:zeven"):
        with pytest.raises(SplitError, match="deel"):
            parse_part(bad)
    with pytest.raises(SplitError, match="kies een huishouden"):
        parse_part(" :zorgtoeslag:154.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("\u0661\u0660\u0660.\u0660\u0660", "alleen met de cijfers 0-9"),  # Arabic-Indic
        ("\uff11\uff10\uff10", "alleen met de cijfers 0-9"),  # full-width
        ("1E+2", "geen bedrag"),
        ("1e2", "geen bedrag"),
        ("NaN", "geen bedrag"),
        ("Infinity", "geen bedrag"),
        ("-inf", "geen bedrag"),
        ("1.234,56", "geen bedrag"),  # no thousands separators
        ("", "geen bedrag"),
        ("1.001", "meer dan twee decimalen"),
        ("-5,00", "groter dan nul"),
        ("1000000", "te groot"),
    ],
)
def test_a_part_amount_is_digits_0_to_9_with_at_most_two_decimals(
    amount: str, message: str
) -> None:
    with pytest.raises(SplitError, match=message) as refused:
        parse_part(f"HH-0001::{amount}")
    assert str(refused.value).startswith("deel ") and "\n" not in str(refused.value)


def test_a_part_amount_may_carry_a_euro_sign_and_a_decimal_comma() -> None:
    assert parse_part("HH-0001::€ 12,5").amount == Money("12.50")
    assert parse_part("HH-0001::999999.99").amount == Money("999999.99")


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([A], "minstens twee"),
        ([A, SplitPart("HH-0002", None, Money("154.01"))], "verschil € 0,01"),
        ([A, SplitPart("HH-0002", None, Money("0.00"))], "groter dan nul"),
        ([A, A], "twee keer"),
    ],
)
def test_a_split_that_does_not_add_up_to_the_cent_is_refused(
    parts: list[SplitPart], message: str
) -> None:
    with pytest.raises(SplitError, match=message):
        check_split(Money("400.00"), parts)


@given(st.lists(st.integers(min_value=1, max_value=100_000), min_size=2, max_size=6))
def test_each_part_is_a_balanced_entry_and_together_they_move_the_whole_credit(
    cents: list[int],
) -> None:
    parts = [SplitPart(f"HH-{i:04d}", None, Money.cents(c)) for i, c in enumerate(cents)]
    total = Money.cents(sum(cents))
    check_split(total, parts)
    with pytest.raises(SplitError):
        check_split(total + Money("0.01"), parts)
    entries = split_entries("k", FEB, parts)
    assert len({e.id for e in entries}) == len(parts)
    book = ledger.Ledger().post(*entries)
    assert abs(book.balance(ledger.SUSPENSE)) == total
    for part in parts:
        assert book.balance(ledger.vat(part.household)) == part.amount


# ------------------------------------------------------------------ booked


@pytest.fixture
def engine(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Engine]:
    configure(db_url, tmp_path)
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


def joint_credit(engine: Engine, paths: NightPaths, tmp_path: Path, upto: int = 5) -> str:
    """A joint payment of € 400 from the Belastingdienst goes to suspense; its id."""
    credit = toeslag(FEB, "400.00", "0958.610.934 0701.571.670", "J1")
    import_and_book(engine, paths, FEB, camt(tmp_path / "in", FEB, "1000.00", [credit]), upto=upto)
    with UnitOfWork(engine) as uow:
        (row,) = transactions(uow)
        assert row.status == "unmatched"
        return str(row.id)


def balances(engine: Engine) -> dict[str, Money]:
    with UnitOfWork(engine) as uow:
        book = load_ledger(uow)
    accounts = {
        "bank": ledger.BANK,
        "suspense": ledger.SUSPENSE,
        "HH-0001": ledger.vat("HH-0001"),
        "HH-0002": ledger.vat("HH-0002"),
    }
    return {name: book.balance(account) for name, account in accounts.items()}


def receipts(engine: Engine, household: str) -> tuple[IncomeReceipt, ...]:
    with UnitOfWork(engine) as uow:
        return memory_from_json(household, get_state(uow, MEMORY_KEY, household=household)).receipts


def test_a_split_credit_reaches_each_household_once_and_counts_as_its_income(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    tx = joint_credit(engine, paths, tmp_path)
    done = split_credit(engine, tx, [A, B], actor="anna", today=FEB)
    assert len(done.entry_ids) == 2

    for _ in range(2):  # re-running the night (and the import) books nothing twice
        import_and_book(engine, paths, FEB, camt(tmp_path / "in", FEB, "1000.00", []))
        assert balances(engine) == {
            "bank": Money("1400.00"),
            "suspense": Money("0.00"),
            "HH-0001": Money("246.00"),
            "HH-0002": Money("154.00"),
        }
    assert IncomeReceipt("huurtoeslag", FEB, Money("246.00")) in receipts(engine, "HH-0001")
    assert IncomeReceipt("zorgtoeslag", FEB, Money("154.00")) in receipts(engine, "HH-0002")
    with UnitOfWork(engine) as uow:
        audit = [r.action for r in uow.session.execute(select(AuditLogRow)).scalars()]
    assert audit.count("transaction.split") == 1
    with pytest.raises(AssignmentError, match="staat op assigned"):
        split_credit(engine, tx, [A, B], actor="anna", today=FEB)  # never twice


def test_a_split_before_the_night_booked_the_credit_still_balances(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    tx = joint_credit(engine, paths, tmp_path, upto=3)  # the night stopped after `match`
    split_credit(engine, tx, [A, B], actor="anna", today=FEB)
    import_and_book(engine, paths, FEB, camt(tmp_path / "in", FEB, "1000.00", []))
    assert balances(engine)["suspense"] == Money("0.00")
    assert balances(engine)["bank"] == Money("1400.00")


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["HH-0001:huurtoeslag:246.00", "HH-0002:zorgtoeslag:153.99"], "verschil € 0,01"),
        (["HH-0001:huurtoeslag:246.00", "HH-0009::154.00"], "HH-0009 bestaat niet"),
        (["HH-0001:huurtoeslag:246.00", "HH-0002:loon:154.00"], "geen inkomstenbron loon"),
    ],
)
def test_a_refused_split_changes_nothing(
    engine: Engine, paths: NightPaths, tmp_path: Path, parts: list[str], message: str
) -> None:
    tx = joint_credit(engine, paths, tmp_path)
    before = balances(engine)
    with pytest.raises(AssignmentError, match=message):
        split_credit(engine, tx, parse_parts(parts), actor="anna", today=FEB)
    assert balances(engine) == before
    with UnitOfWork(engine) as uow:
        assert transactions(uow)[0].status == "unmatched"


def test_hhb_assign_split(
    db_url: str,
    engine: Engine,
    paths: NightPaths,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tx = joint_credit(engine, paths, tmp_path)
    capsys.readouterr()
    bad = ["HH-0001:huurtoeslag:246.00", "HH-0002:zorgtoeslag:150.00"]
    assert hhb("assign", tx, "--split", *bad, db=db_url) == 2
    said = capsys.readouterr().err
    assert "niet verdeeld: de delen tellen op tot € 396,00" in said
    assert said.count("verdeeld") == 1  # said once
    assert hhb("assign", tx, "HH-0001", "--split", *bad, db=db_url) == 2
    good = ["HH-0001:huurtoeslag:246.00", "HH-0002:zorgtoeslag:154,00"]
    assert hhb("assign", tx, "--split", *good, db=db_url) == 0
    out = capsys.readouterr().out
    assert "verdeeld" in out and "HH-0002 (zorgtoeslag): 154.00" in out
    assert balances(engine)["HH-0002"] == Money("154.00")


def test_the_planner_sees_a_split_part_as_the_income_received(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    from huishoudboekje.adapters.persistence.nightly_repo import signal_rows
    from scheduler.context import NightContext
    from scheduler.nightly import STAGES, run_stages

    def plan(night: date) -> None:  # stages plan → signals
        run_stages(NightContext(engine, night, paths, files=[]), STAGES[5:], record=False)

    plan(FEB - timedelta(days=1))  # Huishoudboekje runs these households before the 20th
    tx = joint_credit(engine, paths, tmp_path)
    split_credit(engine, tx, [A, B], actor="anna", today=FEB)
    plan(FEB + timedelta(days=7))  # zorgtoeslag of the 20th is late after 5 days
    with UnitOfWork(engine) as uow:
        late = {(r.household, r.message) for r in signal_rows(uow) if r.kind == "inkomen_te_laat"}
    late_households = {household for household, _ in late}
    assert "HH-0002" not in late_households  # its zorgtoeslag came, as part of the split
    assert "HH-0001" in late_households  # its zorgtoeslag did not (only huurtoeslag)


# ------------------------------------------------------------------ two at once

LOST = "net door iemand anders toegewezen of verdeeld; ververs de lijst"
SPLIT_WON = {"suspense": Money("0.00"), "HH-0001": Money("246.00"), "HH-0002": Money("154.00")}
ASSIGN_WON = {"suspense": Money("0.00"), "HH-0001": Money("400.00"), "HH-0002": Money("0.00")}


def _split(engine: Engine, tx: str) -> object:
    return split_credit(engine, tx, [A, B], actor="anna", today=FEB)


def _assign(engine: Engine, tx: str) -> object:
    return assign_credit(engine, tx, "HH-0001", "huurtoeslag", actor="bram", today=FEB)


@pytest.mark.parametrize(
    ("first", "second", "won"),
    [
        (_split, _assign, SPLIT_WON),
        (_assign, _split, ASSIGN_WON),
        (_assign, _assign, ASSIGN_WON),
        (_split, _split, SPLIT_WON),
    ],
    ids=["split-beats-assign", "assign-beats-split", "assign-twice", "split-twice"],
)
def test_two_staff_at_once_book_the_credit_once(
    engine: Engine,
    paths: NightPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: Callable[[Engine, str], object],
    second: Callable[[Engine, str], object],
    won: dict[str, Money],
) -> None:
    """The second has read the credit as unmatched and checked everything when the
    first commits (its own unit of work, run at the seam between read and write):
    the second changes nothing and says so in one line."""
    import huishoudboekje.services.nightly as nightly_service
    import huishoudboekje.services.split_credit as split_service

    tx = joint_credit(engine, paths, tmp_path)
    raced: list[bool] = []

    def household_then_the_other_one(uow: UnitOfWork, code: str) -> Any:
        if not raced:
            raced.append(True)
            first(engine, tx)  # commits in its own unit of work
        return load_household(uow, code)

    for module in (nightly_service, split_service):
        monkeypatch.setattr(module, "load_household", household_then_the_other_one)
    with pytest.raises(AssignmentError, match=LOST):
        second(engine, tx)
    assert raced
    assert {k: v for k, v in balances(engine).items() if k != "bank"} == won
    with UnitOfWork(engine) as uow:
        row = transactions(uow)[0]
        audit = [r.action for r in uow.session.execute(select(AuditLogRow)).scalars()]
    assert row.status == "assigned"
    assert ("split" in (row.match_reasons or {})) == (won is SPLIT_WON)
    assert len([a for a in audit if a in {"transaction.split", "transaction.assign"}]) == 1
