"""Issue 17: the database's default for `gemeente.max_learned_buffer` is the domain's
default (€ 7.200, `household.MAX_LEARNED_BUFFER`), not the € 3.600 of migration 0005
(migration 0018). A gemeente row written without the column gets the same cap the
planner uses when the YAML leaves it out."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import inspect

from huishoudboekje.adapters.persistence.db import create_engine_from_url, migrate
from huishoudboekje.adapters.persistence.tables import GemeenteRow
from huishoudboekje.domain.household import MAX_LEARNED_BUFFER, Gemeente


def test_the_model_default_is_the_domain_default() -> None:
    default = {f.name: f.default for f in fields(Gemeente)}["max_learned_buffer"]
    assert default == MAX_LEARNED_BUFFER
    column = GemeenteRow.__table__.c["max_learned_buffer"]  # type: ignore[attr-defined]
    assert column.server_default.arg == str(MAX_LEARNED_BUFFER)
    assert GemeenteRow().max_learned_buffer == str(MAX_LEARNED_BUFFER)


def test_the_migrated_database_defaults_to_the_domain_default(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine_from_url(db_url)
    try:
        columns = {c["name"]: c for c in inspect(engine).get_columns("gemeente")}
        assert str(MAX_LEARNED_BUFFER) in str(columns["max_learned_buffer"]["default"])
        assert "3600" not in str(columns["max_learned_buffer"]["default"])
    finally:
        engine.dispose()
