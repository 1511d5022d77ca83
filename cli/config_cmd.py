"""`hhb config check|apply|export`: the households configuration file.

    hhb config check FILE.yaml               check the file only
    hhb config apply FILE.yaml [--dry-run]   check, then save and show what changed
    hhb config export [-o FILE.yaml]         write what is stored as YAML

The database is `--database URL`, else `HHB_DATABASE_URL`, else var/hhb.sqlite3.
Exit codes: 0 done, 2 the file has problems (nothing saved), 1 anything else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from cli.errors import report
from cli.gemeente_option import add_gemeente_options, regional_only
from cli.view_log import log_reads
from huishoudboekje.services.configuration import (
    ConfigError,
    Configuration,
    NothingToExportError,
    apply_configuration,
    export_configuration,
    read_configuration,
)
from huishoudboekje.services.database import open_database
from huishoudboekje.services.households import stored_codes

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def register(subparsers: Any) -> None:
    """Add the `config` command group to the `hhb` parser."""
    parser = subparsers.add_parser(
        "config",
        help="check, apply or export the households configuration (YAML)",
        description="The households configuration file: see docs/config.md.",
    )
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION")
    parser.set_defaults(func=lambda _args: _usage(parser))

    check = actions.add_parser("check", help="check a configuration file; change nothing")
    check.add_argument("file", type=Path, help="the YAML file")
    check.set_defaults(func=run_check)

    apply = actions.add_parser("apply", help="check a file, then save it and show what changed")
    apply.add_argument("file", type=Path, help="the YAML file")
    apply.add_argument(
        "--dry-run", action="store_true", help="show what would change, save nothing"
    )
    apply.add_argument(
        "--actor", default="operator", help="who applies the file (for the audit log)"
    )
    _database_option(apply)
    apply.set_defaults(func=run_apply)

    export = actions.add_parser("export", help="write the stored configuration as YAML")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    _database_option(export)
    add_gemeente_options(export)
    export.set_defaults(func=run_export)


def _database_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: an `hhb --database` given before the command is not overwritten.
    parser.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (default: $HHB_DATABASE_URL, else var/hhb.sqlite3)",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_BAD_INPUT


def _load(path: Path) -> Configuration | None:
    try:
        return read_configuration(path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was changed.",
            file=sys.stderr,
        )
        return None


def _open(args: argparse.Namespace) -> Engine:
    return open_database(getattr(args, "database", None))


def run_check(args: argparse.Namespace) -> int:
    """`hhb config check FILE`."""
    config = _load(args.file)
    if config is None:
        return EXIT_BAD_INPUT
    count = len(config.households)
    if config.regional:  # issue 22: several gemeenten
        names = ", ".join(g.name for g in config.gemeenten)
        print(f"{args.file}: OK ({len(config.gemeenten)} gemeenten: {names}; {count} households)")
        return EXIT_OK
    print(f"{args.file}: OK (gemeente {config.gemeente.name}, {count} households)")
    return EXIT_OK


def run_apply(args: argparse.Namespace) -> int:
    """`hhb config apply FILE [--dry-run]`."""
    config = _load(args.file)
    if config is None:
        return EXIT_BAD_INPUT
    try:
        engine = _open(args)
        try:
            changes = apply_configuration(engine, config, actor=args.actor, dry_run=args.dry_run)
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:  # one plain line; the SQL goes to the log file
        return report("config apply", exc)
    print(changes)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """`hhb config export [-o FILE]`: a missing folder or a folder as FILE is refused
    before anything is read."""
    output = args.output
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        why = "is een map" if output.is_dir() else "staat in een map die niet bestaat"
        print(
            f"hhb config export: {output} {why}; geef een bestandsnaam in een bestaande map",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        engine = _open(args)
        try:
            if not regional_only(args, engine, "het configuratiebestand is van de installatie"):
                return EXIT_BAD_INPUT
            text = export_configuration(engine)
            log_reads(engine, stored_codes(engine), "hhb config export")
        finally:
            engine.dispose()
    except NothingToExportError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    except SQLAlchemyError as exc:  # one plain line; the SQL goes to the log file
        return report("config export", exc)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"written to {args.output}", file=sys.stderr)
    return EXIT_OK
