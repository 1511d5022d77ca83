"""Several gemeenten through the real night (issue 22.1), SQLite and PostgreSQL.

`docs/examples/regio.yaml` holds Westdorp and Oosterveen, each with one household
that gets the same zorgtoeslag (same payer, same amount, same words) and pays a huur.
Only the pooled account a credit arrives on tells whose it is. Each gemeente has its
own simulated bank (tests/nightly_bank.py) writing its CAMT.053 into the one inbox
and executing the payments of its own pain.001 files; the gemeenten have different
closing days.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.domain.money import ZERO
from tests.camt_writer import CamtStatement, write_camt053
from tests.nightly_bank import Bank, Income
from tests.nightly_support import TOESLAGEN, days

ROOT = Path(__file__).resolve().parents[1]
REGIO = ROOT / "docs" / "examples" / "regio.yaml"
WEST = "NL91ABNA0417164300"
OOST = "NL41RABO0123400001"
OOST_RESERVE = "NL45BUNQ2000111222"
ZORGTOESLAG = Income(date(2026, 2, 20), "131.00", *TOESLAGEN, "zorgtoeslag 2026-02")


def quiet(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


def deliver(bank: Bank, day: date, incomes: list[Income], inbox: Path) -> None:
    """The bank's statement of `day`, named by its account (two banks, one inbox)."""
    path = bank.statement(day, incomes, inbox)
    path.rename(path.with_name(f"{bank.account}-{path.name}"))


def night(db: str, var: Path, day: date) -> dict[str, Any]:
    code, out = quiet(
        "nightly", "--date", day.isoformat(), "--var", str(var), "--json", "--database", db
    )
    assert code in (0, 1), out
    report: dict[str, Any] = json.loads(out)
    return report


