"""The command line's reads of household data go into the view log (issue 20.2).

Whoever runs `hhb` on the server is logged as `operator NAME` (the login name, or
the sudo user), with role `operator` and via `cli`."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable

from huishoudboekje.services.access_control import record_views
from huishoudboekje.services.database import Engine

OPERATOR_ROLE = "operator"


def operator() -> str:
    """`operator NAME` for the person running `hhb`."""
    return f"operator {os.environ.get('SUDO_USER') or getpass.getuser()}"


def log_reads(engine: Engine, households: Iterable[str], what: str) -> None:
    """One view-log row per household read by the command `what`."""
    codes = list(dict.fromkeys(households))
    if codes:
        record_views(engine, codes, actor=operator(), role=OPERATOR_ROLE, what=what, via="cli")
