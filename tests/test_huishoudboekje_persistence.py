"""Persistence on SQLite and (with HHB_TEST_POSTGRES_URL) PostgreSQL: migrations,
unit of work, households, config apply/export, journal, audit log, engine state."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, inspect, text

from huishoudboekje.adapters.config import Configuration, dump_config, load_config, parse_config
from huishoudboekje.adapters.persistence import (
    ChangeSet,
    JournalConflictError,
    Status,
    UnitOfWork,
    append_journal_entries,
    create_engine_from_url,
    database_url,
    delete_state,
    get_state,
    household_codes,
    load_audit_events,
    load_gemeente,
    load_household,
    load_households,
    load_journal_entries,
    load_ledger,
    migrate,
    record_audit,
    save_household,
    set_state,
)
from huishoudboekje.adapters.persistence.db import alembic_config
from huishoudboekje.adapters.persistence.engine_state import load_household_state
from huishoudboekje.adapters.persistence.tables import HhbTable
from huishoudboekje.domain.ledger import (
    BANK,
    SUSPENSE,
    JournalEntry,
    Posting,
    reserve,
    transfer,
    vat,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.services import configuration
from huishoudboekje.services.configuration import NothingToExportError, apply_config, export_config

SAMPLES = Path(__file__).parent / "samples"
DEMO = Path(__file__).parent / "samples" / "voorbeeldstad_basis.yaml"
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def demo() -> Configuration:
    return load_config(DEMO)


def apply(engine: Engine, config: Configuration, **kwargs: object) -> ChangeSet:
    with UnitOfWork(engine) as uow:
        return apply_config(uow, config, **kwargs)  # type: ignore[arg-type]


def export(engine: Engine) -> str:
    with UnitOfWork(engine) as uow:
        return export_config(uow)


def raise_rent(config: Configuration, code: str, amount: str) -> Configuration:
    households = []
    for h in config.households:
        if h.code == code:
            charges = tuple(
                dataclasses.replace(c, amount=Money(amount)) if c.id == "huur" else c
                for c in h.charges
            )
            h = dataclasses.replace(h, charges=charges)
        households.append(h)
    return dataclasses.replace(config, households=tuple(households))


# ------------------------------------------------------------------ migrations


def test_migrating_an_empty_database_gives_exactly_the_model_schema(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine_from_url(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, HhbTable.metadata) == []
            # the comparison does see a difference when there is one
            other = MetaData()
            for table in HhbTable.metadata.sorted_tables:
                table.to_metadata(other)
            Table("extra", other, Column("id", Integer, primary_key=True))
            other.tables["posting"].append_column(Column("new_column", Integer))
            other.tables["household"].c["name"].type = String(100)
            diffs = compare_metadata(context, other)
            kinds = {d[0] if isinstance(d, tuple) else d[0][0] for d in diffs}
            assert kinds == {"add_table", "add_column", "modify_type"}
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            assert context.get_current_revision() == head
    finally:
        engine.dispose()


def test_migrate_twice_and_downgrade_then_upgrade(db_url: str) -> None:
    migrate(db_url)
    migrate(db_url)  # already at head: nothing to do
    engine = create_engine_from_url(db_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(engine)
        assert {"household", "journal_entry", "posting", "audit_log", "engine_state"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_default_database_is_a_sqlite_file_under_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HHB_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    url = database_url()
    assert url == f"sqlite:///{tmp_path / 'var' / 'hhb.sqlite3'}"
    migrate(url)
    assert (tmp_path / "var" / "hhb.sqlite3").is_file()


def test_the_environment_variable_wins() -> None:
    env = {"HHB_DATABASE_URL": "postgresql+psycopg://u:p@db/hhb"}
    assert database_url(env) == "postgresql+psycopg://u:p@db/hhb"
    assert database_url({}, cwd=Path("/srv/hhb")) == "sqlite:////srv/hhb/var/hhb.sqlite3"


# --------------------------------------------------------------- unit of work


def test_nothing_is_saved_without_commit(engine: Engine) -> None:
    household = demo().households[0]
    with UnitOfWork(engine) as uow:
        save_household(uow, household)
        assert load_household(uow, household.code) == household  # visible inside
    with UnitOfWork(engine) as uow:
        assert load_households(uow) == ()


def test_an_exception_rolls_back(engine: Engine) -> None:
    household = demo().households[0]
    with pytest.raises(RuntimeError, match="boom"), UnitOfWork(engine) as uow:
        save_household(uow, household)
        raise RuntimeError("boom")
    with UnitOfWork(engine) as uow:
        assert household_codes(uow) == ()


def test_commit_saves(engine: Engine) -> None:
    households = demo().households
    with UnitOfWork(engine) as uow:
        for household in households:
            save_household(uow, household)
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert load_households(uow) == households
        assert household_codes(uow) == ("HH-0001", "HH-0002", "HH-0003")
        assert load_household(uow, "HH-9999") is None


def test_the_session_only_exists_inside_the_block(engine: Engine) -> None:
    uow = UnitOfWork(engine)
    with pytest.raises(RuntimeError, match="inside a 'with' block"):
        uow.commit()


def test_every_optional_field_is_stored(engine: Engine) -> None:
    config = load_config(SAMPLES / "config_full.yaml")
    apply(engine, config)
    with UnitOfWork(engine) as uow:
        assert load_households(uow) == config.households
        assert load_gemeente(uow) == config.gemeente


# ------------------------------------------------------------ apply and export


def test_first_apply_adds_and_second_apply_changes_nothing(engine: Engine) -> None:
    first = apply(engine, demo(), at=AT)
    assert first.gemeente.status is Status.ADDED
    assert [h.status for h in first.households] == [Status.ADDED] * 3
    assert first.has_changes
    second = apply(engine, demo())
    assert second.gemeente.status is Status.UNCHANGED
    assert [h.status for h in second.households] == [Status.UNCHANGED] * 3
    assert not second.has_changes
    assert "Nothing to change." in str(second)
    with UnitOfWork(engine) as uow:
        events = load_audit_events(uow)
    assert [e.action for e in events] == ["gemeente.create"] + ["household.create"] * 3
    assert {e.approved_by for e in events} == {"config-apply"}
    assert events[0].at == AT


def test_a_rent_increase_is_reported_and_audited(engine: Engine) -> None:
    apply(engine, demo())
    changes = apply(engine, raise_rent(demo(), "HH-0002", "849.00"), actor="j.devries")
    (updated,) = changes.with_status(Status.UPDATED)
    assert updated.code == "HH-0002"
    assert updated.fields == ()
    (rule,) = updated.rules
    assert (rule.section, rule.rule_id, rule.status) == ("charge", "huur", Status.UPDATED)
    assert [str(f) for f in rule.fields] == ["amount: 812.50 → 849.00"]
    assert "    charge huur: amount: 812.50 → 849.00" in changes.lines()
    with UnitOfWork(engine) as uow:
        (event,) = load_audit_events(uow, action="household.update")
        stored = load_household(uow, "HH-0002")
    assert (event.object_type, event.object_id) == ("household", "HH-0002")
    assert (event.actor, event.approved_by) == ("j.devries", "config-apply")
    assert event.before["charges"][0]["amount"] == "812.50"
    assert event.after["charges"][0]["amount"] == "849.00"
    assert stored is not None and stored.charges[0].amount == Money("849.00")


def test_rules_added_and_removed_within_a_household(engine: Engine) -> None:
    config = demo()
    apply(engine, config)
    jansen = config.households[0]
    new_income = dataclasses.replace(jansen.incomes[1], id="huurtoeslag-2", amount=Money("99"))
    changed = dataclasses.replace(
        jansen, incomes=(jansen.incomes[0], new_income), charges=jansen.charges[:1], members=4
    )
    changes = apply(engine, dataclasses.replace(config, households=(changed,)))
    household = changes.households[0]
    assert [str(f) for f in household.fields] == ["members: 3 → 4"]
    assert [str(r) for r in household.rules] == [
        "income huurtoeslag-2: added",
        "income zorgtoeslag: removed",
        "charge energie: removed",
        "charge zorgpremie: removed",
    ]


def test_a_household_left_out_of_the_file_is_reported_and_kept(engine: Engine) -> None:
    config = demo()
    apply(engine, config)
    smaller = dataclasses.replace(config, households=config.households[:2])
    changes = apply(engine, smaller)
    (missing,) = changes.with_status(Status.NOT_IN_FILE)
    assert missing.code == "HH-0003"
    assert "HH-0003 Dhr. Bakker: stored but not in this file; left as it is" in changes.lines()
    with UnitOfWork(engine) as uow:
        assert load_household(uow, "HH-0003") == config.households[2]


def test_a_dry_run_saves_nothing(engine: Engine) -> None:
    changes = apply(engine, demo(), dry_run=True)
    assert changes.dry_run and changes.has_changes
    assert "Dry run: nothing was saved." in changes.lines()
    with UnitOfWork(engine) as uow:
        assert load_households(uow) == ()
        assert load_gemeente(uow) is None
        assert load_audit_events(uow) == ()


def test_apply_is_one_transaction(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    saved: list[str] = []
    real_save = configuration.save_household

    def failing_save(uow: UnitOfWork, household: object, **kwargs: object) -> None:
        if saved:
            raise RuntimeError("disk full")
        saved.append("one")
        real_save(uow, household, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(configuration, "save_household", failing_save)
    with pytest.raises(RuntimeError, match="disk full"):
        apply(engine, demo())
    with UnitOfWork(engine) as uow:
        assert household_codes(uow) == ()
        assert load_gemeente(uow) is None
        assert load_audit_events(uow) == ()


def test_export_round_trips(engine: Engine) -> None:
    apply(engine, demo())
    exported = export(engine)
    config = demo()
    assert exported == dump_config(config.gemeente, config.households)
    assert not apply(engine, parse_config(exported)).has_changes


def test_gemeente_changes_are_reported(engine: Engine) -> None:
    config = demo()
    apply(engine, config)
    gemeente = dataclasses.replace(config.gemeente, max_days_early=1)
    changes = apply(engine, dataclasses.replace(config, gemeente=gemeente))
    assert changes.gemeente.status is Status.UPDATED
    assert [str(f) for f in changes.gemeente.fields] == ["max_days_early: 3 → 1"]
    with UnitOfWork(engine) as uow:
        assert load_gemeente(uow) == gemeente
        assert [e.action for e in load_audit_events(uow, object_type="gemeente")] == [
            "gemeente.create",
            "gemeente.update",
        ]


def test_export_of_an_empty_database(engine: Engine) -> None:
    with pytest.raises(NothingToExportError), UnitOfWork(engine) as uow:
        export_config(uow)


# ------------------------------------------------------------------- journal

EDGE_AMOUNTS = ["0.01", "0.10", "1.00", "725.40", "1234567.89", "999999999999.99"]


def entries() -> list[JournalEntry]:
    made = [
        transfer(
            f"e{i}",
            date(2026, 1, 1) + timedelta(days=i),
            f"amount {amount}",
            vat("HH-0001"),
            BANK,
            Money(amount),
            kind="income",
            meta={"source": "camt", "line": str(i)},
        )
        for i, amount in enumerate(EDGE_AMOUNTS)
    ]
    made.append(
        JournalEntry(
            id="split",
            day=date(2026, 2, 1),
            description="three legs",
            postings=(
                Posting(BANK, Money("100.00")),
                Posting(vat("HH-0002"), Money("-66.67")),
                Posting(reserve("HH-0002", "toeslag-terugbetaling"), Money("-33.33")),
            ),
            kind="income",
        )
    )
    made.append(made[0].reversed("e0-rev", date(2026, 2, 2), "mistake"))
    return made


def test_journal_entries_round_trip_exactly(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        assert append_journal_entries(uow, entries(), at=AT) == len(entries())
        uow.commit()
    with UnitOfWork(engine) as uow:
        loaded = load_journal_entries(uow)
        ledger = load_ledger(uow)
    assert loaded == tuple(entries())
    assert loaded[5].postings[0].amount == Money("999999999999.99")
    assert loaded[-1].reversal_of == "e0"
    assert ledger.balance(vat("HH-0002")) == Money("66.67")
    assert ledger.balance(reserve("HH-0002", "toeslag-terugbetaling")) == Money("33.33")


def test_amounts_are_stored_exactly_never_as_float(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        append_journal_entries(uow, entries())
        raw = uow.session.execute(text("SELECT amount FROM posting ORDER BY id")).scalars().all()
        total = uow.session.execute(text("SELECT SUM(amount) FROM posting")).scalar_one()
    if engine.dialect.name == "sqlite":
        assert all(type(value) is int for value in raw)  # whole cents
        assert raw[:2] == [1, -1]
    else:
        assert all(isinstance(value, Decimal) for value in raw)
        assert raw[:2] == [Decimal("0.01"), Decimal("-0.01")]
    assert total == 0


def test_appending_again_books_nothing_twice(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        append_journal_entries(uow, entries()[:3])
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert append_journal_entries(uow, entries()) == len(entries()) - 3
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert load_journal_entries(uow) == tuple(entries())


def test_the_same_id_with_other_content_is_refused(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        append_journal_entries(uow, entries()[:1])
        uow.commit()
    other = transfer("e0", date(2026, 1, 1), "other", vat("HH-0001"), SUSPENSE, Money("5.00"))
    with pytest.raises(JournalConflictError, match="e0"), UnitOfWork(engine) as uow:
        append_journal_entries(uow, [other])
    first = entries()[0]
    twice = [first, dataclasses.replace(first, description="changed")]
    with pytest.raises(JournalConflictError, match="twice"), UnitOfWork(engine) as uow:
        append_journal_entries(uow, twice)


def test_journal_filters(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        append_journal_entries(uow, entries())
        by_household = load_journal_entries(uow, household="HH-0002")
        in_january = load_journal_entries(uow, since=date(2026, 1, 3), until=date(2026, 1, 31))
    assert [e.id for e in by_household] == ["split"]
    assert len(by_household[0].postings) == 3  # every leg, not only the household's
    assert [e.id for e in in_january] == ["e2", "e3", "e4", "e5"]


# ----------------------------------------------------------- audit and state


def test_audit_events_keep_json_and_time_zone(engine: Engine) -> None:
    amsterdam = timezone(timedelta(hours=1))
    with UnitOfWork(engine) as uow:
        record_audit(
            uow,
            actor="m.jansen",
            action="advance.approve",
            object_type="household",
            object_id="HH-0001",
            before={"advance_limit": Money("0.00")},
            after={"advance_limit": Money("250.00"), "from": date(2026, 3, 1)},
            approved_by="teamleider",
            at=datetime(2026, 3, 1, 10, 0, tzinfo=amsterdam),
        )
        record_audit(uow, actor="x", action="note", object_type="household", object_id="HH-2")
        uow.commit()
    with UnitOfWork(engine) as uow:
        first, second = load_audit_events(uow)
        only_first = load_audit_events(uow, object_id="HH-0001")
    assert only_first == (first,)
    assert first.at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert first.at.tzinfo is not None
    assert first.before == {"advance_limit": "0.00"}
    assert first.after == {"advance_limit": "250.00", "from": "2026-03-01"}
    assert first.approved_by == "teamleider"
    assert (second.before, second.after, second.approved_by) == (None, None, None)


def test_engine_state(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        set_state(uow, "leefgeld_rate", {"amount": Money("92.50")}, household="HH-0001")
        set_state(uow, "last_run", date(2026, 3, 1))
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert get_state(uow, "leefgeld_rate", household="HH-0001") == {"amount": "92.50"}
        assert get_state(uow, "last_run") == "2026-03-01"
        assert get_state(uow, "leefgeld_rate") is None  # gemeente-wide is separate
        set_state(uow, "leefgeld_rate", {"amount": "95.00"}, household="HH-0001")
        delete_state(uow, "last_run")
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert load_household_state(uow, "HH-0001") == {"leefgeld_rate": {"amount": "95.00"}}
        assert get_state(uow, "last_run") is None
