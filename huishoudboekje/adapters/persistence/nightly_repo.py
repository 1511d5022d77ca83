"""Everything the nightly run loads and saves, under one name (none of these commit).

The functions live in modules by concern: `statement_repo` (imported files and
statements), `transaction_repo` (bank transactions), `instruction_repo`
(payment instructions and files), `signal_repo` (signals), `night_run_repo` (the
night's record) and `household_batch` (bulk access for the plan stage). This
module names them all again for the code and tests that import them from here.
"""

from __future__ import annotations

from huishoudboekje.adapters.persistence.household_batch import (
    journal_by_household,
    preload,
    put_state,
    state_rows,
)
from huishoudboekje.adapters.persistence.instruction_repo import (
    add_instructions,
    extra_instruction_rows,
    instruction_rows,
    mark_written,
    payment_files,
    record_payment_file,
    sent_payments,
    set_instruction_status,
    to_instruction,
)
from huishoudboekje.adapters.persistence.night_run_repo import (
    finish_run,
    last_completed_night,
    night_runs,
    record_stage,
    start_run,
)
from huishoudboekje.adapters.persistence.signal_repo import (
    close_signal,
    close_stale_signals,
    signal_rows,
    upsert_signals,
)
from huishoudboekje.adapters.persistence.statement_repo import (
    StoredStatement,
    add_statement,
    earliest_start,
    following_statement,
    has_statements,
    imported_file,
    last_statement,
    opening_booked,
    previous_statement,
    record_file,
)
from huishoudboekje.adapters.persistence.transaction_repo import (
    add_transactions,
    bank_balance,
    status_counts,
    stored_fingerprints,
    stored_keys,
    to_transaction,
    transaction,
    transactions,
)

__all__ = [
    "StoredStatement",
    "add_instructions",
    "add_statement",
    "add_transactions",
    "bank_balance",
    "close_signal",
    "close_stale_signals",
    "earliest_start",
    "extra_instruction_rows",
    "finish_run",
    "following_statement",
    "has_statements",
    "imported_file",
    "instruction_rows",
    "journal_by_household",
    "last_completed_night",
    "last_statement",
    "mark_written",
    "night_runs",
    "opening_booked",
    "payment_files",
    "preload",
    "previous_statement",
    "put_state",
    "record_file",
    "record_payment_file",
    "record_stage",
    "sent_payments",
    "set_instruction_status",
    "signal_rows",
    "start_run",
    "state_rows",
    "status_counts",
    "stored_fingerprints",
    "stored_keys",
    "to_instruction",
    "to_transaction",
    "transaction",
    "transactions",
    "upsert_signals",
]
