"""Shared fixtures.

`db_url` is a fresh, empty database for each test: a SQLite file always, and a
PostgreSQL schema too when HHB_TEST_POSTGRES_URL is set (each test gets its own
schema via search_path, dropped afterwards, so tests never see each other's rows).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, make_url, text

from huishoudboekje.adapters.persistence.db import open_database

POSTGRES_ENV = "HHB_TEST_POSTGRES_URL"

# CI replays the same generated cases every run, so a red build always means a
# change broke something; locally hypothesis keeps exploring (and remembers
# what it found in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
SAMPLES = Path(__file__).parent / "samples"


def _backends() -> list[object]:
    params: list[object] = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(POSTGRES_ENV):
        params.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return params


def _postgres_schema(base_url: str) -> Iterator[str]:
    schema = f"hhb_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    else:
        yield from _postgres_schema(os.environ[POSTGRES_ENV])


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on `db_url` with the schema migrated to the latest revision."""
    engine = open_database(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def samples() -> Path:
    """The folder with sample files (tests/samples)."""
    return SAMPLES
