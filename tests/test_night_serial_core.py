"""The night's serial stages without ORM row objects (issue 22.3), on SQLite and PostgreSQL:
transactions stored with one Core insert read back column for column, changed by id in
groups of the columns each change names (the others keep their value), planner memories
inserted or updated by (household, key); and a household code found in a text without a
regular expression per code, exactly where the expression found it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.household_batch import (
    put_states,
    state_rows,
    state_values,
)
from huishoudboekje.adapters.persistence.statement_repo import add_statement, record_file
from huishoudboekje.adapters.persistence.transaction_repo import (
    add_transactions,
    transaction_columns,
    transactions,
    update_transactions,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.match_text import bounded_in
from huishoudboekje.domain.money import Money

NIGHT = date(2026, 3, 5)
ACCOUNT = "NL91ABNA0417164300"


def _tx(n: int, amount: str) -> BankTransaction:
    return BankTransaction(
        booking_date=NIGHT,
        value_date=NIGHT,
        amount=Money(amount),
        counterparty_name=f"Werkgever {n}",
        description=f"Salaris HH-{n:04d}",
        end_to_end_id=f"E2E-{n}",
        dedupe_key=f"key-{n}",
    )


def _store(engine: Engine, txs: list[BankTransaction]) -> None:
    statement = Statement(ACCOUNT, "STMT-1", tuple(txs), source_format="camt053")
    with UnitOfWork(engine) as uow:
        file_id = record_file(
            uow, name="a.xml", sha256="0" * 64, format="camt053", status="imported"
        )
        row_id = add_statement(uow, file_id, statement, len(txs))
        add_transactions(uow, row_id, statement, [(tx, f"fp-{tx.dedupe_key}") for tx in txs], NIGHT)
        uow.commit()


def test_transactions_are_stored_read_and_changed_column_for_column(engine: Engine) -> None:
    txs = [_tx(1, "1234.56"), _tx(2, "-17.05"), _tx(3, "0.01")]
    _store(engine, txs)
    with UnitOfWork(engine) as uow:
        rows = transaction_columns(uow, TxStatus.NEW)
        assert [r.dedupe_key for r in rows] == ["key-1", "key-2", "key-3"]
        assert [r.amount for r in rows] == [Decimal("1234.56"), Decimal("-17.05"), Decimal("0.01")]
        assert all(r.household is None and r.match_reasons is None for r in rows)
        update_transactions(
            uow,
            [
                {
                    "id": rows[0].id,
                    "status": "matched",
                    "household": "HH-0001",
                    "income_id": "salaris",
                    "match_reasons": {"reason": "kenmerk", "score": 9},
                },
                {"id": rows[1].id, "status": "unmatched", "match_reasons": {"runners_up": []}},
                {"id": rows[2].id, "journal_entry_id": "bank-key-3"},
            ],
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        stored = {r.dedupe_key: r for r in transactions(uow)}
        one, two, three = stored["key-1"], stored["key-2"], stored["key-3"]
        assert (one.status, one.household, one.income_id) == ("matched", "HH-0001", "salaris")
        assert one.match_reasons == {"reason": "kenmerk", "score": 9}
        assert one.fingerprint == "fp-key-1" and one.night == NIGHT
        assert one.account_iban == ACCOUNT and one.source_format == "camt053"
        assert (two.status, two.household, two.match_reasons) == (
            "unmatched",
            None,
            {"runners_up": []},
        )
        # a change names only the columns it changes: the others keep their value
        assert (three.status, three.journal_entry_id, three.match_reasons) == (
            "new",
            "bank-key-3",
            None,
        )
        assert [r.dedupe_key for r in transaction_columns(uow, unbooked=True)] == ["key-1", "key-2"]


def test_planner_memories_are_inserted_or_updated_by_household_and_key(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        put_states(uow, {("HH-1", "memory"): {"receipts": [1]}}, set())
        uow.commit()
    with UnitOfWork(engine) as uow:
        stored = state_values(uow, ["HH-1", "HH-2"], ["memory"])
        assert stored == {("HH-1", "memory"): {"receipts": [1]}}
        put_states(
            uow,
            {("HH-1", "memory"): {"receipts": [1, 2]}, ("HH-2", "memory"): {"receipts": []}},
            stored,
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        rows = state_rows(uow, ["HH-1", "HH-2"], ["memory"])
        assert {k: r.value for k, r in rows.items()} == {
            ("HH-1", "memory"): {"receipts": [1, 2]},
            ("HH-2", "memory"): {"receipts": []},
        }


TEXT = st.text(alphabet="ab0123 -٣²", max_size=12)  # ٣ is a \d digit, ² is not


@given(TEXT.filter(bool), TEXT)
@example("a1", "a1")
@example("a1", "0a1")
@example("a1", "a1٣")
@example("a1", "²a1²")
@example("a1", "5a1 a1")
@example("1", "11 1")
@example("1b1", "11b1b1")  # the second occurrence overlaps the first
def test_a_bounded_word_is_found_where_the_regular_expression_found_it(
    key: str, words: str
) -> None:
    expression = re.compile(rf"(?<!\d){re.escape(key)}(?!\d)")
    assert bounded_in(key, words) == (expression.search(words) is not None)


def test_a_plan_batch_reads_its_households_as_the_night_reads_them_all(engine: Engine) -> None:
    """`households_among` (a worker's plan batch) gives each household exactly as
    `load_households` does (rules, gemeente, newest consent), in the batch's order,
    leaving out a code no longer stored."""
    from huishoudboekje.adapters.config import parse_config
    from huishoudboekje.adapters.persistence import repository
    from huishoudboekje.adapters.persistence.night_batch_repo import households_among
    from huishoudboekje.adapters.persistence.repository import load_households
    from huishoudboekje.services.configuration import apply_config

    regio = Path(__file__).resolve().parents[1] / "docs" / "examples" / "regio.yaml"
    with UnitOfWork(engine) as uow:
        apply_config(uow, parse_config(regio.read_text(encoding="utf-8")))
    repository._CHECKED.clear()
    with UnitOfWork(engine) as uow:
        codes = [*reversed(repository.household_codes(uow)), "GEEN-0001"]
        first = households_among(uow, codes)
        assert not repository._CHECKED  # a worker keeps none of its batches' households
        everyone = {h.code: h for h in load_households(uow)}
        batch = households_among(uow, codes)
    assert [h.code for h in batch] == codes[:-1]
    assert first == batch == [everyone[c] for c in codes[:-1]]
    assert {h.gemeente_id for h in batch} == {1, 2}
    # the night's own process finds what its match checked: the same objects
    westdorp = [b for b in batch if b.gemeente_id == 1 and b.consent is None]
    assert westdorp and all(b is everyone[b.code] for b in westdorp)
