"""Planner statistics after the night's bulk writes (PostgreSQL).

The plan stage reads per batch of households with `household IN (...)` queries on
the tables the stages before it have just filled: postings and journal entries
(book), bank transactions (dedupe, match), planner memory (book), signals. When a
table's statistics are older than most of its rows, as on the first nights after
households are taken in or moved over, PostgreSQL guesses that such a query returns
half the table and scans all of it, once per batch: the plan stage then grows with
the square of the number of households (measured at 40,000 households: 40 ms
instead of 1 ms per batch query). Autovacuum refreshes statistics in its own time,
often minutes later; `refresh_statistics` does it before the plan stage starts,
which costs about a second whatever the size (ANALYZE reads a sample of each table).
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    PaymentInstructionRow,
    SignalRow,
)
from huishoudboekje.adapters.persistence.status_tables import HouseholdStatusRow
from huishoudboekje.adapters.persistence.tables import (
    EngineStateRow,
    JournalEntryRow,
    PostingRow,
    table_of,
)

log = logging.getLogger("hhb.nightly")

# the tables the stages before `plan` write in bulk and the plan's batches read
NIGHT_TABLES = tuple(
    table_of(row).name
    for row in (
        PostingRow,
        JournalEntryRow,
        BankTransactionRow,
        EngineStateRow,
        SignalRow,
        PaymentInstructionRow,
        HouseholdStatusRow,
    )
)


LOCK_TIMEOUT = "5s"  # a VACUUM or ANALYZE someone runs by hand is not waited for longer


def refresh_statistics(engine: Engine, tables: tuple[str, ...] = NIGHT_TABLES) -> float | None:
    """ANALYZE `tables` on PostgreSQL; returns the seconds it took (None: not PostgreSQL,
    where SQLite's planner uses the indexes without statistics, or it could not be
    done). It is an optimisation: when it fails (a table locked longer than
    `LOCK_TIMEOUT`, a role that may not analyze) the night goes on without it and the
    reason goes to the log. A table the role does not own is skipped by PostgreSQL
    with a warning in the database's log."""
    if engine.dialect.name != "postgresql":
        return None
    started = time.perf_counter()
    quote = engine.dialect.identifier_preparer.quote
    try:
        with engine.connect() as connection:
            connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
            connection.execute(text(f"ANALYZE {', '.join(quote(name) for name in tables)}"))
            connection.commit()
    except SQLAlchemyError:
        log.warning("statistics of %s not refreshed", ", ".join(tables), exc_info=True)
        return None
    seconds = time.perf_counter() - started
    log.info("statistics of %s refreshed in %.2f s", ", ".join(tables), seconds)
    return seconds
