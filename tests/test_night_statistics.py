"""Planner statistics before the plan stage (issue 22.3): on PostgreSQL the night
ANALYZEs the tables the stages before the plan filled, so the plan's batch queries
(`household IN (...)`) find the rows through the index instead of scanning a table
whose statistics still say it is empty; on SQLite there is nothing to do."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import Engine, text

from huishoudboekje.adapters.persistence.journal import append_journal_entries
from huishoudboekje.adapters.persistence.statistics import NIGHT_TABLES, refresh_statistics
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.ledger import Account, AccountKind, JournalEntry, Posting
from huishoudboekje.domain.money import Money

DAY = date(2026, 3, 6)
HOUSEHOLDS = 3000


def income(n: int) -> JournalEntry:
    code = f"HH-{n:05d}"
    return JournalEntry(
        f"inkomen-{code}",
        DAY,
        "salaris",
        (
            Posting(Account(AccountKind.BANK, "", ""), Money("100.00")),
            Posting(Account(AccountKind.VAT, code, ""), Money("-100.00")),
        ),
        kind="income",
    )


def estimated_rows(engine: Engine) -> int:
    """The rows PostgreSQL expects a plan batch's query to find (100 households: 100)."""
    codes = ", ".join(f"'HH-{n:05d}'" for n in range(100, 200))
    with engine.connect() as connection:
        top = (
            connection.execute(
                text(f"EXPLAIN SELECT entry_seq FROM posting WHERE household IN ({codes})")
            )
            .scalars()
            .first()
        )
    match = re.search(r"rows=(\d+)", str(top))
    assert match is not None, top
    return int(match.group(1))


def test_the_statistics_follow_what_the_night_wrote(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        assert refresh_statistics(engine) is None
        return
    refresh_statistics(engine)  # as after the migration: every table empty
    with UnitOfWork(engine) as uow:
        append_journal_entries(uow, [income(n) for n in range(HOUSEHOLDS)])
        uow.commit()
    with engine.connect() as connection:
        connection.execute(text("ANALYZE posting (id)"))  # statistics without the household
        connection.commit()
    assert estimated_rows(engine) >= HOUSEHOLDS  # half the table, the planner guesses

    seconds = refresh_statistics(engine)

    assert seconds is not None and seconds >= 0
    assert estimated_rows(engine) < 300  # 100 households, one posting each
    with engine.connect() as connection:
        analysed = connection.execute(
            text(
                "SELECT relname FROM pg_stat_user_tables "
                "WHERE last_analyze IS NOT NULL AND relname = ANY(:names)"
            ),
            {"names": list(NIGHT_TABLES)},
        ).scalars()
        assert set(analysed) == set(NIGHT_TABLES)


@pytest.mark.parametrize("name", NIGHT_TABLES)
def test_every_table_named_exists(engine: Engine, name: str) -> None:
    with engine.connect() as connection:
        connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()


def test_a_night_goes_on_when_the_statistics_cannot_be_refreshed(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """ANALYZE is an optimisation: a table it cannot analyze (here: one that does not
    exist; in life a lock held longer than 5 s) is a line in the log, not a failed night."""
    with caplog.at_level("WARNING", logger="hhb.nightly"):
        assert refresh_statistics(engine, ("no_such_table",)) is None
    if engine.dialect.name == "postgresql":
        assert "statistics of no_such_table not refreshed" in caplog.text
        assert refresh_statistics(engine) is not None  # the connection pool is still fine
