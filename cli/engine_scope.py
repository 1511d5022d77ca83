"""The database engine of one `hhb` command: opened at the start, disposed at the end."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from huishoudboekje.services.database import Engine, open_database


@contextmanager
def database_engine(args: argparse.Namespace) -> Iterator[Engine]:
    """The engine for the command's --database (default HHB_DATABASE_URL), disposed
    however the command ends, so no connection outlives it."""
    engine = open_database(getattr(args, "database", None))
    try:
        yield engine
    finally:
        engine.dispose()
