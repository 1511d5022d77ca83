"""`hhb letters`: the monthly overview of every household by post, as one PDF for
the print room (issue 21.2).

    hhb letters --month 2026-11 -o FILE.pdf [--household CODE ...] [--date D]

Each letter starts on an odd page (a blank page in between where needed), so the
file prints double-sided. The database is `--database URL`, else
`HHB_DATABASE_URL`, else var/hhb.sqlite3. Exit codes: 0 done, 2 bad input, 1
anything else. How to print: docs/reports.md, "Brieven per post printen".
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cli.engine_scope import database_engine
from cli.gemeente_option import add_gemeente_options, gemeente_scope_of, household_check
from cli.night_common import iso_date
from cli.report_cmd import month_argument
from cli.view_log import log_reads, operator
from huishoudboekje.services.gemeente_scope import scope_codes_of
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.letters import (
    NoAddressError,
    joined_pdf,
    letters_pdf,
    month_letters_of,
    record_printed_of,
)
from web.letters import letters_html

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EXIT_OK = 0
EXIT_BAD_INPUT = 2
# WeasyPrint keeps a whole document in memory (about 2.5 GB for 1,000 letters in one
# go): render parts of this many letters and join them (services.letters.joined_pdf)
LETTERS_PER_PART = 50


def register(subparsers: Any) -> None:
    """Add `letters` to the `hhb` parser."""
    letters = subparsers.add_parser(
        "letters", help="de maandbrieven van alle huishoudens per post, in één PDF"
    )
    letters.add_argument("--month", type=month_argument, required=True, help="bijv. 2026-11")
    letters.add_argument("-o", "--output", type=Path, required=True, help="het PDF-bestand")
    letters.add_argument(
        "--household", action="append", default=None, help="alleen dit huishouden (herhaalbaar)"
    )
    letters.add_argument("--date", type=iso_date, default=None, help="gemaakt op (vandaag)")
    letters.add_argument(
        "--database",
        default=argparse.SUPPRESS,
        help="database URL (default: HHB_DATABASE_URL, else var/hhb.sqlite3)",
    )
    add_gemeente_options(letters)
    letters.set_defaults(func=run_letters)


def run_letters(args: argparse.Namespace) -> int:
    """Write the letters of `--month` to `--output`; say how many and who got none."""
    today = args.date or datetime.now(AMSTERDAM).date()
    if args.month > today:
        print(f"hhb letters: maand {args.month:%Y-%m} ligt nog in de toekomst", file=sys.stderr)
        return EXIT_BAD_INPUT
    folder = args.output.parent
    if not folder.is_dir():
        print(f"hhb letters: map {folder} bestaat niet", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with database_engine(args) as engine:
            scope = gemeente_scope_of(args, engine)
            if scope is None:
                return EXIT_BAD_INPUT
            for code in args.household or ():
                problem = household_check(engine, scope, code)
                if problem is not None:
                    print(f"hhb letters: {problem}", file=sys.stderr)
                    return EXIT_BAD_INPUT
            within = scope_codes_of(engine, scope)  # issue 22: one gemeente's letters
            batch = month_letters_of(engine, args.month, today, args.household, within=within)
            if batch.letters:
                codes = [letter.household.code for letter in batch.letters]
                log_reads(engine, codes, "hhb letters")  # the view log (issue 20.2)
                actor = f"{operator()} (hhb letters)"
                record_printed_of(engine, codes, args.month, actor, datetime.now(UTC))
    except (UnknownHouseholdError, NoAddressError) as exc:
        print(f"hhb letters: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for line in batch.skipped:
        print(f"hhb letters: {line}", file=sys.stderr)
    if not batch.letters:
        print(f"hhb letters: geen brieven voor {args.month:%Y-%m}; niets geschreven")
        return EXIT_OK
    letters = batch.letters
    parts = (
        letters_pdf(letters_html(letters[i : i + LETTERS_PER_PART]))
        for i in range(0, len(letters), LETTERS_PER_PART)
    )
    pdf = joined_pdf(parts)
    partial = args.output.with_name(args.output.name + ".part")
    partial.write_bytes(pdf)
    os.replace(partial, args.output)  # a reader never sees half a file
    count = len(batch.letters)
    print(f"{count} {'brief' if count == 1 else 'brieven'} geschreven naar {args.output}")
    return EXIT_OK
