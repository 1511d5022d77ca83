"""`hhb privacy`: the retention purge and the inzage export (issue 20).

    hhb privacy purge [--dry-run] [--json] [--date D] [--var DIR] [--inbox DIR] [--outbox DIR]
    hhb privacy export CODE -o FILE.zip [--date D]
    hhb privacy dpia-tables [--write FILE | --check FILE]   (cli/dpia_cmd.py)
    hhb access-log [--household CODE] [--user NAME] [--from D] [--json]

`purge` anonymises every household whose retention period after the end of its
participation is over (docs/privacy.md); `--dry-run` only lists them. It is
idempotent: a household already anonymised is counted, not touched again. It also
removes the night's files on disk (statements, pain.001) past the fiscal retention
period (services/file_retention.py). The
scheduler runs it every week. `export` writes a ZIP with everything stored about one
household (JSON) and a summary in plain Dutch (PDF); the export is audit-logged.

Exit codes: 0 done, 2 bad input (unknown household, unwritable file), 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cli.dpia_cmd import register_dpia
from cli.engine_scope import database_engine
from cli.gemeente_option import (
    add_gemeente_options,
    gemeente_scope_of,
    household_check,
    regional_only,
)
from cli.night_common import iso_date, night_paths
from cli.view_log import log_reads, operator
from huishoudboekje.services.access_control import view_log
from huishoudboekje.services.file_retention import purge_files
from huishoudboekje.services.privacy import PrivacyError, export_household, purge

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def register(subparsers: Any) -> None:
    """Add `privacy purge` and `privacy export` to the `hhb` parser."""
    privacy = subparsers.add_parser("privacy", help="retention purge and inzage export")
    privacy.add_argument("--database", default=argparse.SUPPRESS, help="database URL")
    sub = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    clean = sub.add_parser("purge", help="anonymise households past their retention period")
    clean.add_argument("--dry-run", action="store_true", help="only list them; change nothing")
    clean.add_argument("--json", action="store_true", help="machine-readable output")
    clean.add_argument("--date", type=iso_date, default=None, help="as of this day (today)")
    clean.add_argument(
        "--var", type=Path, default=Path("var"), help="the night's working folder (./var)"
    )
    clean.add_argument("--database", default=argparse.SUPPRESS, help="database URL")
    clean.add_argument("--inbox", type=Path, default=None, help="default VAR/inbox")
    clean.add_argument("--outbox", type=Path, default=None, help="default VAR/outbox")
    add_gemeente_options(clean)
    clean.set_defaults(func=run_purge)
    out = sub.add_parser("export", help="everything stored about one household, as a ZIP")
    out.add_argument("code", help="household code, e.g. HH-0001")
    out.add_argument("-o", "--output", required=True, type=Path, help="the ZIP file to write")
    out.add_argument("--date", type=iso_date, default=None, help="as of this day (today)")
    add_gemeente_options(out)
    out.set_defaults(func=run_export)
    register_dpia(sub)
    log = subparsers.add_parser("access-log", help="the view log: who read which household")
    log.add_argument("--household", default=None, help="only this household")
    log.add_argument("--user", default=None, help="only this user (or 'operator NAME')")
    log.add_argument("--from", dest="since", type=iso_date, default=None, help="from this day")
    log.add_argument("--limit", type=int, default=1000, help="at most this many rows (1000)")
    log.add_argument("--json", action="store_true", help="machine-readable output")
    log.add_argument("--database", default=argparse.SUPPRESS, help="database URL")
    add_gemeente_options(log)
    log.set_defaults(func=run_access_log)


def _actor(command: str) -> str:
    return f"{operator()} (hhb privacy {command})"


def run_purge(args: argparse.Namespace) -> int:
    """hhb privacy purge."""
    today = args.date or datetime.now(AMSTERDAM).date()
    try:
        with database_engine(args) as engine:
            if not regional_only(args, engine, "de bewaartermijnen gelden per installatie"):
                return EXIT_BAD_INPUT
            report = purge(engine, today, dry_run=args.dry_run, actor=_actor("purge"))
            folders = night_paths(args).retained
            files = purge_files(engine, folders, today, dry_run=args.dry_run, actor=_actor("purge"))
    except PrivacyError as exc:
        print(f"hhb privacy purge: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for problem in files.problems:
        print(f"hhb privacy purge: {problem}", file=sys.stderr)
    if args.json:
        print(
            json.dumps(report.as_json() | {"files": files.as_json()}, indent=2, ensure_ascii=False)
        )
        return EXIT_OK
    verb = "zou anonimiseren" if report.dry_run else "geanonimiseerd"
    for item in report.purged:
        counted = ", ".join(f"{name} {n}" for name, n in item.counts.items() if n)
        print(
            f"{item.code}: {verb} (deelname beëindigd op {item.ended.isoformat()}, "
            f"bewaartermijn voorbij sinds {item.due_since.isoformat()})"
            + (f"; {counted}" if counted else "")
        )
    for code in report.documents_removed:  # issue 19.3: signed consents past retention
        what = "zou verwijderen" if report.dry_run else "verwijderd"
        print(f"{code}: getekende toestemming(en) {what} (bewaartermijn documenten voorbij)")
    print(
        f"{len(report.purged)} huishouden(s) {verb}; {report.already_purged} al eerder "
        f"geanonimiseerd; {report.not_yet_due} beëindigd maar nog binnen de bewaartermijn."
    )
    gone = "zou verwijderen" if files.dry_run else "verwijderd"
    print(
        f"{len(files.removed)} oude bestanden (afschriften, pain.001) {gone}; "
        f"{files.kept} nog binnen de bewaartermijn."
    )
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """hhb privacy export."""
    today = args.date or datetime.now(AMSTERDAM).date()
    target: Path = args.output
    if not target.parent.is_dir():
        print(f"hhb privacy export: map {target.parent} bestaat niet", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with database_engine(args) as engine:
            scope = gemeente_scope_of(args, engine)
            if scope is None:
                return EXIT_BAD_INPUT
            problem = household_check(engine, scope, args.code)
            if problem is not None:
                print(f"hhb privacy export: {problem}", file=sys.stderr)
                return EXIT_BAD_INPUT
            data = export_household(engine, args.code, today, actor=_actor("export"))
            log_reads(engine, (args.code,), "hhb privacy export")
    except PrivacyError as exc:
        print(f"hhb privacy export: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    print(f"Inzage-export van {args.code} geschreven naar {target} ({len(data)} bytes).")
    return EXIT_OK


def run_access_log(args: argparse.Namespace) -> int:
    """hhb access-log."""
    if not 1 <= args.limit <= 100_000:
        print("hhb access-log: --limit moet tussen 1 en 100000 liggen", file=sys.stderr)
        return EXIT_BAD_INPUT
    with database_engine(args) as engine:
        scope = gemeente_scope_of(args, engine)
        if scope is None:
            return EXIT_BAD_INPUT
        events = view_log(
            engine,
            household=args.household,
            actor=args.user,
            since=args.since,
            limit=args.limit,
            gemeente_id=scope.gemeente_id,  # issue 22: one gemeente's households
        )
    if args.json:
        rows = [
            {
                "at": e.at.isoformat(),
                "user": e.actor,
                "role": e.role,
                "household": e.household,
                "what": e.what,
                "via": e.via,
                "reason": e.reason,
            }
            for e in events
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    for e in events:
        reason = f"  reden: {e.reason}" if e.reason else ""
        print(
            f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<24} {e.role:<12} {e.household:<10} "
            f"{e.via:<4} {e.what}{reason}"
        )
    if not events:
        print("Geen regels in het inzagelog die bij de filters passen.")
    return EXIT_OK
