"""The households configuration file as `hhb config` uses it: check, apply, export.

Reading the YAML file is the config adapter's work and saving it the persistence
adapter's; this module puts the two behind functions that take an engine, so the
command line never opens a unit of work itself.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

# Re-exported (`X as X`): the CLI names these errors and types without the adapters.
from huishoudboekje.adapters.config import ConfigError as ConfigError
from huishoudboekje.adapters.config import Configuration as Configuration
from huishoudboekje.adapters.config import load_config
from huishoudboekje.adapters.persistence.config_sync import ChangeSet as ChangeSet
from huishoudboekje.adapters.persistence.config_sync import (
    NothingToExportError as NothingToExportError,
)
from huishoudboekje.adapters.persistence.config_sync import apply_config, export_config
from huishoudboekje.adapters.persistence.uow import UnitOfWork


def read_configuration(path: Path) -> Configuration:
    """The checked configuration in `path`; `ConfigError` holds every problem found."""
    return load_config(path)


def apply_configuration(
    engine: Engine, config: Configuration, *, actor: str, dry_run: bool
) -> ChangeSet:
    """Save `config` in one transaction (nothing with `dry_run`) and say what changed."""
    with UnitOfWork(engine) as uow:
        return apply_config(uow, config, actor=actor, dry_run=dry_run)


def export_configuration(engine: Engine) -> str:
    """The stored configuration as normalized YAML; `NothingToExportError` when empty."""
    with UnitOfWork(engine) as uow:
        return export_config(uow)
