"""What staff do with a credit in suspense, from the command line.

    hhb assign TRANSACTION HOUSEHOLD [--income ID] [--learn TERM ...]   credit → household
    hhb assign TRANSACTION --split CODE:INCOME:AMOUNT CODE:INCOME:AMOUNT ...
    hhb learn TRANSACTION TERM                       add a term to the income it went to

TRANSACTION is the id or dedupe key `hhb signals` shows. With an income, `assign`
prints the terms that would have matched the credit to that income by itself;
`--learn` adds one at once (checked first: all or nothing), `hhb learn` later.
Adding a term is audit-logged and needs no four-eyes (it changes no money rule).
Exit codes: 0 done, 2 refused (the message says why; nothing changed).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from typing import Any

from cli.engine_scope import database_engine
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.nightly import Assignment, assign_credit, teach_credit_term
from huishoudboekje.services.split_credit import parse_parts, split_credit
from scheduler.context import AMSTERDAM

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def register(subparsers: Any) -> None:
    """Add `assign` and `learn` to the `hhb` parser."""
    assign = subparsers.add_parser(
        "assign", help="give an unmatched credit to a household, or split it over several"
    )
    assign.add_argument("transaction", help="transaction id (see hhb signals) or dedupe key")
    assign.add_argument("household", nargs="?", default=None, help="household code")
    assign.add_argument("--income", default=None, help="income stream id")
    assign.add_argument(
        "--learn",
        action="append",
        default=[],
        metavar="TERM",
        help="also add TERM to the income's terms (repeatable; needs --income)",
    )
    assign.add_argument(
        "--split",
        nargs="+",
        default=None,
        metavar="CODE:INCOME:AMOUNT",
        help="split over households (INCOME may be empty: CODE::AMOUNT); must add up",
    )
    assign.add_argument("--actor", default=os.environ.get("USER", "operator"))
    assign.add_argument("--database", default=None)
    assign.set_defaults(func=run_assign)

    learn = subparsers.add_parser(
        "learn", help="add a term to the income an assigned credit went to"
    )
    learn.add_argument("transaction", help="transaction id or dedupe key (assigned)")
    learn.add_argument("term", help="the word or number that tells the household apart")
    learn.add_argument("--actor", default=os.environ.get("USER", "operator"))
    learn.add_argument("--database", default=None)
    learn.set_defaults(func=run_learn)


def _now() -> datetime:
    return datetime.now(AMSTERDAM)


def _refused(command: str, message: str) -> int:
    print(f"hhb {command}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_assign(args: argparse.Namespace) -> int:
    """`hhb assign`: give an unmatched credit to a household, or split it."""
    if args.split is not None:
        if args.household or args.income or args.learn:
            return _refused("assign", "--split gaat zonder HUISHOUDEN, --income en --learn")
        return _run_split(args)
    if not args.household:
        return _refused("assign", "geef een HUISHOUDEN op, of verdeel met --split")
    try:
        with database_engine(args) as engine:
            done = assign_credit(
                engine,
                args.transaction,
                args.household,
                args.income,
                actor=args.actor,
                today=_now().date(),
                learn=args.learn,
            )
    except UserError as exc:
        return _refused("assign", str(exc))
    _print_assignment(done)
    return EXIT_OK


def _print_assignment(done: Assignment) -> None:
    income = f" ({done.income_id})" if done.income_id else ""
    print(
        f"Transactie {done.transaction_id} ({done.amount}) toegewezen aan {done.household}{income}"
    )
    for term in done.learned:
        print(f"Zoekterm {term!r} toegevoegd aan {done.household}{income}.")
    if done.suggestions:
        print("Met een van deze zoektermen was deze betaling vanzelf bij dit inkomen gekomen:")
        for term in done.suggestions:
            print(f"    hhb learn {done.transaction_id} {term!r}")
    elif done.income_id and not done.learned:
        print("Geen zoekterm gevonden die dit huishouden onderscheidt.")


def _run_split(args: argparse.Namespace) -> int:
    try:
        parts = parse_parts(args.split)
        with database_engine(args) as engine:
            done = split_credit(
                engine, args.transaction, parts, actor=args.actor, today=_now().date()
            )
    except UserError as exc:
        return _refused("assign", f"niet verdeeld: {exc}")
    print(f"Transactie {done.transaction_id} ({done.amount}) verdeeld:")
    for part in done.parts:
        income = f" ({part.income_id})" if part.income_id else ""
        print(f"    {part.household}{income}: {part.amount}")
    return EXIT_OK


def run_learn(args: argparse.Namespace) -> int:
    """`hhb learn`: add a term to the income an assigned credit went to."""
    try:
        with database_engine(args) as engine:
            done = teach_credit_term(
                engine, args.transaction, args.term, actor=args.actor, at=_now()
            )
    except UserError as exc:
        return _refused("learn", str(exc))
    print(f"Zoekterm {args.term.strip()!r} toegevoegd aan {done.household} ({done.income_id}).")
    return EXIT_OK
