"""Stage `dedupe`'s database work: store each parsed file's transactions that are new,
one transaction per file.

New = the dedupe key was never stored, and no transaction with the same
cross-format fingerprint came in through another format (`bankbook.new_transactions`).
Also here: the one-time beginsaldo of the account's first statement, and the
continuity check (an opening balance that does not continue the closing balance of
the statement before it in time raises "ontbrekend afschrift"; a late statement
that fills the gap closes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huishoudboekje.adapters.persistence.journal import append_journal_entries
from huishoudboekje.adapters.persistence.signal_repo import close_signal, upsert_signals
from huishoudboekje.adapters.persistence.statement_repo import (
    add_statement,
    covering_statement,
    earliest_start,
    following_statement,
    has_statements,
    opening_booked,
    previous_statement,
    record_file,
)
from huishoudboekje.adapters.persistence.transaction_repo import (
    add_transactions,
    stored_fingerprints,
    stored_keys,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import (
    fingerprints,
    new_transactions,
    opening_correction,
    opening_entry,
    statement_period,
)
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.ids import missing_statement_key
from huishoudboekje.domain.money import ZERO
from huishoudboekje.domain.signals import Signal
from huishoudboekje.services.night_work import NightWork, ParsedFile, StageResult

# statements of the file being stored: (statement, new count, its new transactions)
Pending = list[tuple[Statement, int, list[tuple[BankTransaction, str]]]]


@dataclass(frozen=True)
class DedupeResult(StageResult):
    """Stage `dedupe`: files stored and the transactions in them that were new."""

    files: int
    new_transactions: int


def store_file(work: NightWork, parsed: ParsedFile) -> tuple[int, int]:
    """Store what is new in one parsed file, in one transaction; returns (total, new)."""
    total = new = 0
    with UnitOfWork(work.engine) as uow:
        rows: Pending = []
        for statement in parsed.statements:
            total += len(statement.transactions)
            new += _store_statement(work, uow, statement, rows)
        file_id = record_file(
            uow,
            name=parsed.path.name,
            sha256=parsed.sha256,
            format=parsed.format,
            status="duplicate" if total and not new else "imported",
            night=work.night,
            transactions=total,
            new_transactions=new,
        )
        for statement, count, fresh in rows:
            row_id = add_statement(uow, file_id, statement, count)
            add_transactions(uow, row_id, statement, fresh, work.night)
        uow.commit()
    return total, new


def _store_statement(work: NightWork, uow: UnitOfWork, statement: Statement, rows: Pending) -> int:
    keys = [tx.dedupe_key for tx in statement.transactions]
    known = stored_keys(uow, keys)
    by_print = stored_fingerprints(uow, fingerprints(statement))
    # transactions of earlier statements of this same file count as stored too
    for earlier, _count, fresh in rows:
        known = known | {tx.dedupe_key for tx, _ in fresh}
        for _tx, fp in fresh:
            by_print.setdefault(fp, frozenset())
            by_print[fp] = by_print[fp] | {earlier.source_format}
    fresh = new_transactions(statement, known, by_print)
    signals: list[Signal] = []
    if not has_statements(uow, statement.account_iban) and not rows:
        if statement.opening_balance is not None:
            entry = opening_entry(
                statement.account_iban, _first_day(statement, work.night), statement.opening_balance
            )
            if entry is not None:
                append_journal_entries(uow, [entry])
    elif fresh or not statement.transactions:
        signals = _continuity(work, uow, statement, rows)
        _move_beginsaldo(uow, statement, rows)
    upsert_signals(uow, signals, work.night, "event")
    rows.append((statement, len(fresh), list(fresh)))
    return len(fresh)


def _continuity(
    work: NightWork, uow: UnitOfWork, statement: Statement, rows: Pending
) -> list[Signal]:
    """Signal "ontbrekend afschrift" where the statement does not continue the one before
    it in time (statements may arrive out of order); for a late statement also check
    the one after it, whose signal closes when this statement fills the gap.

    A statement whose days all lie inside one stored statement (the daily file of a
    day the monthly CSV already brought) continues nothing and misses nothing: its
    neighbours are inside that statement too, so it raises no signal."""
    account = statement.account_iban
    first, last = _first_day(statement, work.night), _last_day(statement, work.night)
    if not rows and covering_statement(uow, account, first, last) is not None:
        return []
    previous = previous_statement(uow, account, _first_day(statement, work.night))
    prev_closing = previous.closing if previous is not None else None
    if rows:  # an earlier statement of this very file is the previous one
        prev_closing = rows[-1][0].closing_balance or prev_closing
    signals: list[Signal] = []
    opening, closing = statement.opening_balance, statement.closing_balance
    if prev_closing is not None and opening is not None and opening != prev_closing:
        signals.append(
            night_signals.missing_statement(account, statement.statement_id, prev_closing, opening)
        )
    following = following_statement(uow, account, _last_day(statement, work.night))
    if following is None or following.opening is None or closing is None:
        return signals
    if following.opening == closing:
        key = missing_statement_key(account, following.statement_id)
        close_signal(uow, key, work.night)
    else:
        signals.append(
            night_signals.missing_statement(
                account, following.statement_id, closing, following.opening
            )
        )
    return signals


def _move_beginsaldo(uow: UnitOfWork, statement: Statement, rows: Pending) -> None:
    """A statement older than every stored one (and than the earlier ones of its file):
    its transactions were inside the beginsaldo, so the beginsaldo moves back to its
    opening balance (`bankbook.opening_correction`)."""
    start = statement_period(statement)[0]
    first = earliest_start(uow, statement.account_iban)
    if start is None or first is None or start >= first:
        return
    if any((statement_period(earlier)[0] or first) <= start for earlier, _n, _f in rows):
        return
    opening = statement.opening_balance or ZERO
    entry = opening_correction(
        statement.account_iban, statement.statement_id, start, opening - opening_booked(uow)
    )
    if entry is not None:
        append_journal_entries(uow, [entry])


def _first_day(statement: Statement, night: date) -> date:
    return statement_period(statement)[0] or night


def _last_day(statement: Statement, night: date) -> date:
    return statement_period(statement)[1] or night
