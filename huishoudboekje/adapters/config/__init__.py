"""The gemeente's configuration file (YAML): households and their rules.

`load_config(path)` reads a file, checks every field and returns frozen domain
records (`domain/household.py`); any problem raises one `ConfigError` holding *all*
problems found, each naming the file, the path (``households[2].charges[0].amount``)
and the YAML line. `dump_config` writes the normalized YAML form back: parsing
it again gives equal records, which is what `hhb config export` relies on.

The same plain-data form (`household_to_data` / `household_from_data`) is what
the persistence adapter stores and what the audit log shows as before/after.
Amounts are always quoted strings: YAML reads ``725.40`` as a float, and a float
cannot hold most cent amounts exactly, so it is refused with a hint.

Modules: `values` (single-value checks), `schema` (the pydantic models),
`reader` (YAML with line numbers, error collection), `writer` (plain data, YAML).
The format is documented for operators in docs/config.md.
"""

from huishoudboekje.adapters.config.config_error import ConfigError, ConfigProblem
from huishoudboekje.adapters.config.reader import (
    gemeente_from_data,
    household_from_data,
    load_config,
    parse_config,
)
from huishoudboekje.adapters.config.schema import Configuration
from huishoudboekje.adapters.config.writer import (
    dump_config,
    dump_region,
    format_fraction,
    gemeente_to_data,
    household_to_data,
    jsonable,
)

__all__ = [
    "ConfigError",
    "ConfigProblem",
    "Configuration",
    "dump_config",
    "dump_region",
    "format_fraction",
    "gemeente_from_data",
    "gemeente_to_data",
    "household_from_data",
    "household_to_data",
    "jsonable",
    "load_config",
    "parse_config",
]
