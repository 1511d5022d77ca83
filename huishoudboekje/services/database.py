"""The database as the entry points (CLI, scheduler, web) see it.

Entry points never import `huishoudboekje.adapters` (an import-linter contract holds
this). They ask this module for an engine once, at start-up, and hand it to the
service functions, which open their own units of work. Where an entry point needs
one transaction around several service calls (the web's one reading unit of work
per request), it asks `unit_of_work(engine)` here and passes the result on; the
`UnitOfWork` type is named here for annotations only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.db import (
    create_engine_from_url,
    database_url,
    migrate,
    open_database,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork

__all__ = [
    "Engine",
    "UnitOfWork",
    "connect",
    "database_url",
    "migrate",
    "on_engine",
    "open_database",
    "unit_of_work",
]


def connect(url: str) -> Engine:
    """An engine for `url` without migrating (tools that only read, and tests)."""
    return create_engine_from_url(url)


def unit_of_work(engine: Engine) -> UnitOfWork:
    """A new, not yet opened unit of work on `engine` (use it with `with`)."""
    return UnitOfWork(engine)


P = ParamSpec("P")
R = TypeVar("R")


def on_engine(
    use_case: Callable[Concatenate[UnitOfWork, P], R],
) -> Callable[Concatenate[Engine, P], R]:
    """`use_case`, a service that works in the unit of work it is given (and commits
    there), as a function of the engine: each call opens one unit of work around it.

    The door for entry points that hold an engine, with the use case's own
    parameters and return type, so mypy checks every call site.
    """

    @wraps(use_case)
    def in_own_unit_of_work(engine: Engine, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with UnitOfWork(engine) as uow:
            return use_case(uow, *args, **kwargs)

    return in_own_unit_of_work
