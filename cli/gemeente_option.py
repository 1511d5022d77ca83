"""`--gemeente CODE` and `--alle-gemeenten` for the commands that show household or
journal data (issue 22.1).

In an installation with one gemeente nothing changes: neither option is needed. With
more than one, such a command without either refuses with one line that names the
gemeenten; `--alle-gemeenten` is the regional view, asked for out loud.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from huishoudboekje.services.database import Engine
from huishoudboekje.services.gemeente_scope import (
    GemeenteChoiceError,
    GemeenteScope,
    choose_gemeente,
    household_outside,
)

__all__ = [
    "add_gemeente_options",
    "gemeente_scope_of",
    "household_check",
    "regional_only",
    "scoped_commands",
]

# The parsers that got the options: the isolation test checks every command that
# shows data is among them.
_SCOPED: list[str] = []


def add_gemeente_options(parser: Any) -> None:
    """Add `--gemeente CODE` and `--alle-gemeenten` (one or the other) to `parser`."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--gemeente",
        metavar="CODE",
        default=None,
        help="only this gemeente's data (required when the installation has several)",
    )
    group.add_argument(
        "--alle-gemeenten",
        dest="alle_gemeenten",
        action="store_true",
        help="every gemeente at once (the regional view)",
    )
    _SCOPED.append(parser.prog)


def scoped_commands() -> tuple[str, ...]:
    """The `prog` of every parser that has the options (after `build_parser`)."""
    return tuple(_SCOPED)


def gemeente_scope_of(args: argparse.Namespace, engine: Engine) -> GemeenteScope | None:
    """The command's scope; None after printing the one-line refusal (the caller
    returns exit code 2)."""
    try:
        return choose_gemeente(
            engine,
            getattr(args, "gemeente", None),
            every=bool(getattr(args, "alle_gemeenten", False)),
        )
    except GemeenteChoiceError as exc:
        command = " ".join(
            str(part) for part in (getattr(args, "command", None), _action(args)) if part
        )
        print(f"hhb {command}: {exc}", file=sys.stderr)
        return None


def _action(args: argparse.Namespace) -> str | None:
    for name in ("users_command", "privacy_command", "kind", "config_action"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            return value
    return None


def regional_only(args: argparse.Namespace, engine: Engine, why: str) -> bool:
    """For a command that works on every gemeente at once (`why` says why): True when
    it may run (one gemeente, or `--alle-gemeenten`); else it refuses with one line."""
    scope = gemeente_scope_of(args, engine)
    if scope is None:
        return False
    if scope.regional:
        return True
    command = " ".join(
        str(part) for part in (getattr(args, "command", None), _action(args)) if part
    )
    print(
        f"hhb {command}: werkt voor alle gemeenten tegelijk ({why}); gebruik --alle-gemeenten",
        file=sys.stderr,
    )
    return False


def household_check(engine: Engine, scope: GemeenteScope, code: str | None) -> str | None:
    """Why household `code` may not be shown in `scope` (another gemeente's), or None."""
    if code is None or scope.regional:
        return None
    if household_outside(engine, scope, code):
        return f"huishouden {code} hoort niet bij gemeente {scope.code}"
    return None
