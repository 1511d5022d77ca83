"""Migration 0016 moves a one-gemeente database over as gemeente 1 (issue 22.1).

A database is built and run for a few nights, then taken back to revision 0013 (the
schema before several gemeenten: no codes, no pooled_account table, no gemeente_id
columns) holding one gemeente, households, staff and household accounts, a journal,
instructions and payment files. `alembic upgrade head` must give every household and
user gemeente 1, the gemeente its code made from its name and its pooled account the
first row of `pooled_account`. Then the same further nights run on it and on a twin
database that was never taken back: both end in the same state, the outboxes hold the
same bytes. SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url, migrate
from huishoudboekje.adapters.persistence.db import alembic_config
from huishoudboekje.adapters.persistence.repository import household_gemeenten, load_gemeenten
from huishoudboekje.services.user_accounts import Role, create_user
from tests.conftest import POSTGRES_ENV, _postgres_schema
from tests.nightly_bank import Bank
from tests.nightly_support import SAMPLE, days, dump, hhb, incomes_on, nightly_quiet

FIRST_NIGHTS = days(date(2026, 2, 21), date(2026, 2, 25))
LATER_NIGHTS = days(date(2026, 2, 26), date(2026, 3, 3))


def _run(db: str, var: Path, bank: Bank, nights: list[date]) -> None:
    for night in nights:
        day = date.fromordinal(night.toordinal() - 1)
        bank.statement(day, incomes_on(day), var / "inbox")
        assert nightly_quiet(night, db, var) in (0, 1)
        bank.collect(var / "outbox")


def _users(db: str) -> None:
    engine = create_engine_from_url(db)
    try:
        now = datetime(2026, 2, 20, 9, tzinfo=UTC)
        with UnitOfWork(engine) as uow:
            for username, role, household in (
                ("mira", Role.MEDEWERKER, None),
                ("jansen", Role.HOUSEHOLD, "HH-0001"),
            ):
                create_user(
                    uow,
                    None,
                    actor="test",
                    username=username,
                    display_name=username.capitalize(),
                    role=role,
                    household=household,
                    password=None,
                    now=now,
                )
    finally:
        engine.dispose()


def _downgrade_to_0013(db: str) -> None:
    from alembic import command

    engine = create_engine_from_url(db)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0013")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the same kind: the one migrated and its twin."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    first, second = _postgres_schema(base), _postgres_schema(base)
    yield next(first), next(second)
    for gen in (first, second):
        with pytest.raises(StopIteration):
            next(gen)


def test_a_one_gemeente_database_moves_over_as_gemeente_1(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    pytest.importorskip("connectors.pain001")
    migrated, twin = two_databases
    var = {migrated: tmp_path / "var-migrated", twin: tmp_path / "var-twin"}
    banks = {migrated: Bank(), twin: Bank()}
    for db in (migrated, twin):
        assert hhb("config", "apply", str(SAMPLE), db=db) == 0
        _users(db)
        _run(db, var[db], banks[db], FIRST_NIGHTS)

    _downgrade_to_0013(migrated)
    engine = create_engine_from_url(migrated)
    try:
        tables = inspect(engine)
        assert "pooled_account" not in tables.get_table_names()
        assert "code" not in {c["name"] for c in tables.get_columns("gemeente")}
        assert "gemeente_id" not in {c["name"] for c in tables.get_columns("household")}
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM journal_entry")).scalar()
            assert count and count > 0  # a journal to carry over
    finally:
        engine.dispose()

    migrate(migrated)  # alembic upgrade head
    engine = create_engine_from_url(migrated)
    try:
        with UnitOfWork(engine) as uow:
            gemeenten = load_gemeenten(uow)
            assert list(gemeenten) == [1]
            assert gemeenten[1].effective_code == "voorbeeldstad"
            assert set(household_gemeenten(uow).values()) == {1}
            accounts = uow.session.execute(
                text("SELECT iban, gemeente_id, name, bic FROM pooled_account")
            ).all()
            assert [tuple(a) for a in accounts] == [
                (
                    "NL91ABNA0417164300",
                    1,
                    "Gemeente Voorbeeldstad Huishoudboekje",
                    "ABNANL2A",
                )
            ]
            users = uow.session.execute(
                text("SELECT username, gemeente_id FROM user_account ORDER BY username")
            ).all()
            assert [tuple(u) for u in users] == [("jansen", 1), ("mira", 1)]
            code = uow.session.execute(text("SELECT code FROM gemeente WHERE id = 1")).scalar()
            assert code == "voorbeeldstad"
    finally:
        engine.dispose()

    # the nights after the upgrade behave as if nothing happened
    for db in (migrated, twin):
        _run(db, var[db], banks[db], LATER_NIGHTS)
    assert dump(migrated) == dump(twin)
    outbox = {db: sorted((var[db] / "outbox").glob("pain001-*.xml")) for db in (migrated, twin)}
    assert [p.name for p in outbox[migrated]] == [p.name for p in outbox[twin]]
    assert outbox[migrated]  # payment files were made, before and after the upgrade
    for mine, theirs in zip(outbox[migrated], outbox[twin], strict=True):
        assert mine.read_bytes() == theirs.read_bytes()
    assert banks[migrated].executed == banks[twin].executed
