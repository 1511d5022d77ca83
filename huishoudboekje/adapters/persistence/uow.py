"""Unit of work: one database transaction, committed only on request."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Engine, Executable, Result
from sqlmodel import Session

T = TypeVar("T")
IN_CHUNK = 500  # values per IN (...): well within every database's limit on parameters


def in_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """`values` in slices of at most IN_CHUNK, for IN (...) over any number of values."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


class UnitOfWork:
    """One transaction against the database.

    Use as a context manager. Nothing is saved unless `commit()` is called; leaving
    the block (normally or by an exception) rolls back whatever was not committed::

        with UnitOfWork(engine) as uow:
            save_household(uow, household)
            uow.commit()
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this UnitOfWork is already open")
        self._session = Session(self.engine, expire_on_commit=False, autoflush=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        self._session = None
        # closing ends the transaction: whatever was not committed is rolled back
        # (an explicit rollback first cost a third of a short unit of work)
        session.close()

    @property
    def session(self) -> Session:
        """The open session (only inside the `with` block)."""
        if self._session is None:
            raise RuntimeError("use the UnitOfWork inside a 'with' block")
        return self._session

    def read(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Result[*tuple[Any, ...]]:
        """Run a plain (Core) SELECT of table columns in this transaction.

        Cheaper than an ORM query: no row objects are built or tracked. The ORM's
        autoflush does not run for such statements, so changes made through the
        session are flushed here first and the read sees what this unit of work wrote.
        """
        session = self.session
        session.flush()
        return session.execute(statement, params)

    def commit(self) -> None:
        """Save everything done so far in this unit of work."""
        self.session.commit()

    def rollback(self) -> None:
        """Undo everything not yet committed."""
        self.session.rollback()
