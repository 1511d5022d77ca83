"""All statement importers, in the order format auto-detection tries them."""

from __future__ import annotations

import importlib
from pathlib import Path

from connectors.base import ConnectorError, StatementImporter

# Module names; each module exposes `IMPORTERS: tuple[StatementImporter, ...]`.
IMPORTER_MODULES: tuple[str, ...] = (
    "connectors.camt",
    "connectors.ofx",
    "connectors.mt940",
    "connectors.csv_banks",
)


def all_importers() -> list[StatementImporter]:
    importers: list[StatementImporter] = []
    for name in IMPORTER_MODULES:
        module = importlib.import_module(name)
        importers.extend(module.IMPORTERS)
    return importers


def importer_by_name(name: str) -> StatementImporter:
    for importer in all_importers():
        if importer.name == name:
            return importer
    known = ", ".join(i.name for i in all_importers())
    raise KeyError(f"unknown format {name!r}; known: {known}")


def detect(path: Path) -> StatementImporter:
    """The first importer that identifies `path`, or a ConnectorError naming the file."""
    for importer in all_importers():
        if importer.identify(path):
            return importer
    raise ConnectorError("auto", path.name, "no connector recognises this file format")
