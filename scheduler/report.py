"""The night's report (`hhb nightly --json`), read back from the database.

Built from what is stored for the night, not from what this process happened to
do, so a re-run of a night reports the same payments, files and signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.nightly_repo import (
    instruction_rows,
    payment_files,
    signal_rows,
    status_counts,
)
from scheduler.context import FileResult


def night_report(uow: UnitOfWork, night: date, files: Sequence[FileResult]) -> dict[str, Any]:
    """The JSON document of issue 5 for `night`."""
    counts = status_counts(uow, night)
    return {
        "date": night.isoformat(),
        "statements": [f.as_json() for f in files],
        "matched": counts.get("matched", 0) + counts.get("assigned", 0),
        "unmatched": counts.get("unmatched", 0) + counts.get("unknown_debit", 0),
        "settled": counts.get("settled", 0),
        "returned": counts.get("returned", 0),
        "payments": [
            {
                "end_to_end_id": row.end_to_end_id,
                "household": row.household,
                "kind": row.kind,
                "name": row.payee_name,
                "iban": row.payee_iban,
                "amount": str(row.amount),
                "execution_date": row.execution_date.isoformat(),
                "remittance": row.remittance or row.structured_reference,
            }
            for row in instruction_rows(uow, instructed_on=night)
        ],
        "payment_files": [row.path for row in payment_files(uow, night=night)],
        "signals": [
            {
                "household": row.household,
                "kind": row.kind,
                "severity": row.severity,
                "message": row.message,
            }
            for row in signal_rows(uow, seen_on=night)
        ],
    }
