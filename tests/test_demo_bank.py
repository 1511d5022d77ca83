"""The demo's simulated bank: runs outbox payments on their date, returns one, keeps balances."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from connectors.camt import IMPORTERS as CAMT_IMPORTERS
from connectors.registry import detect
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.money import ZERO, Money
from sample_statements.bank import SimulatedBank
from sample_statements.generate import STATEMENTS
from sample_statements.incoming import bank_days

ROOT = Path(__file__).resolve().parents[1]
CLOSED = "NL59RABO0199887766"


@dataclass(frozen=True)
class FakePayment:
    end_to_end_id: str
    execution_date: date
    amount: Money
    creditor_name: str
    creditor_iban: str
    creditor_bic: str = ""
    remittance: str = ""
    structured_reference: str = ""


def read_json_payments(data: bytes, file: str) -> Sequence[FakePayment]:
    """Stands in for read_pain001 so the bank is tested without the exporter."""
    return [
        FakePayment(
            p["id"], date.fromisoformat(p["date"]), Money(p["amount"]), p["name"], p["iban"]
        )
        for p in json.loads(data)
    ]


def outbox_file(outbox: Path, name: str, payments: list[dict[str, str]]) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / name).write_text(json.dumps(payments))


def make_bank(tmp_path: Path) -> SimulatedBank:
    return SimulatedBank(
        STATEMENTS,
        tmp_path / "outbox",
        tmp_path / "inbox",
        tmp_path / "bank",
        read_json_payments,
        all_formats=True,
    )


def delivered(path: Path) -> Statement:
    (statement,) = CAMT_IMPORTERS[0].extract(path)
    return statement


def test_without_payments_the_bank_delivers_the_committed_incoming_days(tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    for day in bank_days()[:10]:
        (path,) = bank.book_day(day)
        ours = delivered(path)
        committed = delivered(STATEMENTS / "camt053" / f"{day}.xml")
        assert ours.opening_balance == committed.opening_balance
        assert ours.closing_balance == committed.closing_balance
        assert [tx.bank_reference for tx in ours.transactions] == [
            tx.bank_reference for tx in committed.transactions
        ]


def test_payments_execute_on_their_date_and_one_comes_back(tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    outbox_file(
        tmp_path / "outbox",
        "pain001-a.xml",
        [
            {"id": "E1", "date": "2026-09-10", "amount": "24.50", "name": "Club", "iban": CLOSED},
            {
                "id": "E2",
                "date": "2026-09-10",
                "amount": "100.00",
                "name": "Huur",
                "iban": "NL93RABO0123456780",
            },
            {"id": "E3", "date": "2026-09-14", "amount": "24.50", "name": "Club", "iban": CLOSED},
        ],
    )
    lines: dict[date, list[BankTransaction]] = {}
    previous_closing = ZERO
    for day in [d for d in bank_days() if d <= date(2026, 9, 15)]:
        (path,) = bank.book_day(day)
        statement = delivered(path)
        assert statement.opening_balance == previous_closing
        total = sum((tx.amount for tx in statement.transactions), ZERO)
        assert statement.closing_balance == previous_closing + total
        previous_closing = statement.closing_balance
        lines[day] = list(statement.transactions)
    debits = {
        tx.end_to_end_id: d for d, txs in lines.items() for tx in txs if tx.amount.is_negative
    }
    assert debits == {"E1": date(2026, 9, 10), "E2": date(2026, 9, 10), "E3": date(2026, 9, 14)}
    returns = [(d, tx) for d, txs in lines.items() for tx in txs if tx.is_return]
    assert len(returns) == 1  # only the first payment to the closed account comes back
    day, back = returns[0]
    assert day == date(2026, 9, 11)
    assert (back.original_end_to_end_id, back.return_reason, back.amount) == (
        "E1",
        "AC04",
        Money("24.50"),
    )
    incoming = sum(
        (
            tx.amount
            for d in lines
            for tx in delivered(STATEMENTS / "camt053" / f"{d}.xml").transactions
        ),
        ZERO,
    )
    assert previous_closing == incoming - Money("149.00") + Money("24.50")
    assert bank.balance_on(date(2026, 9, 15)) == previous_closing


def test_a_day_is_booked_once(tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    assert bank.book_day(date(2026, 9, 1))
    first = (tmp_path / "inbox" / "VB-camt053-2026-09-01.xml").read_bytes()
    assert bank.book_day(date(2026, 9, 1)) == []
    assert bank.book_day(date(2026, 9, 5)) == []  # a Saturday: no statement
    assert (tmp_path / "inbox" / "VB-camt053-2026-09-01.xml").read_bytes() == first


def test_october_is_also_delivered_as_mt940_and_csv_after_month_end(tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    outbox_file(
        tmp_path / "outbox",
        "p.xml",
        [
            {
                "id": "E9",
                "date": "2026-10-15",
                "amount": "50.00",
                "name": "X",
                "iban": "NL93RABO0123456780",
            }
        ],
    )
    for day in [d for d in bank_days() if date(2026, 10, 1) <= d <= date(2026, 11, 2)]:
        files = bank.book_day(day)
    names = sorted(p.name for p in files)
    assert names == ["VB-2026-10-ing.csv", "VB-2026-10.mt940", "VB-camt053-2026-11-02.xml"]
    october = [
        tx
        for d in bank_days()
        if d.month == 10
        for tx in delivered(tmp_path / "bank" / f"{d}.xml").transactions
    ]
    assert any(tx.end_to_end_id == "E9" for tx in october)
    for name, module in [
        ("VB-2026-10.mt940", "connectors.mt940"),
        ("VB-2026-10-ing.csv", "connectors.csv_banks"),
    ]:
        if importlib.util.find_spec(module) is None:
            continue
        path = tmp_path / "inbox" / name
        parsed = [tx for s in detect(path).extract(path) for tx in s.transactions]
        key = lambda tx: (tx.booking_date, tx.amount, tx.counterparty_iban)  # noqa: E731
        assert sorted(map(key, parsed)) == sorted(map(key, october))


def test_the_bank_executes_a_real_pain001_file(tmp_path: Path) -> None:
    pain = pytest.importorskip("connectors.pain001")
    from datetime import UTC, datetime

    from huishoudboekje.domain.payments import Debtor, PaymentInstruction

    instruction = PaymentInstruction(
        end_to_end_id="HHB-HH-0001-huur-20260910",
        household="HH-0001",
        kind="charge",
        charge_id="huur",
        payee_name="Woonstichting Voorbeeld",
        payee_iban="NL93RABO0123456780",
        payee_bic="",
        amount=Money("725.40"),
        execution_date=date(2026, 9, 10),
        remittance="Huur september",
        structured_reference="",
        reason="huur",
    )
    debtor = Debtor("Gemeente Voorbeeldstad Huishoudboekje", "NL90INGB0005550001", "INGBNL2A")
    message = pain.build_pain001([instruction], debtor, created_at=datetime(2026, 9, 9, tzinfo=UTC))
    (tmp_path / "outbox").mkdir()
    pain.write_pain001(message, tmp_path / "outbox")
    bank = SimulatedBank(STATEMENTS, tmp_path / "outbox", tmp_path / "inbox", tmp_path / "bank")
    (path,) = bank.book_day(date(2026, 9, 10))
    (debit,) = [tx for tx in delivered(path).transactions if tx.amount.is_negative]
    assert (debit.end_to_end_id, debit.amount) == (instruction.end_to_end_id, Money("-725.40"))
    assert debit.counterparty_iban == "NL93RABO0123456780"


def test_product_code_never_imports_the_demo() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+sample_statements", re.MULTILINE)
    for package in ("huishoudboekje", "connectors", "scheduler", "web", "cli"):
        for path in (ROOT / package).rglob("*.py"):
            assert not pattern.search(path.read_text(encoding="utf-8")), path