def credits(db: str) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(pooled account, bank reference) -> (status, household) of every credit."""
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            rows = uow.session.exec(select(BankTransactionRow)).all()
            return {
                (r.account_iban, r.bank_reference): (r.status, r.household)
                for r in rows
                if r.amount > 0
            }
    finally:
        engine.dispose()


@pytest.fixture
def regional(db_url: str, tmp_path: Path) -> tuple[str, Path, Bank, Bank]:
    pytest.importorskip("connectors.pain001")
    assert quiet("config", "apply", str(REGIO), "--database", db_url)[0] == 0
    var = tmp_path / "var"
    west, oost = Bank(account=WEST), Bank(account=OOST)
    for tonight in days(date(2026, 2, 21), date(2026, 3, 3)):
        day = tonight - timedelta(days=1)
        for bank in (west, oost):
            deliver(bank, day, [ZORGTOESLAG] if day == ZORGTOESLAG.day else [], var / "inbox")
        night(db_url, var, tonight)
        west.collect(var / "outbox" / WEST)
        oost.collect(var / "outbox" / OOST)
    return db_url, var, west, oost


def test_the_same_payer_and_amount_match_only_in_the_gemeente_of_the_account(
    regional: tuple[str, Path, Bank, Bank],
) -> None:
    db, _, _, _ = regional
    found = credits(db)
    assert found == {
        (WEST, "BANK2026022000001"): ("matched", "W-0001"),
        (OOST, "BANK2026022000001"): ("matched", "O-0001"),
    }


def test_each_pooled_account_gets_its_own_payment_files(
    regional: tuple[str, Path, Bank, Bank],
) -> None:
    from connectors.pain001 import read_pain001

    _, var, west, oost = regional
    assert not list((var / "outbox").glob("pain001-*.xml"))  # none outside the subfolders
    for account, bank, household in ((WEST, west, "W-0001"), (OOST, oost, "O-0001")):
        files = sorted((var / "outbox" / account).glob("pain001-*.xml"))
        assert files
        for path in files:
            parsed = read_pain001(path.read_bytes(), path.name)
            assert parsed.debtor.iban == account
            assert all(p.end_to_end_id.startswith(household) for p in parsed.payments)
        assert any(e2e.startswith(f"{household}-huur-") for e2e in bank.instructed)


def test_each_gemeente_keeps_its_own_closing_days(
    regional: tuple[str, Path, Bank, Bank],
) -> None:
    """The huur due Sunday 1 March goes out on the business day before: Friday 27
    February in Oosterveen, Thursday 26 February in Westdorp (closed on the 27th)."""
    _, _, west, oost = regional
    (west_huur,) = [e for e in west.executed if e.end_to_end_id.startswith("W-0001-huur-")]
    (oost_huur,) = [e for e in oost.executed if e.end_to_end_id.startswith("O-0001-huur-")]
    assert west_huur.requested == date(2026, 2, 26)
    assert oost_huur.requested == date(2026, 2, 27)


def test_a_statement_of_the_second_pooled_account_is_its_gemeentes(
    db_url: str, tmp_path: Path
) -> None:
    assert quiet("config", "apply", str(REGIO), "--database", db_url)[0] == 0
    var = tmp_path / "var"
    reserve = Bank(account=OOST_RESERVE)
    deliver(reserve, ZORGTOESLAG.day, [ZORGTOESLAG], var / "inbox")
    report = night(db_url, var, ZORGTOESLAG.day + timedelta(days=1))
    assert report["statements"][0]["status"] == "imported", report
    assert credits(db_url) == {(OOST_RESERVE, "BANK2026022000001"): ("matched", "O-0001")}


def test_a_statement_of_an_account_no_gemeente_has_is_refused(db_url: str, tmp_path: Path) -> None:
    assert quiet("config", "apply", str(REGIO), "--database", db_url)[0] == 0
    var = tmp_path / "var"
    stranger = "NL67INGB0006543210"
    statement = CamtStatement(stranger, ZERO, (), statement_id="STMT-X")
    inbox = var / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "vreemd.xml").write_bytes(write_camt053([statement]))
    report = night(db_url, var, date(2026, 2, 21))
    (result,) = report["statements"]
    assert result["status"] == "rejected"
    assert f"is van rekening {stranger}, niet van een derdengeldenrekening" in result["error"]
    assert WEST in result["error"] and OOST_RESERVE in result["error"]
    assert (var / "inbox" / "rejected" / "vreemd.xml").exists()
    assert credits(db_url) == {}


def test_the_export_reads_only_the_gemeente_of_the_file_it_makes(db_url: str) -> None:
    """A spread export (issue 22.2) finds tonight's files from one grouped query, and
    each file's batch reads its own gemeente's instructions, not every gemeente's. That
    must give the same files, dates and instructions as reading them all (dates before the first
    business day moved to it, per gemeente calendar; a household that is not stored
    counts as the first gemeente's)."""
    from huishoudboekje.adapters.persistence.instruction_repo import add_instructions
    from huishoudboekje.domain.money import Money
    from huishoudboekje.domain.payments import PaymentInstruction
    from huishoudboekje.services.night_export import (
        account_export,
        export_groups,
        exports_per_account,
        paying_account,
    )

    assert quiet("config", "apply", str(REGIO), "--database", db_url)[0] == 0
    real_day = date(2026, 2, 27)  # Westdorp is closed: its first business day is 2 March

    def payment(code: str, day: date, n: int) -> PaymentInstruction:
        return PaymentInstruction(
            f"{code}-test-{n}", code, "charge", "huur", "Woonstichting", "NL56RABO9314170586",
            "", Money("10.00"), day, "huur", "", "",
        )  # fmt: skip

    days = (date(2026, 2, 25), date(2026, 2, 27), date(2026, 3, 2), date(2026, 3, 5))
    engine = create_engine_from_url(db_url)
    try:
        with UnitOfWork(engine) as uow:
            codes = ("W-0001", "O-0001", "X-GONE")
            add_instructions(
                uow,
                [payment(c, d, n) for n, (c, d) in enumerate((c, d) for c in codes for d in days)],
                real_day,
            )
            uow.commit()
        everything = exports_per_account(engine, real_day)
        assert [paying_account(engine, b) for b in everything] == [WEST, OOST]
        assert export_groups(engine, real_day) == [
            (paying_account(engine, batch), day)
            for batch in everything
            for day in sorted(batch.groups)
        ]
        assert sorted(everything[0].groups) == [date(2026, 3, 2), date(2026, 3, 5)]
        assert sorted(everything[1].groups) == [
            date(2026, 2, 27),
            date(2026, 3, 2),
            date(2026, 3, 5),
        ]
        for batch in everything:
            assert account_export(engine, real_day, paying_account(engine, batch)) == batch
        assert account_export(engine, real_day, OOST_RESERVE) is None  # pays for no one
    finally:
        engine.dispose()
