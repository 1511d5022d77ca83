"""Blueprint `staff`: the work place of the gemeente's staff, under /medewerker.

One blueprint, its routes registered by one module per concern: `caseload` (the
list of households, a household's page, invite links), `household_rules` (adding
and editing a household, its incomes, charges and reserves, ending them),
`charge_pauses` (pausing a charge, a temporary amount, a total),
`worklists` (signals, unknown credits, returned payments), `approvals` (four-eyes
changes and households' requests) and `audit` (the audit log). Endpoint names are
`staff.<view>` whichever module holds the view.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/medewerker")

# the modules add their routes to `bp` when imported, so they come after it
from web.staff import (  # noqa: E402
    approvals,
    audit,
    caseload,
    charge_pauses,
    exit,
    household_rules,
    need_to_know,
    worklists,
)

__all__ = [
    "approvals",
    "audit",
    "bp",
    "caseload",
    "charge_pauses",
    "exit",
    "household_rules",
    "need_to_know",
    "worklists",
]
