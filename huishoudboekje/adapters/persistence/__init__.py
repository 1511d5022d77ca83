"""Persistence adapter: SQLModel tables, Alembic migrations, unit of work, repositories.

The only package that talks to the database. Typical use::

    engine = open_database()              # HHB_DATABASE_URL or var/hhb.sqlite3; migrates
    with UnitOfWork(engine) as uow:
        households = load_households(uow)
        append_journal_entries(uow, entries)
        uow.commit()
"""

from huishoudboekje.adapters.persistence import (  # noqa: F401  (registers the tables)
    consent_tables,
    exit_tables,
    night_batch_tables,
    nightly_tables,
    privacy_tables,
    report_tables,
    status_tables,
    team_tables,
)
from huishoudboekje.adapters.persistence.audit import AuditEvent, load_audit_events, record_audit
from huishoudboekje.adapters.persistence.config_diff import ChangeSet, Status, diff_config
from huishoudboekje.adapters.persistence.db import (
    create_engine_from_url,
    database_url,
    migrate,
    open_database,
)
from huishoudboekje.adapters.persistence.engine_state import delete_state, get_state, set_state
from huishoudboekje.adapters.persistence.journal import (
    JournalConflictError,
    append_journal_entries,
    load_journal_entries,
    load_ledger,
)
from huishoudboekje.adapters.persistence.repository import (
    household_codes,
    load_gemeente,
    load_household,
    load_households,
    save_gemeente,
    save_household,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.web_tables import UserRow  # registers the web tables

__all__ = [
    "AuditEvent",
    "ChangeSet",
    "JournalConflictError",
    "Status",
    "UnitOfWork",
    "UserRow",
    "append_journal_entries",
    "create_engine_from_url",
    "database_url",
    "delete_state",
    "diff_config",
    "get_state",
    "household_codes",
    "load_audit_events",
    "load_gemeente",
    "load_household",
    "load_households",
    "load_journal_entries",
    "load_ledger",
    "migrate",
    "open_database",
    "record_audit",
    "save_gemeente",
    "save_household",
    "set_state",
]
