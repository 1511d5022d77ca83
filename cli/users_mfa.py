"""`hhb users demo-code` and `hhb users reset-2fa`: the second factor from the server.

The demo's staff logins get a fixed, published TOTP secret (like their published
passwords): demo only. `demo-code` prints the code of now for those and refuses
every other name, so it never reads a real secret.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from cli.engine_scope import database_engine
from huishoudboekje.services.account_admin import reset_totp
from huishoudboekje.services.second_factor import totp_code, totp_step
from huishoudboekje.services.user_accounts import AccountError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
DEMO_TOTP = {  # demo only: published like the demo passwords
    "medewerker": "DEMOMEDEWERKERTWEEDUIZENDZESHHBA",
    "teamleider": "DEMOTEAMLEIDERTWEEDUIZENDZESHHBA",
}


def register_mfa(sub: Any) -> None:
    """Add `demo-code` and `reset-2fa` to `hhb users`."""
    code = sub.add_parser("demo-code", help="the current TOTP code of a demo staff login")
    code.add_argument("username", choices=sorted(DEMO_TOTP))
    code.set_defaults(func=run_demo_code)
    reset = sub.add_parser("reset-2fa", help="remove an account's second factor (lost phone)")
    reset.add_argument("username")
    reset.set_defaults(func=run_reset)


def run_demo_code(args: argparse.Namespace) -> int:
    """hhb users demo-code: the code a phone with the demo secret shows now."""
    print(totp_code(DEMO_TOTP[args.username], totp_step(datetime.now(UTC))))
    return EXIT_OK


def run_reset(args: argparse.Namespace) -> int:
    """hhb users reset-2fa."""
    try:
        with database_engine(args) as engine:
            reset_totp(
                engine, actor="operator (hhb users reset-2fa)", username=args.username,
                now=datetime.now(UTC),
            )  # fmt: skip
    except AccountError as exc:
        print(f"hhb users reset-2fa: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"De tweede stap van {args.username} is verwijderd; bij de volgende keer inloggen")
    print("stelt het account hem opnieuw in.")
    return EXIT_OK
