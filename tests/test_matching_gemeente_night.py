"""A month of a generated gemeente through the real night (issue 16), SQLite and PostgreSQL.

`tests/realistic_gemeente.py` builds the households (shared payers, shared amounts,
references in the payers' formats, late money, strangers); `hhb config apply`
loads them; the simulated bank (tests/nightly_bank.py) delivers each day's CAMT.053
with the credits and executes the payments from the pain.001 files; `hhb nightly`
runs every night. Staff assign what matching left in suspense (the service behind
`hhb assign`, on the simulated day), using the ground truth; strangers stay in suspense.

At month end, for every household, `hhb status`'s vat equals what the household
really received minus what was paid for it (every payment the bank got for it), and
no fixed charge is late that the household's money covered.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url
from huishoudboekje.adapters.persistence.transaction_repo import transactions
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.business_calendar import BusinessCalendar
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.services.nightly import assign_credit
from tests.nightly_bank import Bank, Executed
from tests.realistic_gemeente import RealisticGemeente, generate

HOUSEHOLDS = int(os.environ.get("HHB_TEST_GEMEENTE_HOUSEHOLDS", "200"))
FIRST = date(2026, 3, 1)
LAST = date(2026, 3, 31)
SEED = 1616


def quiet(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


def unmatched(db: str) -> list[tuple[int, str]]:
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            rows = transactions(uow, TxStatus.UNMATCHED)
            return [(int(r.id or 0), r.bank_reference) for r in rows]
    finally:
        engine.dispose()


def assign_what_staff_would(db: str, gemeente: RealisticGemeente, today: date) -> list[str]:
    """Give each suspense credit to its household (ground truth), as `hhb assign` does
    but on the simulated day (the planner's memory is dated by it); strangers stay."""
    truth = gemeente.truth()
    assigned = []
    engine = create_engine_from_url(db)
    try:
        for transaction_id, reference in unmatched(db):
            owner = truth[reference]
            if owner is not None:
                assign_credit(engine, str(transaction_id), *owner, actor="medewerker", today=today)
                assigned.append(reference)
    finally:
        engine.dispose()
    return assigned


@pytest.fixture(scope="module")
def gemeente() -> RealisticGemeente:
    return generate(HOUSEHOLDS, SEED, FIRST, LAST)


def test_a_month_of_a_generated_gemeente_keeps_every_vat_true(
    db_url: str, gemeente: RealisticGemeente, tmp_path: Path
) -> None:
    pytest.importorskip("connectors.pain001")
    config = tmp_path / "gemeente.yaml"
    config.write_text(yaml.safe_dump(gemeente.config(), allow_unicode=True), encoding="utf-8")
    assert quiet("config", "apply", str(config), "--database", db_url)[0] == 0
    var, bank = tmp_path / "var", Bank(account=gemeente.gemeente.account_iban)
    automatic, assigned_on = 0, {}
    night = FIRST + timedelta(days=1)
    while night <= LAST + timedelta(days=1):
        day = night - timedelta(days=1)
        bank.extra[day] = gemeente.credits_on(day)
        bank.statement(day, [], var / "inbox")
        code, out = quiet(
            "nightly",
            "--date",
            night.isoformat(),
            "--var",
            str(var),
            "--json",
            "--database",
            db_url,
        )
        assert code in (0, 1), out
        automatic += json.loads(out)["matched"]
        for reference in assign_what_staff_would(db_url, gemeente, night):
            assigned_on[reference] = night  # the household's from the next night on
        bank.collect(var / "outbox")
        night += timedelta(days=1)
    month = [c for c in gemeente.credits if c.tx.booking_date <= LAST]
    belonging = [c for c in month if c.household is not None]
    assert automatic + len(assigned_on) == len(belonging)
    with_reference = [c for c in belonging if c.has_reference]
    assert automatic >= 0.99 * len(with_reference)

    end = LAST + timedelta(days=1)
    code, out = quiet("status", "--all", "--date", end.isoformat(), "--json", "--database", db_url)
    assert code == 0
    vats = {s["household"]: Money(s["vat"]) for s in json.loads(out)}
    paid = _paid_by_household(bank)
    for household in gemeente.households:
        received = sum((c.tx.amount for c in belonging if c.household == household.code), ZERO)
        spent = paid.get(household.code, ZERO)
        assert vats[household.code] == received - spent, (
            household.code,
            [
                (str(c.tx.booking_date), str(c.tx.amount), c.income)
                for c in belonging
                if c.household == household.code
            ],
            {e: str(p.amount) for e, p in bank.pending.items() if e.startswith(household.code)},
            [
                (e.end_to_end_id, str(e.amount))
                for e in bank.executed
                if e.end_to_end_id.startswith(household.code)
            ],
        )
    _no_covered_charge_is_late(gemeente, bank, assigned_on)


def _owner(end_to_end_id: str) -> str:
    return "-".join(end_to_end_id.split("-")[:2])


def _paid_by_household(bank: Bank) -> dict[str, Money]:
    """Every payment the bank received for a household: executed or waiting for its date."""
    out: dict[str, Money] = {}
    for executed in bank.executed:
        owner = _owner(executed.end_to_end_id)
        out[owner] = out.get(owner, ZERO) + executed.amount
    for e2e, payment in bank.pending.items():
        out[_owner(e2e)] = out.get(_owner(e2e), ZERO) + payment.amount
    return out


def _paid_before(executed: dict[str, Executed], e2e: str, day: date) -> bool:
    return e2e in executed and executed[e2e].day < day


def _no_covered_charge_is_late(
    gemeente: RealisticGemeente, bank: Bank, assigned_on: dict[str, date]
) -> None:
    """A charge due on D that the household's money covered is executed on or before D.

    Covered: the credits that were the household's by the night before the charge's
    execution day E (the business day on or before D) — matched in the night after
    their booking day, or assigned by staff after a night — minus everything paid
    for the household before D, hold the amount and every charge that comes before
    it under strict priority and was not paid before D."""
    executed = {e.end_to_end_id: e for e in bank.executed}
    calendar = BusinessCalendar()
    checked = 0
    for household in gemeente.households:
        credits = [c for c in gemeente.credits if c.household == household.code]
        for charge in household.charges:
            for due in charge.schedule.between(FIRST, LAST + timedelta(days=1)):
                e2e = f"{household.code}-{charge.id}-{due:%Y%m%d}"
                last_night = calendar.on_or_before(due) - timedelta(days=1)
                money_in = sum(
                    (
                        c.tx.amount
                        for c in credits
                        if assigned_on.get(c.tx.bank_reference, c.tx.booking_date) < last_night
                    ),
                    ZERO,
                )
                out = sum(
                    (
                        e.amount
                        for e in bank.executed
                        if _owner(e.end_to_end_id) == household.code
                        and e.day < due
                        and e.end_to_end_id != e2e
                    ),
                    ZERO,
                )
                # strict priority (issue 17): a charge that comes first (higher priority,
                # or the same and due earlier) and is not paid before D claims money first
                key = (charge.effective_priority, due, charge.id)
                claims = sum(
                    (
                        other.amount
                        for other in household.charges
                        for other_due in other.schedule.between(FIRST, due)
                        if (other.effective_priority, other_due, other.id) < key
                        and not _paid_before(
                            executed, f"{household.code}-{other.id}-{other_due:%Y%m%d}", due
                        )
                    ),
                    ZERO,
                )
                if money_in - out - claims < charge.amount:
                    continue
                checked += 1
                if e2e in bank.pending:  # instructed for its date, which is after the month
                    assert bank.pending[e2e].execution_date <= due, e2e
                    continue
                assert e2e in executed, (e2e, money_in, out)
                assert executed[e2e].day <= due, e2e
    assert checked
