"""Learn from staff (issue 16, point 3): assigning a suspense credit shows the terms that
would have matched it; adding one makes next month's credit match by itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, open_database
from huishoudboekje.adapters.persistence.nightly_repo import transactions
from huishoudboekje.adapters.persistence.tables import AuditLogRow
from huishoudboekje.domain.term_suggestions import normalise
from huishoudboekje.services.nightly import (
    AssignmentError,
    assign_credit,
    credit_with_suggestions,
    teach_credit_term,
)
from huishoudboekje.services.term_teaching import TermError
from scheduler.context import NightPaths
from tests.nightly_support import hhb
from tests.staff_gemeente import camt, configure, import_and_book, toeslag

FEB, MAR = date(2026, 2, 20), date(2026, 3, 20)
A_NUMBER, B_NUMBER = "0958.610.934", "0701.571.670"


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


def by_reference(engine: Engine) -> dict[str, tuple[str, str | None, str | None]]:
    with UnitOfWork(engine) as uow:
        return {r.bank_reference: (r.status, r.household, r.income_id) for r in transactions(uow)}


def tx_id(engine: Engine, bank_reference: str) -> str:
    """What `hhb assign` takes for the credit with this bank reference: its id."""
    with UnitOfWork(engine) as uow:
        return next(str(r.id) for r in transactions(uow) if r.bank_reference == bank_reference)


def audit_actions(engine: Engine) -> list[tuple[str, str, str | None]]:
    with UnitOfWork(engine) as uow:
        rows = uow.session.execute(select(AuditLogRow)).scalars()
        return [(r.action, r.actor, r.approved_by) for r in rows]


def month_one(engine: Engine, paths: NightPaths, tmp_path: Path) -> None:
    first = toeslag(FEB, "154.00", A_NUMBER, "F1")
    import_and_book(engine, paths, FEB, camt(tmp_path / "feb", FEB, "1000.00", [first]))
    assert by_reference(engine)["F1"][0] == "unmatched"  # a tie: same payer, same amount


def test_month_two_matches_by_itself_after_staff_taught_month_one(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    month_one(engine, paths, tmp_path)
    done = assign_credit(
        engine, tx_id(engine, "F1"), "HH-0001", "zorgtoeslag", actor="anna", today=FEB
    )
    numbers = [t for t in done.suggestions if normalise(t) == normalise(A_NUMBER)]
    assert numbers, done.suggestions  # the toeslagnummer is offered ...
    assert not {"zorgtoeslag", "belastingdienst", "toeslagen"} & {
        normalise(t) for t in done.suggestions
    }  # ... and not the words every household's credit has

    teach_credit_term(engine, tx_id(engine, "F1"), numbers[0], actor="anna")

    with UnitOfWork(engine) as uow:
        household = load_household(uow, "HH-0001")
    assert household is not None
    assert numbers[0] in household.incomes[0].terms
    assert ("income.term.add", "anna", None) in audit_actions(engine)  # no four-eyes

    second = [toeslag(MAR, "154.00", A_NUMBER, "M1"), toeslag(MAR, "154.00", B_NUMBER, "M2")]
    import_and_book(engine, paths, MAR, camt(tmp_path / "mar", MAR, "1154.00", second))
    found = by_reference(engine)
    assert found["M1"] == ("matched", "HH-0001", "zorgtoeslag")
    assert found["M2"][1] != "HH-0001"  # the other household's credit never goes to A


def test_assign_with_learn_adds_the_term_in_the_same_step(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    month_one(engine, paths, tmp_path)
    done = assign_credit(
        engine,
        tx_id(engine, "F1"),
        "HH-0001",
        "zorgtoeslag",
        actor="anna",
        today=FEB,
        learn=[A_NUMBER],
    )
    assert done.learned == (A_NUMBER,)
    assert normalise(A_NUMBER) not in {normalise(t) for t in done.suggestions}
    view = credit_with_suggestions(engine, tx_id(engine, "F1"))
    assert (view.household, view.income_id) == ("HH-0001", "zorgtoeslag")
    assert normalise(A_NUMBER) not in {normalise(t) for t in view.suggestions}  # taught


def test_a_term_that_would_not_tell_the_household_apart_is_refused_and_nothing_changes(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    month_one(engine, paths, tmp_path)
    with pytest.raises(AssignmentError):  # not assigned yet: nothing to learn from
        teach_credit_term(engine, tx_id(engine, "F1"), A_NUMBER, actor="anna")
    with pytest.raises(TermError, match="komt niet voor"):  # assign + learn: all or nothing
        assign_credit(
            engine,
            tx_id(engine, "F1"),
            "HH-0001",
            "zorgtoeslag",
            actor="anna",
            today=FEB,
            learn=["gift"],
        )
    assert by_reference(engine)["F1"][0] == "unmatched"
    assign_credit(engine, tx_id(engine, "F1"), "HH-0001", "zorgtoeslag", actor="anna", today=FEB)
    with pytest.raises(TermError, match="komt niet voor"):
        teach_credit_term(engine, tx_id(engine, "F1"), B_NUMBER, actor="anna")
    with pytest.raises(TermError, match="Geef een zoekterm"):
        teach_credit_term(engine, tx_id(engine, "F1"), "   ", actor="anna")
    teach_credit_term(engine, tx_id(engine, "F1"), A_NUMBER, actor="anna")
    with pytest.raises(TermError, match="staat al"):
        teach_credit_term(engine, tx_id(engine, "F1"), "958610934", actor="anna")  # same number
    with pytest.raises(TermError, match="komt niet voor"):  # once one term matches it,
        teach_credit_term(engine, tx_id(engine, "F1"), B_NUMBER, actor="anna")  # still refused
    assert [a for a, _, _ in audit_actions(engine)].count("income.term.add") == 1


def test_hhb_assign_prints_the_suggestions_and_learn_adds_one(
    db_url: str,
    engine: Engine,
    paths: NightPaths,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    month_one(engine, paths, tmp_path)
    capsys.readouterr()
    assert hhb("assign", "F1", "HH-0001", "--income", "zorgtoeslag", db=db_url) != 0
    assert "F1" in capsys.readouterr().err  # F1 is a bank reference, not a transaction
    number = tx_id(engine, "F1")
    assert hhb("assign", number, "HH-0001", "--income", "zorgtoeslag", db=db_url) == 0
    out = capsys.readouterr().out
    offered = re.findall(rf"hhb learn {number} '([^']+)'", out)
    assert normalise(A_NUMBER) in {normalise(t) for t in offered}, out
    assert hhb("learn", number, "onzin", db=db_url) == 2
    assert "komt niet voor" in capsys.readouterr().err
    assert hhb("learn", number, A_NUMBER, db=db_url) == 0
    assert "toegevoegd" in capsys.readouterr().out


def test_a_taught_number_decides_even_when_both_incomes_share_a_generic_word(
    db_url: str, paths: NightPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(db_url, tmp_path, generic_term=True)
    capsys.readouterr()
    engine = open_database(db_url)
    try:
        month_one(engine, paths, tmp_path)
        done = assign_credit(
            engine, tx_id(engine, "F1"), "HH-0001", "zorgtoeslag", actor="anna", today=FEB
        )
        numbers = [t for t in done.suggestions if normalise(t) == normalise(A_NUMBER)]
        assert numbers, done.suggestions
        teach_credit_term(engine, tx_id(engine, "F1"), numbers[0], actor="anna")
        second = [toeslag(MAR, "154.00", A_NUMBER, "M1"), toeslag(MAR, "154.00", B_NUMBER, "M2")]
        import_and_book(engine, paths, MAR, camt(tmp_path / "mar", MAR, "1154.00", second))
        found = by_reference(engine)
        assert found["M1"] == ("matched", "HH-0001", "zorgtoeslag")
        assert found["M2"][1] != "HH-0001"
    finally:
        engine.dispose()
