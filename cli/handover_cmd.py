"""Hand a household over to another medewerker, from the command line (issue 19.4).

    hhb overdragen HUISHOUDEN --aan MEDEWERKER --notitie "..."   one household
    hhb overdragen --alle-van MEDEWERKER --aan MEDEWERKER --notitie "..."

(`hhb assign` gives an unknown credit to a household; this moves a household.)
The same service as the staff page: the note is required, the hand-over is
audit-logged and the new medewerker sees the note. `--actor` acts in the role of
that staff account (an operator without one acts as beheerder).
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
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.team_pages import (
    hand_over_all_households,
    hand_over_household,
    operator_role,
)
from scheduler.context import AMSTERDAM

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def register(subparsers: Any) -> None:
    """Add `overdragen` (alias `handover`) to the `hhb` parser."""
    cmd = subparsers.add_parser(
        "overdragen",
        aliases=["handover"],
        help="hand a household (or every household of a medewerker) to a colleague",
    )
    cmd.add_argument("household", nargs="?", default=None, help="household code")
    cmd.add_argument("--aan", "--to", dest="to_user", required=True, help="new medewerker")
    cmd.add_argument(
        "--notitie", "--note", dest="note", required=True, help="note for the new medewerker"
    )
    cmd.add_argument(
        "--alle-van",
        "--all-from",
        dest="all_from",
        default=None,
        help="every household of this medewerker (teamleider or beheerder)",
    )
    cmd.add_argument("--actor", default=os.environ.get("USER", "operator"))
    cmd.add_argument("--database", default=None)
    cmd.set_defaults(func=run_handover)


def _refused(message: str) -> int:
    print(f"hhb overdragen: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_handover(args: argparse.Namespace) -> int:
    if bool(args.household) == bool(args.all_from):
        return _refused("geef een HUISHOUDEN op, of --alle-van MEDEWERKER (niet allebei)")
    now = datetime.now(AMSTERDAM)
    try:
        with database_engine(args) as engine:
            role = operator_role(engine, args.actor)
            if args.household:
                done = [
                    hand_over_household(
                        engine,
                        code=args.household,
                        to_user=args.to_user,
                        note=args.note,
                        actor=args.actor,
                        role=role,
                        now=now,
                    )
                ]
            else:
                done = hand_over_all_households(
                    engine,
                    from_user=args.all_from,
                    to_user=args.to_user,
                    note=args.note,
                    actor=args.actor,
                    role=role,
                    now=now,
                )
    except UnknownHouseholdError:
        return _refused(f"huishouden {args.household} bestaat niet")
    except UserError as exc:
        return _refused(str(exc))
    for handover in done:
        print(
            f"{handover.household}: overgedragen van {handover.from_user or 'niemand'} "
            f"aan {handover.to_user}" + (f" ({handover.to_team})" if handover.to_team else "")
        )
    return EXIT_OK
