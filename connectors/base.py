"""The connector protocol and its single error type.

Every importer is a module with an `Importer` object following `StatementImporter`:
`identify(path)` is a cheap sniff, `extract(path)` reads the file and hands its
bytes to a pure parser. Any failure inside becomes one `ConnectorError` that
names the connector, the file and, where known, the line or XPath.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from huishoudboekje.banking import Statement


class ConnectorError(Exception):
    """A file could not be read. Nothing from it may be booked."""

    def __init__(self, connector: str, file: str, message: str, where: str = "") -> None:
        self.connector = connector
        self.file = file
        self.where = where
        self.message = message
        location = f": {where}" if where else ""
        super().__init__(f"{connector}: {file}{location}: {message}")


class StatementImporter(Protocol):
    """One bank file format."""

    name: str

    def identify(self, path: Path) -> bool:
        """Cheap sniff: does this file look like this format? Never raises."""
        ...

    def extract(self, path: Path) -> list[Statement]:
        """Parse the whole file or raise `ConnectorError`; never a partial result."""
        ...
