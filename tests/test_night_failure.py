"""No payment is lost to a failed night (issue 18, point 1).

Saving one household's plan fails for several nights (`HHB_FAIL_PLAN`, the
fault seam of `hhb nightly`: a database error while its state is saved), then
the fault is cleared. Every charge due in that window is instructed exactly
once, never for a date in the past, staff get a signal per moved payment, and
nothing else changes compared with the same nights without the fault.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url
from huishoudboekje.adapters.persistence.nightly_repo import instruction_rows
from tests.nightly_bank import Bank
from tests.nightly_support import GIFT, SAMPLE, days, hhb, incomes_on, nightly

FIRST = date(2026, 2, 23)
LAST = date(2026, 3, 6)
FAILING = "HH-0002"
LEEFGELD = {"leefgeld", "achterstand"}
BROKEN = (date(2026, 2, 25), date(2026, 3, 2))  # its plan cannot be saved these nights


Row = tuple[str, str, str, date, date]


def instructions(db: str) -> dict[str, Row]:
    """end_to_end_id → (household, kind, amount, execution date, night instructed)."""
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            return {
                r.end_to_end_id: (
                    r.household,
                    r.kind,
                    str(r.amount),
                    r.execution_date,
                    r.instructed_on,
                )
                for r in instruction_rows(uow)
            }
    finally:
        engine.dispose()


def run(
    db: str,
    var: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    broken: tuple[date, date] = BROKEN,
) -> tuple[Bank, dict[date, dict[str, Any]]]:
    pytest.importorskip("connectors.pain001")
    assert hhb("config", "apply", str(SAMPLE), db=db) == 0
    bank = Bank()
    reports = {}
    for night in days(FIRST, LAST):
        day = night - timedelta(days=1)
        bank.statement(day, incomes_on(day) + ([GIFT] if day == GIFT.day else []), var / "inbox")
        if broken[0] <= night <= broken[1]:
            monkeypatch.setenv("HHB_TEST_SEAMS", "1")
            monkeypatch.setenv("HHB_FAIL_PLAN", FAILING)
        else:
            monkeypatch.delenv("HHB_FAIL_PLAN", raising=False)
        reports[night] = nightly(night, db, var, capsys)
        bank.collect(var / "outbox")
    monkeypatch.delenv("HHB_FAIL_PLAN", raising=False)
    return bank, reports


def baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Row]:
    db = f"sqlite:///{tmp_path / 'baseline.sqlite3'}"
    run(db, tmp_path / "baseline", capsys, monkeypatch, broken=(date.max, date.max))
    return instructions(db)


def test_charges_due_while_a_household_failed_are_instructed_once_later(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = baseline(tmp_path, capsys, monkeypatch)
    bank, _reports = run(db_url, tmp_path / "var", capsys, monkeypatch)
    got = instructions(db_url)

    # the other households: exactly the same payments as without the fault
    others = {e: v for e, v in expected.items() if v[0] != FAILING}
    assert {e: v for e, v in got.items() if v[0] != FAILING} == others

    # the failing household's charges due in the window: each instructed, once
    charges_missed = {
        e
        for e, v in expected.items()
        if v[0] == FAILING and v[1] not in LEEFGELD and BROKEN[0] <= v[4] <= BROKEN[1]
    }
    assert charges_missed, "the window must hold a charge of the failing household"
    for e2e in charges_missed:
        assert e2e in got, f"{e2e} was never instructed"
        _household, _kind, amount, execution, instructed_on = got[e2e]
        assert amount == expected[e2e][2]
        assert instructed_on > BROKEN[1]
        assert execution >= instructed_on  # never a date in the past
    assert len(bank.instructed) == len(set(bank.instructed)), "a payment went to the bank twice"
    # nothing else: the failing household gets the same payments, only later
    mine = {e: v[:3] for e, v in got.items() if v[0] == FAILING}
    assert mine == {e: v[:3] for e, v in expected.items() if v[0] == FAILING}, sorted(
        set(mine.items()) ^ {(e, v[:3]) for e, v in expected.items() if v[0] == FAILING}
    )

    # staff see a signal per moved payment
    capsys.readouterr()
    assert hhb("signals", "--all", "--json", db=db_url) == 0
    moved = [
        s
        for s in json.loads(capsys.readouterr().out)
        if s["household"] == FAILING and "niet worden ingepland" in s["message"]
    ]
    assert len(moved) >= len(charges_missed)
    assert any(s["message"].startswith("huur van HH-0002 kon op ") for s in moved), moved
    assert all("nu ingepland voor" in s["message"] for s in moved)
    assert not any("Error" in s["message"] or "autoflush" in s["message"] for s in moved)

    # the broken nights are visibly not ok
    capsys.readouterr()
    assert hhb("runs", "--json", db=db_url) == 0
    runs = {r["night"]: r for r in json.loads(capsys.readouterr().out)}
    assert runs[BROKEN[0].isoformat()]["status"] != "ok"


def test_rerunning_a_failed_night_by_hand_never_asks_for_a_date_in_the_past(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HH-0002 failed from 25 to 28 February; the operator fixes it and reruns the night
    of the 26th by hand (docs/operations.md). Its rent, due Sunday 1 March, goes out on
    Monday 2 March (the first business day after the latest night, the 28th), not on
    Friday 27 February, and it is instructed once."""
    pytest.importorskip("connectors.pain001")
    from connectors.pain001 import read_pain001

    var = tmp_path / "var"
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    monkeypatch.setenv("HHB_TEST_SEAMS", "1")
    monkeypatch.setenv("HHB_FAIL_PLAN", FAILING)
    for night in days(date(2026, 2, 25), date(2026, 2, 28)):
        nightly(night, db_url, var, capsys)
    monkeypatch.delenv("HHB_FAIL_PLAN")
    before = {p.name for p in (var / "outbox").glob("pain001-*.xml")}
    nightly(date(2026, 2, 26), db_url, var, capsys)
    requested = [
        payment
        for path in (var / "outbox").glob("pain001-*.xml")
        if path.name not in before
        for payment in read_pain001(path.read_bytes(), path.name).payments
    ]
    assert {p.end_to_end_id[:7] for p in requested} == {FAILING}
    assert min(p.execution_date for p in requested) >= date(2026, 3, 2)
    ids = [p.end_to_end_id for p in requested]
    assert "HH-0002-huur-20260301" in ids and len(ids) == len(set(ids))
    # a second rerun adds nothing
    before = {p.name for p in (var / "outbox").glob("pain001-*.xml")}
    nightly(date(2026, 2, 26), db_url, var, capsys)
    assert {p.name for p in (var / "outbox").glob("pain001-*.xml")} == before


