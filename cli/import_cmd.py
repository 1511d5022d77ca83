"""`hhb import FILE... [--json]`: import, dedupe, match, reconcile and book bank files now.

The files are read where they are (not moved). Exit 0 when every file was
accepted (imported or duplicate), 1 when some were rejected (the others were
still imported), 2 when a path is not a readable file (a typo, or a glob the shell
did not expand; nothing is read and no staff signal is raised), 3 when another
night or import holds the lock.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from cli.engine_scope import database_engine
from cli.night_common import add_common, night_paths, progress_bar
from scheduler.context import AMSTERDAM
from scheduler.lock import NightLockedError
from scheduler.nightly import import_only

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 3


def _not_a_file(path: Path) -> str:
    """Why `path` cannot be imported, in one line (no staff signal: nothing was read)."""
    if path.is_dir():
        return f"{path} is een map; geef de bestanden zelf (bijvoorbeeld {path}/*.xml)"
    if any(char in str(path) for char in "*?["):
        return (
            f"geen bestand gevonden bij {path}: de shell vond niets dat hierop past "
            "(controleer de map en de naam)"
        )
    return f"bestand {path} bestaat niet; controleer het pad"


def register(subparsers: Any) -> None:
    """Add `import` to the `hhb` parser."""
    parser = subparsers.add_parser("import", help="import bank statement files now")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    add_common(parser, boxes=False)
    parser.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    """`hhb import FILE...`: import the files now; the exit code says whether all were accepted."""
    today = datetime.now(AMSTERDAM).date()
    for path in args.files:
        if not path.is_file():
            print(f"hhb import: {_not_a_file(path)}; er is niets ingelezen", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        with database_engine(args) as engine, progress_bar(not args.json) as progress:
            ctx, results, failed = import_only(
                engine, args.files, today, night_paths(args), progress=progress
            )
    except NightLockedError as exc:
        print(f"hhb import: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    files = [r.as_json() for r in ctx.results]
    if args.json:
        print(json.dumps({"files": files, "stages": results}, indent=2, ensure_ascii=False))
    else:
        for item in files:
            line = f"{item['file']}: {item['status']}"
            if item["status"] != "rejected":
                line += f" ({item['transactions']} transacties, {item['new']} nieuw)"
            else:
                line += f": {item['error']}"
            print(line)
        for stage in ("match", "reconcile", "book"):
            print(f"{stage}: {results.get(stage)}")
    rejected = any(r.status == "rejected" for r in ctx.results)
    return EXIT_REJECTED if rejected or failed else EXIT_OK
