"""add_instructions and upsert_signals read what is stored in one query per chunk of
ids, not one per row (issue 22.3: a round trip per row is minutes at 100,000
households on PostgreSQL), and still store each id once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Engine, event, select

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.instruction_repo import add_instructions
from huishoudboekje.adapters.persistence.nightly_tables import PaymentInstructionRow, SignalRow
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

DAY = date(2026, 3, 6)


@contextmanager
def selects_on(engine: Engine, table: str) -> Iterator[list[str]]:
    """The SELECT statements on `table` run while the block runs."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        text = statement.lstrip().upper()
        if text.startswith("SELECT") and f"FROM {table.upper()}" in text:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def instruction(n: int, amount: str = "10.00") -> PaymentInstruction:
    return PaymentInstruction(
        f"E2E-{n:05d}",
        f"HH-{n:05d}",
        "leefgeld",
        "",
        f"Huishouden {n}",
        "NL93RABO0123456780",
        "RABONL2U",
        Money(amount),
        DAY,
        "leefgeld",
        "",
        "",
    )


def signal(n: int, message: str = "let op") -> Signal:
    return Signal(
        SignalKind.UNMATCHED_TRANSACTION, f"HH-{n:05d}", Severity.WARNING, message, f"S-{n:05d}"
    )


def test_add_instructions_reads_stored_ids_in_one_query_per_chunk(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        assert add_instructions(uow, [instruction(1, "99.00")], DAY) == 1
        uow.commit()
    many = [instruction(n) for n in range(1, 1201)]
    with selects_on(engine, "payment_instruction") as seen, UnitOfWork(engine) as uow:
        # one already stored (left alone), one twice in the list (added once)
        added = add_instructions(uow, [*many, instruction(7)], DAY)
        uow.commit()
    assert added == 1199
    assert len(seen) == 3  # 1,200 ids in chunks of 500, whatever the number of rows
    with UnitOfWork(engine) as uow:
        rows = uow.session.exec(select(PaymentInstructionRow)).scalars().all()
        assert len(rows) == 1200
        first = uow.session.get(PaymentInstructionRow, "E2E-00001")
        assert first is not None and first.amount == Money("99.00").amount


def test_upsert_signals_reads_known_keys_in_one_query_per_chunk(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        upsert_signals(uow, [signal(1, "eerder")], date(2026, 3, 1), "unmatched")
        uow.commit()
    many = [signal(n) for n in range(1, 1201)]
    with selects_on(engine, "signal") as seen, UnitOfWork(engine) as uow:
        upsert_signals(uow, [*many, signal(9, "nog eens")], DAY, "unmatched")
        uow.commit()
    assert len(seen) == 3
    with UnitOfWork(engine) as uow:
        assert len(uow.session.exec(select(SignalRow)).scalars().all()) == 1200
        known = uow.session.get(SignalRow, "S-00001")
        assert known is not None
        assert (known.first_seen, known.last_seen, known.message) == (
            date(2026, 3, 1),
            DAY,
            "let op",
        )
        again = uow.session.get(SignalRow, "S-00009")
        assert again is not None and again.message == "nog eens"