def test_a_rerun_keeps_the_first_attempts_stage_counts_and_problem_nights_stand_out(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    var = tmp_path / "var"
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    monkeypatch.setenv("HHB_TEST_SEAMS", "1")
    monkeypatch.setenv("HHB_FAIL_PLAN", FAILING)
    nightly(date(2026, 2, 26), db_url, var, capsys)
    monkeypatch.delenv("HHB_FAIL_PLAN")
    capsys.readouterr()
    assert hhb("runs", db=db_url) == 0
    text = capsys.readouterr().out
    assert "!! 2026-02-26  NIET OK (problemen)" in text
    assert "plannen mislukt" in text and "Error" not in text

    nightly(date(2026, 2, 26), db_url, var, capsys)  # rerun by hand once it is fixed
    capsys.readouterr()
    assert hhb("runs", "--json", db=db_url) == 0
    (run,) = json.loads(capsys.readouterr().out)
    assert run["status"] == "ok" and run["attempts"] == 2
    assert run["stages"]["plan"]["planned"] == 1  # the rerun planned only HH-0002
    (first,) = run["earlier"]
    assert first["attempt"] == 1 and first["status"] == "problems"
    assert first["stages"]["plan"]["planned"] == 2 and first["stages"]["plan"]["failed"] == 1
    capsys.readouterr()
    assert hhb("runs", db=db_url) == 0
    text = capsys.readouterr().out
    assert "eerder: poging 1 NIET OK (problemen); plan 2 gepland, 1 mislukt" in text


def test_a_test_seam_without_hhb_test_seams_is_ignored_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """HHB_FAIL_PLAN in a production environment (no HHB_TEST_SEAMS=1) fails nothing;
    stderr says it was ignored."""
    db = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    assert hhb("config", "apply", str(SAMPLE), db=db) == 0
    monkeypatch.delenv("HHB_TEST_SEAMS", raising=False)
    monkeypatch.setenv("HHB_FAIL_PLAN", FAILING)
    capsys.readouterr()
    var = str(tmp_path / "var")
    assert hhb("nightly", "--date", "2026-02-26", "--var", var, "--json", db=db) == 0
    captured = capsys.readouterr()
    assert "HHB_FAIL_PLAN is genegeerd" in captured.err
    payments = json.loads(captured.out)["payments"]
    assert FAILING in {p["household"] for p in payments}  # planned as usual
