"""Review of issue 16: a taught year, period or short number identifies nobody.

"2026" is on every credit of the year; taught to HH-0001 it would take HH-0002's
next toeslag, although that carries HH-0002's own (unconfigured) toeslagnummer. The
service refuses such a term with a clear message and changes nothing, for the web
and for `hhb assign --learn` / `hhb learn` alike; and should one come in through the
config file, matching does not let it decide against a kenmerk nobody has.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, open_database
from huishoudboekje.services.nightly import assign_credit, teach_credit_term
from huishoudboekje.services.term_teaching import TermError
from scheduler.context import NightPaths
from tests.nightly_support import hhb
from tests.staff_gemeente import camt, configure, import_and_book, toeslag
from tests.test_staff_teach import A_NUMBER, B_NUMBER, FEB, MAR, by_reference, month_one, tx_id


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


def terms(engine: Engine) -> tuple[str, ...]:
    with UnitOfWork(engine) as uow:
        household = load_household(uow, "HH-0001")
    assert household is not None
    return household.incomes[0].terms


def test_a_year_a_period_or_a_short_number_is_refused_and_nothing_changes(
    engine: Engine, paths: NightPaths, tmp_path: Path
) -> None:
    month_one(engine, paths, tmp_path)
    number = tx_id(engine, "F1")
    assign_credit(engine, number, "HH-0001", "zorgtoeslag", actor="anna", today=FEB)
    for weak in ("2026", "02-2026", "022026", "0958"):
        with pytest.raises(TermError, match=r"datum|periode|jaartal|cijfers"):
            teach_credit_term(engine, number, weak, actor="anna")
    assert terms(engine) == ()
    # next month HH-0002's toeslag, with its own number, never goes to HH-0001
    second = [toeslag(MAR, "154.00", B_NUMBER, "M2")]
    import_and_book(engine, paths, MAR, camt(tmp_path / "mar", MAR, "1154.00", second))
    assert by_reference(engine)["M2"][1] != "HH-0001"


def test_hhb_learn_and_assign_learn_refuse_a_year(
    db_url: str,
    engine: Engine,
    paths: NightPaths,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    month_one(engine, paths, tmp_path)
    number = tx_id(engine, "F1")
    capsys.readouterr()
    args = ("assign", number, "HH-0001", "--income", "zorgtoeslag", "--learn", "2026")
    assert hhb(*args, db=db_url) == 2
    assert "jaartal" in capsys.readouterr().err
    assert by_reference(engine)["F1"][0] == "unmatched"  # all or nothing
    assert hhb("assign", number, "HH-0001", "--income", "zorgtoeslag", db=db_url) == 0
    assert hhb("learn", number, "2026", db=db_url) == 2
    assert "jaartal" in capsys.readouterr().err
    assert terms(engine) == ()
    assert hhb("learn", number, A_NUMBER, db=db_url) == 0  # the toeslagnummer is fine


def test_a_year_from_the_config_file_does_not_take_another_households_credit(
    db_url: str, paths: NightPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "year.yaml"
    configure(db_url, tmp_path)
    from tests.staff_gemeente import YAML

    path.write_text(
        YAML.replace('amount: "154.00",', 'amount: "154.00", terms: ["2026"],', 1),
        encoding="utf-8",
    )
    assert hhb("config", "apply", str(path), db=db_url) == 0
    capsys.readouterr()
    engine = open_database(db_url)
    try:
        second = [toeslag(MAR, "154.00", B_NUMBER, "M2"), toeslag(MAR, "154.00", "", "M3")]
        import_and_book(engine, paths, MAR, camt(tmp_path / "mar", MAR, "1308.00", second))
        found = by_reference(engine)
        assert found["M2"][1] != "HH-0001"
        assert found["M3"][1] != "HH-0001"  # "ZORGTOESLAG 03-2026": could be either
    finally:
        engine.dispose()
