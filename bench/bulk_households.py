"""Insert many new households at once, for benchmarks at 100,000 households.

`save_household` is one upsert per household (a SELECT, an INSERT and the read
model's rows, each a round trip): fine for the caseload, minutes at 100,000. This
writes the same rows as `save_household` on an empty database, with one
multi-row INSERT per table and chunk: the household rows, their search words and
their placeholder status rows. `tests/test_bench_bulk_households.py` holds it to
that: the tables after `insert_new_households` equal those after `save_household`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from huishoudboekje.adapters.persistence.repository import household_columns
from huishoudboekje.adapters.persistence.status_repo import (
    SEARCH,
    STATUS,
    _placeholder,
    search_tokens,
)
from huishoudboekje.adapters.persistence.tables import HouseholdRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Household

HOUSEHOLD = table_of(HouseholdRow)
CHUNK = 2_000  # households per INSERT batch: bounded memory, few round trips


def household_values(household: Household, at: datetime) -> dict[str, Any]:
    """The household table's row for a new household, as `save_household` writes it."""
    return {
        "code": household.code,
        **household_columns(household),
        "gemeente_id": household.gemeente_id,
        "created_at": at,
        "updated_at": at,
    }


def insert_new_households(uow: UnitOfWork, households: Sequence[Household], at: datetime) -> None:
    """Insert `households` (none of them stored yet) with their search words and
    placeholder statuses, in batches (not committed)."""
    session = uow.session
    for start in range(0, len(households), CHUNK):
        chunk = households[start : start + CHUNK]
        session.execute(insert(HOUSEHOLD), [household_values(h, at) for h in chunk])
        session.execute(
            insert(SEARCH),
            [
                {"token": token, "household": h.code}
                for h in chunk
                for token in sorted(search_tokens(h.code, h.name))
            ],
        )
        session.execute(insert(STATUS), [_placeholder(h) for h in chunk])
