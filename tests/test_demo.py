"""The demo end to end: config → every demo night with the simulated bank → checks.

One run of all 91 nights (module fixture, about a minute) and then: the ledger equals
the bank every day, charges are paid on time, and each household's pattern does what
docs/demo.md says. Skipped only while this checkout has no `hhb nightly`.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("cli.nightly_cmd", reason="hhb nightly is not in this checkout yet")

from huishoudboekje.adapters.config import load_config
from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url, load_ledger
from huishoudboekje.domain.ledger import BANK, Account, advance, reserve, trial_balance_is_zero, vat
from huishoudboekje.domain.money import Money
from sample_statements.incoming import FIRST_DAY, LAST_DAY, bank_days
from sample_statements.run_demo import CONFIG, DemoRun, run_demo

pytestmark = pytest.mark.slow
HOUSEHOLDS = {h.code: h for h in load_config(CONFIG).households}


@dataclass
class Demo:
    run: DemoRun
    ledger_bank: dict[date, Money] = field(default_factory=dict)
    balances: dict[date, dict[Account, Money]] = field(default_factory=dict)
    nights: dict[date, dict[str, Any]] = field(default_factory=dict)

    def payments(self, household: str, kind: str | None = None) -> list[dict[str, Any]]:
        return [
            p
            for night in self.nights.values()
            for p in night["payments"]
            if p["household"] == household and (kind is None or p["kind"] == kind)
        ]

    def leefgeld(self, household: str) -> list[Money]:
        paid = sorted(self.payments(household, "leefgeld"), key=lambda p: p["execution_date"])
        return [Money(p["amount"]) for p in paid]

    def signals(self, household: str, *words: str) -> dict[date, list[str]]:
        """Per night, the messages of this household's signals that contain all `words`."""
        found: dict[date, list[str]] = {}
        for day, night in sorted(self.nights.items()):
            for signal in night["signals"]:
                text = f"{signal['kind']} {signal['message']}".casefold()
                if signal["household"] == household and all(w.casefold() in text for w in words):
                    found.setdefault(day, []).append(signal["message"])
        return found


def _scratch() -> Path:
    shm = Path("/dev/shm")  # SQLite commits are fsyncs; memory-backed is several times faster
    base = shm if shm.is_dir() and shm.stat().st_mode & 0o002 else None
    return Path(tempfile.mkdtemp(prefix="hhb-demo-", dir=base))


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    root = _scratch()
    run = DemoRun(root, f"sqlite:///{root / 'hhb.sqlite3'}")
    result = Demo(run)
    engine = None

    def after_night(day: date) -> None:
        nonlocal engine
        engine = engine or create_engine_from_url(run.database_url)
        with UnitOfWork(engine) as uow:
            ledger = load_ledger(uow)
        assert trial_balance_is_zero(ledger.entries)
        result.ledger_bank[day] = ledger.balance(BANK, until=day)
        result.balances[day] = ledger.balances(until=day)
        result.nights[day] = run.load_night(day)

    try:
        run_demo(run, on_night=after_night)
        yield result
    finally:
        if engine is not None:
            engine.dispose()
        shutil.rmtree(root, ignore_errors=True)


def test_every_night_ran_and_every_statement_was_imported(demo: Demo) -> None:
    assert sorted(demo.nights) == [d for d in demo.nights if FIRST_DAY <= d <= LAST_DAY]
    assert len(demo.nights) == (LAST_DAY - FIRST_DAY).days + 1
    imported = set()
    for day, night in demo.nights.items():
        assert night["exit_code"] == 0, (day, night["statements"])
        for statement in night["statements"]:
            assert statement["status"] in ("imported", "duplicate"), statement
            if statement["file"].startswith("VB-camt053-"):
                assert statement["status"] == "imported"
                imported.add(statement["file"])
            else:  # October again as MT940 / CSV: nothing new
                assert statement["new"] == 0, statement
    assert imported == {f"VB-camt053-{d}.xml" for d in bank_days()}


def test_the_ledger_equals_the_bank_every_day(demo: Demo) -> None:
    for day, ledger_balance in demo.ledger_bank.items():
        assert ledger_balance == demo.run.bank.balance_on(day), day


def test_no_household_ever_spends_money_it_does_not_have(demo: Demo) -> None:
    zero = Money("0")
    for day, balances in demo.balances.items():
        for code, household in HOUSEHOLDS.items():
            assert balances.get(vat(code), zero) >= zero, (day, code)
            for item in household.reserves:
                assert balances.get(reserve(code, item.id), zero) >= zero, (day, code, item.id)
            used = balances.get(advance(code), zero)
            assert zero <= used <= household.buffer.advance_limit, (day, code, used)
    # the September opbouw really leans on advances (so the check above has teeth)
    september = demo.balances[date(2026, 9, 15)]
    assert any(september.get(advance(code), zero) > zero for code in HOUSEHOLDS)


def test_no_payment_is_instructed_twice(demo: Demo) -> None:
    ids = [p["end_to_end_id"] for night in demo.nights.values() for p in night["payments"]]
    assert ids and len(ids) == len(set(ids))


