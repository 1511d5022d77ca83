"""Daily reconciliation of the pooled account: the bank's closing balance against the
ledger's bank account, day by day, with the difference explained (pure).

The ledger books a bank line on its booking day, so on a day with a statement the
ledger's bank account equals the statement's closing balance unless:

* lines of a stored statement are not booked yet (a night that has not run, or
  failed half-way): the ledger lacks exactly their sum;
* a statement is missing: the next statement begins at another balance than the
  previous one ended (the gap), and the ledger lacks the gap until the missing
  statement arrives and is booked.

Whatever is left after those two is *unexplained* and becomes a signal. Payments in
flight and money in suspense are shown beside it: in this ledger they do not make
bank and statement differ (an instructed payment sits on "betalingen onderweg",
not on the bank account, until the bank's statement shows it left), but they are
what the bank balance will still move by, and what staff must still assign.

The nightly check (`services.night_book.check_balance`) compares only the latest
statement; this looks back over any period.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.money import ZERO, Money


class DayStatus(StrEnum):
    OK = "klopt"
    EXPLAINED = "verklaard"
    MISSING = "afschrift ontbreekt"
    NO_BALANCE = "geen dagsaldo"
    UNEXPLAINED = "onverklaard verschil"


@dataclass(frozen=True, slots=True)
class DatedStatement:
    """A stored statement with its period and balances (opening/closing may be unknown)."""

    statement_id: str
    start: date
    end: date
    opening: Money | None
    closing: Money | None


@dataclass(frozen=True, slots=True)
class LedgerDay:
    """The ledger's figures at the end of one day (natural signs: bank and in flight as
    amounts held or underway, suspense as money waiting)."""

    bank: Money
    in_flight: Money
    suspense: Money
    unmatched: int  # lines still in suspense, booked up to this day
    unbooked: int  # stored statement lines up to this day not booked
    unbooked_sum: Money


@dataclass(frozen=True, slots=True)
class DayReconciliation:
    day: date
    statement_id: str  # the statement whose closing balance is compared ("" none)
    bank_closing: Money | None
    ledger_bank: Money
    difference: Money | None  # ledger minus bank
    unexplained: Money
    status: DayStatus
    explanations: tuple[str, ...]
    in_flight: Money
    suspense: Money

    def as_json(self) -> dict[str, object]:
        def text(value: Money | None) -> str | None:
            return None if value is None else str(value)

        return {
            "day": self.day.isoformat(),
            "statement": self.statement_id or None,
            "bank_closing": text(self.bank_closing),
            "ledger_bank": str(self.ledger_bank),
            "difference": text(self.difference),
            "unexplained": str(self.unexplained),
            "status": self.status.value,
            "explanations": list(self.explanations),
            "in_flight": str(self.in_flight),
            "suspense": str(self.suspense),
        }


def gaps(
    statements: Sequence[DatedStatement],
) -> list[tuple[DatedStatement, DatedStatement, Money]]:
    """(previous, next, gap) wherever a statement opens at another balance than the one
    before it closed (statements in period order): a statement is missing between them."""
    found = []
    for before, after in itertools.pairwise(statements):
        if before.closing is None or after.opening is None:
            continue
        if after.opening != before.closing:
            found.append((before, after, after.opening - before.closing))
    return found


def reconcile_day(
    day: date,
    statements: Sequence[DatedStatement],
    ledger: LedgerDay,
) -> DayReconciliation:
    """Reconcile one day; `statements` are all dated statements up to at least `day`."""
    closed = [s for s in statements if s.end <= day]
    latest = closed[-1] if closed else None
    covering = [s for s in statements if s.start <= day < s.end]
    info = _info(ledger)
    if latest is None or latest.closing is None or covering:
        why = (
            "afschrift over meerdere dagen: geen saldo per dag"
            if covering
            else "nog geen afschrift"
        )
        return DayReconciliation(
            day, "", None, ledger.bank, None, ZERO, DayStatus.NO_BALANCE, (why, *info),
            ledger.in_flight, ledger.suspense,
        )  # fmt: skip
    difference = ledger.bank - latest.closing
    found = gaps(statements)
    missing = sum((gap for _b, after, gap in found if after.end <= day), ZERO)
    pending = [(b, a) for b, a, _g in found if b.end < day < a.start]
    unexplained = difference + ledger.unbooked_sum + missing
    explanations = list(_explain(day, latest, ledger, found, pending))
    if unexplained:
        status = DayStatus.UNEXPLAINED
        explanations.append(f"onverklaard: {eur(unexplained)}")
    elif pending:
        status = DayStatus.MISSING
    elif difference:
        status = DayStatus.EXPLAINED
    else:
        status = DayStatus.OK
    return DayReconciliation(
        day, latest.statement_id, latest.closing, ledger.bank, difference, unexplained, status,
        (*explanations, *info), ledger.in_flight, ledger.suspense,
    )  # fmt: skip


def _explain(
    day: date,
    latest: DatedStatement,
    ledger: LedgerDay,
    found: Sequence[tuple[DatedStatement, DatedStatement, Money]],
    pending: Sequence[tuple[DatedStatement, DatedStatement]],
) -> list[str]:
    lines = []
    if latest.end != day:
        lines.append(
            f"geen afschrift met boekingen van deze dag; saldo van {latest.end.isoformat()}"
        )
    for before, after in pending:
        lines.append(
            f"afschrift ontbreekt tussen {before.end.isoformat()} en {after.start.isoformat()}"
        )
    for before, after, gap in found:
        if after.end <= day:
            lines.append(
                f"ontbrekend afschrift: {after.statement_id} begint {eur(gap)} anders dan "
                f"{before.statement_id} eindigde (nog niet geboekt)"
            )
    if ledger.unbooked:
        lines.append(
            f"{ledger.unbooked} regel(s) van afschriften nog niet geboekt: "
            f"{eur(ledger.unbooked_sum)}"
        )
    return lines


def _info(ledger: LedgerDay) -> tuple[str, ...]:
    lines = []
    if ledger.in_flight:
        lines.append(f"onderweg (opgedragen, nog niet van de rekening): {eur(ledger.in_flight)}")
    if ledger.unmatched or ledger.suspense:
        lines.append(
            f"tussenrekening: {ledger.unmatched} post(en) niet toegewezen, "
            f"saldo {eur(ledger.suspense)}"
        )
    return tuple(lines)


def cumulative(
    before: Money, per_day: Mapping[date, Money], start: date, end: date
) -> dict[date, Money]:
    """Running totals at the end of each day start..end."""
    running = before
    totals = {}
    day = start
    while day <= end:
        running += per_day.get(day, ZERO)
        totals[day] = running
        day += timedelta(days=1)
    return totals


def count_until(per_day: Mapping[date, int], start: date, end: date) -> dict[date, int]:
    """Running counts (every day before `start` included) at the end of each day."""
    running = sum(n for d, n in per_day.items() if d < start)
    counts = {}
    day = start
    while day <= end:
        running += per_day.get(day, 0)
        counts[day] = running
        day += timedelta(days=1)
    return counts
