"""Database connection: engine from a URL, the default URL, and schema migrations.

The URL comes from `HHB_DATABASE_URL`; without it the database is the SQLite file
``var/hhb.sqlite3`` under the current directory. PostgreSQL works the same way
(``postgresql+psycopg://user:password@host/db``). The schema is created and
upgraded by Alembic (`migrate`), never by `create_all`, so an upgrade keeps data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text

ENV_VAR = "HHB_DATABASE_URL"
DEFAULT_SQLITE_FILE = Path("var") / "hhb.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# Any fixed number: PostgreSQL advisory lock so two processes never migrate at once.
_MIGRATION_LOCK = 4_842_270_431


def database_url(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str:
    """`HHB_DATABASE_URL` if set, else the SQLite file var/hhb.sqlite3 under `cwd`."""
    environ = os.environ if env is None else env
    url = environ.get(ENV_VAR, "").strip()
    if url:
        return url
    base = Path.cwd() if cwd is None else cwd
    return f"sqlite:///{(base / DEFAULT_SQLITE_FILE).resolve()}"


def create_engine_from_url(url: str) -> Engine:
    """An engine for `url`. For a SQLite file its folder is created and foreign keys
    are switched on (SQLite leaves them off by default)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def alembic_config(url: str | None = None) -> Config:
    """An Alembic `Config` built in code: works from any working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # '%' would be read as ini interpolation
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(target: str | Engine, revision: str = "head") -> None:
    """Upgrade the database at `target` (a URL or an engine) to `revision` (default: latest)."""
    engine = create_engine_from_url(target) if isinstance(target, str) else target
    try:
        config = alembic_config()
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()


def open_database(url: str | None = None) -> Engine:
    """The engine for `url` (default `database_url()`), with the schema migrated to head."""
    engine = create_engine_from_url(url if url is not None else database_url())
    migrate(engine)
    return engine