def test_every_fixed_charge_is_paid_on_time(demo: Demo) -> None:
    # the demo's money always suffices (with the advances), so no charge may be late
    for code, household in HOUSEHOLDS.items():
        paid = demo.payments(code, "charge")
        for charge in household.charges:
            for due in charge.schedule.between(FIRST_DAY, LAST_DAY):
                if not (charge.is_valid_on(due) and household.is_active_on(due)):
                    continue
                match = next(
                    (
                        p
                        for p in paid
                        if p["iban"] == charge.payee_iban
                        and Money(p["amount"]) == charge.amount
                        and date.fromisoformat(p["execution_date"]) <= due
                    ),
                    None,
                )
                assert match is not None, (code, charge.id, due)
                paid.remove(match)


def test_the_zzp_household_gets_a_steady_leefgeld_from_irregular_income(demo: Demo) -> None:
    october_on = [
        Money(p["amount"])
        for p in demo.payments("HH-0004", "leefgeld")
        if p["execution_date"] >= "2026-10-05"
    ]
    assert len(october_on) >= 7
    assert (max(october_on) - min(october_on)) * 10 <= max(october_on)  # within 10%


def test_quarterly_kinderbijslag_does_not_make_leefgeld_jump(demo: Demo) -> None:
    weekly = demo.leefgeld("HH-0005")
    steps = [b for a, b in itertools.pairwise(weekly) if a != b]
    assert len(steps) <= 1  # at most the one announced step-up after the opbouwfase


def test_the_statushouder_is_not_planned_after_the_ontzorgen_period(demo: Demo) -> None:
    end = HOUSEHOLDS["HH-0007"].end
    assert end is not None
    executions = [date.fromisoformat(p["execution_date"]) for p in demo.payments("HH-0007")]
    assert executions and max(executions) <= end
    # just before the end, what is left in the buffer goes to the household
    restant = [p for p in demo.payments("HH-0007") if "Restant" in p["remittance"]]
    assert [p["execution_date"] for p in restant] == ["2026-11-13"]
    assert Money(restant[0]["amount"]).is_positive
    warned = demo.signals("HH-0007", "deelname")
    assert warned and min(warned) < end


def test_after_the_end_the_statushouder_has_no_open_planner_signals(demo: Demo) -> None:
    """Settled after the end: 'deelname eindigt' and the like are closed, not left open."""
    from huishoudboekje.adapters.persistence.nightly_repo import signal_rows

    engine = create_engine_from_url(demo.run.database_url)
    try:
        with UnitOfWork(engine) as uow:
            left = [
                (r.kind, r.message)
                for r in signal_rows(uow)
                if r.household == "HH-0007" and r.source == "planner"
            ]
    finally:
        engine.dispose()
    assert left == []


def test_the_stopped_alimentatie_raises_an_income_late_signal(demo: Demo) -> None:
    late = demo.signals("HH-0006", "alimentatie", "verwacht")
    assert late
    assert min(late) > date(2026, 11, 1)  # September and October were paid


def test_the_late_salary_is_signalled_before_it_arrives(demo: Demo) -> None:
    late = demo.signals("HH-0001", "loon", "verwacht")
    assert late and min(late) < date(2026, 10, 9)


def test_the_returned_payment_is_booked_back_and_signalled(demo: Demo) -> None:
    assert sum(night["returned"] for night in demo.nights.values()) == 1
    assert demo.signals("HH-0005", "AC04")


def test_the_unknown_payment_waits_in_suspense(demo: Demo) -> None:
    assert demo.nights[date(2026, 10, 14)]["unmatched"] >= 1
    everyone = {s["message"] for night in demo.nights.values() for s in night["signals"]}
    assert any("J. Smit" in message for message in everyone)


def test_the_reclaimed_toeslag_is_signalled_and_repaid_from_the_reserve(demo: Demo) -> None:
    assert demo.signals("HH-0008", "zorgtoeslag", "71,00")
    repaid = [p for p in demo.payments("HH-0008", "charge") if p["amount"] == "40.00"]
    assert [p["execution_date"][:7] for p in repaid] == ["2026-11"]


def test_the_rent_increase_and_the_energy_settlement_are_paid(demo: Demo) -> None:
    rents = sorted(
        (p["execution_date"], p["amount"])
        for p in demo.payments("HH-0002", "charge")
        if p["iban"] == "NL93RABO0123456780"
    )
    assert [amount for _, amount in rents] == ["812.50"] + ["849.00"] * (len(rents) - 1)
    assert len(rents) >= 2  # October's old rent, November's new one
    settlement = [p for p in demo.payments("HH-0001", "charge") if p["amount"] == "186.40"]
    assert len(settlement) == 1 and settlement[0]["execution_date"] <= "2026-11-18"


def test_a_second_run_changes_nothing_and_is_fast(demo: Demo) -> None:
    started = time.monotonic()
    again = run_demo(DemoRun(demo.run.root, demo.run.database_url))
    assert again.ran == [] and len(again.skipped) == len(demo.nights)
    assert time.monotonic() - started < 15
    engine = create_engine_from_url(demo.run.database_url)
    try:
        with UnitOfWork(engine) as uow:
            assert load_ledger(uow).balance(BANK, until=LAST_DAY) == demo.ledger_bank[LAST_DAY]
    finally:
        engine.dispose()
