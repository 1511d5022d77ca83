"""Blueprint `staff`: the work place of the gemeente's staff, under /medewerker.

One blueprint, its routes registered by one module per concern: `caseload` (the
list of households, a household's page, invite links), `household_rules` (adding
and editing a household, its incomes, charges and reserves, ending them),
`charge_pauses` (pausing a charge, a temporary amount, a total),
`worklists` (signals, unknown credits, returned payments), `approvals` (four-eyes
changes and households' requests), `audit` (the audit log), `reports` (the team
dashboard) and `letters` (a household's letter by post as PDF), `handover` (a household to a
colleague with a note; the household's answer recorded by staff). Endpoint names are
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
    consent,
    exit,
    handover,
    household_rules,
    intake,
    letters,
    need_to_know,
    reconciliation,
    reports,
    worklists,
)

__all__ = [
    "approvals",
    "audit",
    "bp",
    "caseload",
    "charge_pauses",
    "consent",
    "exit",
    "handover",
    "household_rules",
    "intake",
    "letters",
    "need_to_know",
    "reconciliation",
    "reports",
    "worklists",
]
