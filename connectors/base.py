"""The connector protocol and its single error type.

Every importer is a module with an `Importer` object following `StatementImporter`:
`identify(path)` is a cheap sniff, `extract(path)` reads the file and hands its
bytes to a pure parser. Any failure inside becomes one `ConnectorError` that
names the connector, the file and, where known, the line or XPath.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from huishoudboekje.domain.banking import Statement


class ConnectorError(Exception):
    """A file could not be read. Nothing from it may be booked."""

    def __init__(self, connector: str, file: str, message: str, where: str = "") -> None:
        self.connector = connector
        self.file = file
        self.where = where
        self.message = message
        location = f": {where}" if where else ""
        super().__init__(f"{connector}: {file}{location}: {message}")


class Rejection(Exception):
    """A problem in the input found inside a parser; `guarded` turns it into a `ConnectorError`."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


_Result = TypeVar("_Result")


def guarded(
    connector: str,
    filename: str,
    run: Callable[[], _Result],
    rejection: type[Rejection],
    known: tuple[tuple[type[Exception], str], ...] = (),
) -> _Result:
    """Run a parse; every failure becomes one `ConnectorError` naming connector and file.

    A `rejection` keeps its message and location; an exception of a `known` type
    is reported after its label; anything else (a bug or a library surprise) is
    still one `ConnectorError`, so a bad file never halts the batch.
    """
    try:
        return run()
    except rejection as error:
        raise ConnectorError(connector, filename, error.message, error.where) from None
    except tuple(kind for kind, _ in known) as error:
        label = next(text for kind, text in known if isinstance(error, kind))
        raise ConnectorError(connector, filename, f"{label}: {error}") from None
    except Exception as error:
        raise ConnectorError(
            connector, filename, f"unexpected error: {type(error).__name__}: {error}"
        ) from error


def decode_utf8_or_cp1252(data: bytes) -> str:
    """UTF-8, else Windows-1252: what Dutch banks write; `UnicodeDecodeError` when neither."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


class StatementImporter(Protocol):
    """One bank file format."""

    name: str

    def identify(self, path: Path) -> bool:
        """Cheap sniff: does this file look like this format? Never raises."""
        ...

    def extract(self, path: Path) -> list[Statement]:
        """Parse the whole file or raise `ConnectorError`; never a partial result."""
        ...

    def extract_unchecked(self, path: Path) -> list[Statement]:
        """As `extract`, but without the opening + entries = closing balance check.

        Only for showing what a refused file holds (`hhb parse --no-balance-check`);
        never for booking."""
        ...


def read_whole(connector: str, path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, or a `ConnectorError` naming it (unreadable, or over `max_bytes`)."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise ConnectorError(
                connector, path.name, f"the file is larger than {max_bytes // 2**20} MB"
            )
        return path.read_bytes()
    except OSError as error:
        raise ConnectorError(
            connector, path.name, f"cannot read the file: {error.strerror or error}"
        ) from None


class BytesImporter:
    """An importer for a format read whole: sniff the head, hand the bytes to a pure parser.

    `looks_like(head)` judges the first `sniff_bytes` bytes; `parse(data, filename)`
    returns the statements or raises `ConnectorError` itself.
    """

    def __init__(
        self,
        name: str,
        looks_like: Callable[[bytes], bool],
        parse: Callable[[bytes, str], list[Statement]],
        sniff_bytes: int = 4096,
        parse_unchecked: Callable[[bytes, str], list[Statement]] | None = None,
    ) -> None:
        self.name = name
        self._looks_like = looks_like
        self._parse = parse
        self._sniff_bytes = sniff_bytes
        # A format without a balance check parses the same either way.
        self._parse_unchecked = parse_unchecked or parse

    def identify(self, path: Path) -> bool:
        """Sniff the head of the file; never raises (unreadable means "not mine")."""
        try:
            with path.open("rb") as stream:
                head = stream.read(self._sniff_bytes)
        except Exception:
            return False
        return self._looks_like(head)

    def extract(self, path: Path) -> list[Statement]:
        """Parse the whole file or raise `ConnectorError`; never a partial result."""
        return self._parse(read_whole(self.name, path), path.name)

    def extract_unchecked(self, path: Path) -> list[Statement]:
        """As `extract`, without the balance check (diagnostics only, never booking)."""
        return self._parse_unchecked(read_whole(self.name, path), path.name)
