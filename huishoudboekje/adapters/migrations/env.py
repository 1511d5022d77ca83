"""Alembic environment for Huishoudboekje.

The application runs migrations itself (`huishoudboekje.adapters.persistence.db.migrate`),
handing its open connection in through ``config.attributes["connection"]``. For a
new revision, from the repository root::

    HHB_DATABASE_URL=sqlite:///var/dev.sqlite3 .venv/bin/alembic \\
        -c huishoudboekje/adapters/migrations/alembic.ini revision --autogenerate -m "what changed"

then name the file ``NNNN_what_changed.py`` with ``revision = "NNNN"`` and check it
by hand. SQLite cannot ALTER most things, so migrations run in batch mode there.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from huishoudboekje.adapters.persistence.db import create_engine_from_url, database_url
from huishoudboekje.adapters.persistence.tables import HhbTable

config = context.config
target_metadata = HhbTable.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or database_url()


def run_offline() -> None:
    """Write SQL instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate over the connection handed in by the application, or a new one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine_from_url(_url())
    try:
        with engine.begin() as new_connection:
            _run(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
