"""`hhb reconcile` and the admin page Afstemming: the bank against the ledger, per day.

Reads the day sums of the ledger's bank, in-flight and suspense accounts, the
account's dated statements and the statement lines not booked (all SQL
aggregates, `adapters.persistence.reconcile_repo`), and reconciles each day with
`domain.day_reconcile`. With `raise_signals`, every day with an unexplained
difference becomes a "saldo verschil" signal (the same kind and key per statement
as the night's own check, `night_book.check_balance`, so one statement never gets
two), stored under source "reconcile" so the night does not close it by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huishoudboekje.adapters.persistence.reconcile_repo import (
    daily_account_sums,
    dated_statements,
    open_unmatched,
    unbooked_lines,
)
from huishoudboekje.adapters.persistence.repository import load_gemeente
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.day_reconcile import (
    DatedStatement,
    DayReconciliation,
    DayStatus,
    LedgerDay,
    count_until,
    cumulative,
    reconcile_day,
)
from huishoudboekje.domain.ledger import AccountKind
from huishoudboekje.domain.money import ZERO
from huishoudboekje.services.database import Engine
from huishoudboekje.services.errors import UserError

SIGNAL_SOURCE = "reconcile"
MAX_DAYS = 3660  # ten years: a longer range is a typing mistake


class ReconcileError(UserError):
    """A reconciliation that cannot be made (bad range, no gemeente configured)."""


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    account_iban: str
    days: tuple[DayReconciliation, ...]
    signals_raised: int

    @property
    def unexplained_days(self) -> tuple[DayReconciliation, ...]:
        return tuple(d for d in self.days if d.status is DayStatus.UNEXPLAINED)


def reconcile_days(
    engine: Engine, start: date, end: date, *, today: date, raise_signals: bool = False
) -> ReconcileReport:
    """Reconcile every day start..end (and store signals for unexplained ones if asked)."""
    if end < start:
        raise ReconcileError(f"--to ({end}) ligt voor --from ({start})")
    if (end - start).days > MAX_DAYS:
        raise ReconcileError("kies een periode van hoogstens tien jaar")
    with UnitOfWork(engine) as uow:
        gemeente = load_gemeente(uow)
        if gemeente is None:
            raise ReconcileError("er is nog geen gemeente ingesteld (eerst hhb config apply)")
        iban = gemeente.account_iban
        statements = [
            DatedStatement(s.statement_id, s.period_start, s.period_end, s.opening, s.closing)
            for s in dated_statements(uow, iban, end)
            if s.period_start is not None and s.period_end is not None
        ]
        figures = {
            kind: cumulative(*daily_account_sums(uow, kind, start, end), start, end)
            for kind in (AccountKind.BANK, AccountKind.IN_FLIGHT, AccountKind.SUSPENSE)
        }
        unbooked = unbooked_lines(uow, iban, end)
        unbooked_count = count_until({d: n for d, (n, _s) in unbooked.items()}, start, end)
        unbooked_sum = cumulative(
            sum((s for d, (_n, s) in unbooked.items() if d < start), ZERO),
            {d: s for d, (_n, s) in unbooked.items() if d >= start},
            start,
            end,
        )
        unmatched = count_until(open_unmatched(uow, iban, end), start, end)
        days = []
        for day in sorted(figures[AccountKind.BANK]):
            ledger = LedgerDay(
                bank=figures[AccountKind.BANK][day],
                in_flight=-figures[AccountKind.IN_FLIGHT][day],
                suspense=-figures[AccountKind.SUSPENSE][day],
                unmatched=unmatched[day],
                unbooked=unbooked_count[day],
                unbooked_sum=unbooked_sum[day],
            )
            days.append(reconcile_day(day, statements, ledger))
        raised = 0
        if raise_signals:
            signals = {
                s.key: s
                for s in (
                    night_signals.balance_mismatch(
                        iban, d.statement_id, d.ledger_bank, d.bank_closing
                    )
                    for d in days
                    if d.status is DayStatus.UNEXPLAINED and d.bank_closing is not None
                )
            }
            upsert_signals(uow, signals.values(), today, SIGNAL_SOURCE)
            uow.commit()
            raised = len(signals)
    return ReconcileReport(iban, tuple(days), raised)
