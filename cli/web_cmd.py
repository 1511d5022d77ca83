"""`hhb users` (accounts for the web) and `hhb serve` (the web app for development).

    hhb users add USERNAME --role household|medewerker|approver|admin|...
                  [--household CODE] [--name NAME] [--password-stdin]
                  [--gemeente CODE | --regio]   (issue 22: the staff member's gemeente;
                  --regio: a regional beheerder, functioneel beheerder or privacy
                  officer, who sees every gemeente)
    hhb users password USERNAME [--password-stdin]     (also unlocks)
    hhb users list [--gemeente CODE | --alle-gemeenten]
    hhb users demo        create the demo logins (idempotent) and print them; the
                          demo's staff get a known TOTP secret (printed)
    hhb users demo-code USERNAME   the current TOTP code of a demo staff login
    hhb users reset-2fa USERNAME   remove the second factor (a lost phone); the
                          account sets it up again at its next login
    hhb serve [--host 127.0.0.1] [--port 8000]
                          refuses to start without HHB_SECRET_KEY, except with
                          HHB_DEMO=1 (`make run`)

Without --password-stdin the password is asked for (not echoed). A household
account without a password can be activated by an invite link from the staff
page. Production runs under gunicorn, see docs/web.md; never the scheduler here.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime
from typing import Any

from cli.engine_scope import database_engine
from cli.gemeente_option import add_gemeente_options, gemeente_scope_of
from cli.users_mfa import DEMO_TOTP, register_mfa
from huishoudboekje.services.account_admin import (
    DemoAccount,
    add_account,
    add_demo_accounts,
    change_password,
    enrol_demo_totp,
    list_accounts,
)
from huishoudboekje.services.gemeente_scope import (
    GemeenteChoiceError,
    account_gemeente_choice,
    account_gemeenten_of,
    place_account,
)
from huishoudboekje.services.secret_box import SecretBox
from huishoudboekje.services.user_accounts import AccountError, PasswordHasher, Role

EXIT_OK = 0
EXIT_BAD_INPUT = 2
DEMO_USERS: tuple[DemoAccount, ...] = (
    # (username, name, role, household or None, password) — demo only
    ("jansen", "Fam. Jansen", Role.HOUSEHOLD, "HH-0001", "demo-jansen-2026"),
    ("medewerker", "Mira Medewerker", Role.MEDEWERKER, None, "demo-medewerker-2026"),
    ("teamleider", "Tom Teamleider", Role.APPROVER, None, "demo-teamleider-2026"),
)


def register(subparsers: Any) -> None:
    """Add `users` and `serve` to the `hhb` parser."""
    users = subparsers.add_parser("users", help="login accounts for the web app")
    users.add_argument("--database", default=None, help="database URL (default: HHB_DATABASE_URL)")
    sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--household", default=None, help="household code (role household)")
    add.add_argument("--name", default="", help="name shown in the app")
    add.add_argument("--team", default="", help="the team a staff member works in")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--no-password", action="store_true", help="activate later by invite link")
    add.add_argument(
        "--gemeente", default=None, help="the gemeente (code) a staff member works for (issue 22)"
    )
    add.add_argument(
        "--regio",
        action="store_true",
        help="a regional account, of no one gemeente: sees every gemeente (beheerder, "
        "functioneel beheerder, privacy officer)",
    )
    add.set_defaults(func=run_add)
    pw = sub.add_parser("password", help="set a new password (also unlocks the account)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=run_password)
    ls = sub.add_parser("list", help="list accounts")
    add_gemeente_options(ls)
    ls.set_defaults(func=run_list)
    demo = sub.add_parser("demo", help="create the demo logins (idempotent) and print them")
    demo.set_defaults(func=run_demo)
    register_mfa(sub)

    serve = subparsers.add_parser("serve", help="run the web app (development server)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database", default=None, help="database URL (default: HHB_DATABASE_URL)")
    serve.set_defaults(func=run_serve)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Wachtwoord: ")
    if first != getpass.getpass("Nog een keer: "):
        raise AccountError("De twee wachtwoorden zijn niet gelijk.")
    return first


def _hasher() -> PasswordHasher:
    from web.identity import Argon2Hasher

    return Argon2Hasher()


def _refused(action: str, exc: AccountError | GemeenteChoiceError) -> int:
    print(f"hhb users {action}: {exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_add(args: argparse.Namespace) -> int:
    """hhb users add."""
    try:
        with database_engine(args) as engine:
            role = Role(args.role)
            gemeente_id = account_gemeente_choice(
                engine,
                role=role,
                gemeente=args.gemeente,
                regional=args.regio,
                household=args.household,
            )
            password = None if args.no_password else _password(args)
            user = add_account(
                engine,
                _hasher(),
                actor="operator (hhb users add)",
                username=args.username,
                display_name=args.name or args.username,
                role=Role(args.role),
                household=args.household,
                password=password,
                now=datetime.now(UTC),
                team=args.team,
            )
            place_account(
                engine,
                actor="operator (hhb users add)",
                username=user.username,
                gemeente_id=gemeente_id,
            )
    except (AccountError, GemeenteChoiceError) as exc:
        return _refused("add", exc)
    print(f"Account {user.username} ({user.role}) toegevoegd.")
    return EXIT_OK


def run_password(args: argparse.Namespace) -> int:
    """hhb users password."""
    try:
        with database_engine(args) as engine:
            change_password(
                engine,
                _hasher(),
                actor="operator (hhb users password)",
                username=args.username,
                password=_password(args),
                now=datetime.now(UTC),
            )
    except AccountError as exc:
        return _refused("password", exc)
    print(f"Nieuw wachtwoord voor {args.username} ingesteld.")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """hhb users list."""
    with database_engine(args) as engine:
        scope = gemeente_scope_of(args, engine)
        if scope is None:
            return EXIT_BAD_INPUT
        of = account_gemeenten_of(engine)
        for user in list_accounts(engine):
            gemeente = of.get(user.username, "")
            if not scope.regional and gemeente != scope.code:
                continue
            state = "actief" if user.password_hash else "wacht op uitnodiging"
            print(
                f"{user.username:20} {user.role:11} {user.household or '-':10} {gemeente:8} {state}"
            )
    return EXIT_OK


def run_demo(args: argparse.Namespace) -> int:
    """hhb users demo: the demo logins, created once."""
    with database_engine(args) as engine:
        missing = add_demo_accounts(engine, _hasher(), DEMO_USERS, datetime.now(UTC))
        if missing is None:
            # sealed with HHB_SECRET_KEY when it is set; else stored as they are (the
            # demo's published secrets) and sealed by the web at start-up
            box = SecretBox(os.environ.get("HHB_SECRET_KEY"))
            enrol_demo_totp(engine, DEMO_TOTP, datetime.now(UTC), box)
    if missing is not None:
        print(f"hhb users demo: household {missing} missing; run config apply first")
        return EXIT_BAD_INPUT
    print("Demo-logins (alleen voor de demo):")
    for username, name, role, household, password in DEMO_USERS:
        where = f" {household}" if household else ""
        print(f"  {role.value:11} {username:12} wachtwoord {password:22} ({name}{where})")
    print("Medewerkers loggen in met een tweede stap (TOTP). Zet de sleutel in een")
    print("authenticator-app, of vraag de code van nu: hhb users demo-code USERNAME")
    for username, secret in DEMO_TOTP.items():
        print(f"  {username:12} TOTP-sleutel {secret}")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    """hhb serve: Flask's development server (single process, no scheduler)."""
    from web import create_app
    from web.security import MissingSecretKey
    from web.settings import SettingsError

    overrides = {"HHB_DATABASE_URL": args.database} if args.database else {}
    try:
        app = create_app(overrides)
    except (MissingSecretKey, SettingsError) as exc:
        print(f"hhb serve: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Huishoudboekje draait op http://{args.host}:{args.port}/ (stoppen: Ctrl+C)")
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False)
    return EXIT_OK
