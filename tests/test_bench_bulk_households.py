"""bench/bulk_households.py writes exactly what save_household writes, only faster."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from huishoudboekje.adapters.persistence import UnitOfWork, open_database, save_household
from huishoudboekje.adapters.persistence.status_repo import SEARCH, STATUS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bulk_households import HOUSEHOLD, insert_new_households
from bench.nightly_scale import household

AT = datetime(2026, 1, 1, tzinfo=UTC)


def _tables(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with UnitOfWork(engine) as uow:
        return {
            table.name: sorted(tuple(row) for row in uow.read(select(table)))
            for table in (HOUSEHOLD, SEARCH, STATUS)
        }


def test_bulk_insert_equals_saving_one_by_one(engine: Engine, tmp_path: Path) -> None:
    households = [household(n) for n in range(1, 8)]
    with UnitOfWork(engine) as uow:
        insert_new_households(uow, households, AT)
        uow.commit()
    reference = open_database(f"sqlite:///{tmp_path / 'one_by_one.sqlite3'}")
    with UnitOfWork(reference) as uow:
        for h in households:
            save_household(uow, h, at=AT)
        uow.commit()
    bulk, one_by_one = _tables(engine), _tables(reference)
    reference.dispose()
    assert len(bulk["household"]) == 7 and len(bulk["household_status"]) == 7
    assert bulk == one_by_one
