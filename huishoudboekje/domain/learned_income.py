"""Expected income learned from receipts, for streams marked `irregular` (issue 17.4).

A ZZP household's turnover, flex work or a WW paid on varying days does not
follow its configured amount: the configured amount is only where we start.
For such a stream the planner expects a cautious monthly amount learned from
what really came in over the last `LEARN_MONTHS` whole calendar months.

The method, and why: the **mean** of the monthly totals. The monthly totals
are summed per calendar month (a month without any receipt counts as 0) and
averaged. The caution is in the buffer, not in the estimate:

- The rate of an irregular earner is this estimate plus a buffer part that
  pays a surplus out over about eighteen months and rebuilds a shortfall in
  about six (`leefgeld.rate.irregular_buffer_part`). An estimate set below the
  mean by some amount makes the vat settle that amount x the release period
  above its target: the vat hoards. Measured (docs/benchmarks.md, issue 17): with
  the best month left out (the method before) or the mean less one standard
  error, a ZZP household kept more beyond its target and got less leefgeld
  for the same steadiness.
- A rate set too high is caught by the vat: once the vat falls below the
  target the shortfall is rebuilt within a quarter, and below what the coming
  two months of charges need the rate comes down at once (the cap).
- Months with nothing received count as 0, not as missing: a month without
  turnover is exactly what the buffer has to carry.

The configured amount fades out linearly as whole months are observed: with
`n` months seen (n < FULL_WEIGHT_MONTHS) the expectation is
(configured x (6 - n) + learned x n) / 6; from 6 months on it is the learned
amount alone. Everything is exact `Money`/`Decimal`; no floats.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import Household, IncomeStream
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.kept import kept
from huishoudboekje.domain.money import ZERO, Money

LEARN_MONTHS = 12  # at most the last 12 whole months are used
FULL_WEIGHT_MONTHS = 6  # from 6 whole months on, the configured amount no longer counts
METHOD_CONFIGURED = "configured"
METHOD_BLEND = "mean_blended_with_configured"
METHOD_LEARNED = "mean"


@dataclass(frozen=True, slots=True)
class LearnedIncome:
    """What the planner expects from one irregular stream per month, and what it rests on."""

    income_id: str
    monthly: Money  # the expected monthly amount the planner uses
    configured_monthly: Money  # the configured amount, per month
    learned_monthly: Money | None  # the mean of the months seen (None: none seen)
    months: int  # whole calendar months observed
    receipts: int  # receipts in those months
    method: str  # METHOD_CONFIGURED, METHOD_BLEND or METHOD_LEARNED
    first_month: date | None  # the first month used (its 1st day)
    longest_gap_days: int  # longest stretch without a receipt, observed window

    def sentence(self) -> str:
        """What the planner expects from this income, in plain Dutch (B1), for
        `hhb status`: "verwacht (geleerd): € 1.234,00 per maand, uit 8 maanden met 14
        betalingen"."""
        amount = f"{eur(self.monthly)} per maand"
        months = f"{self.months} {'maand' if self.months == 1 else 'maanden'}"
        if self.method == METHOD_LEARNED:
            paid = f"{self.receipts} {'betaling' if self.receipts == 1 else 'betalingen'}"
            return f"verwacht (geleerd): {amount}, uit {months} met {paid}"
        if self.method == METHOD_BLEND:
            return (
                f"verwacht (deels geleerd): {amount}, uit {months} en het ingestelde "
                f"bedrag van {eur(self.configured_monthly)} per maand"
            )
        return f"verwacht: {amount}, het ingestelde bedrag (nog geen hele maand gezien)"

    def as_dict(self) -> dict[str, object]:
        """For `hhb status --json`: amounts as strings, exact."""
        return {
            "income": self.income_id,
            "expected_monthly": str(self.monthly),
            "configured_monthly": str(self.configured_monthly),
            "learned_monthly": None if self.learned_monthly is None else str(self.learned_monthly),
            "months": self.months,
            "receipts": self.receipts,
            "method": self.method,
            "since": None if self.first_month is None else self.first_month.isoformat(),
            "longest_gap_days": self.longest_gap_days,
        }


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return date(day.year, day.month, 1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def observed_months(since: date, today: date) -> list[date]:
    """The whole calendar months from `since` up to (not including) today's month,
    at most the last LEARN_MONTHS, each as its first day."""
    first = since if since.day == 1 else next_month(since)
    months = []
    month = first
    current = month_start(today)
    while month < current:
        months.append(month)
        month = next_month(month)
    return months[-LEARN_MONTHS:]


def monthly_mean(totals: list[Money]) -> Money:
    """The mean of the monthly `totals`, to the cent."""
    return Money.round(sum((m.amount for m in totals), Decimal(0)) / len(totals))


def configured_monthly(income: IncomeStream, today: date) -> Money:
    """The configured amount as a monthly figure (its schedule's steady yearly rhythm)."""
    return Money.round(income.amount.amount * income.schedule.per_year(today) / 12)


def learn(
    income: IncomeStream, receipts: Iterable[IncomeReceipt], since: date, today: date
) -> LearnedIncome:
    """The expected monthly amount of `income` on `today`, learned from its receipts
    in the whole months since `since` (the day planning began)."""
    return _learn(income, tuple(r for r in receipts if r.income_id == income.id), since, today)


@kept(maxsize=4096, per_household=True)  # asked by every forecast of the same night
def _learn(
    income: IncomeStream, receipts: tuple[IncomeReceipt, ...], since: date, today: date
) -> LearnedIncome:
    configured = configured_monthly(income, today)
    months = observed_months(since, today)
    if not months:
        return LearnedIncome(
            income.id, configured, configured, None, 0, 0, METHOD_CONFIGURED, None, 0
        )
    first, end = months[0], next_month(months[-1])
    totals = {m: ZERO for m in months}
    used = [r for r in receipts if first <= r.day < end]
    for r in used:
        month = month_start(r.day)
        totals[month] = totals[month] + r.amount
    learned = monthly_mean(list(totals.values()))
    n = len(months)
    if n >= FULL_WEIGHT_MONTHS:
        monthly, method = learned, METHOD_LEARNED
    else:
        weighted = configured.amount * (FULL_WEIGHT_MONTHS - n) + learned.amount * n
        monthly, method = Money.round(weighted / FULL_WEIGHT_MONTHS), METHOD_BLEND
    gap = longest_gap([r.day for r in used], first, end - timedelta(days=1))
    return LearnedIncome(income.id, monthly, configured, learned, n, len(used), method, first, gap)


def longest_gap(days: Iterable[date], first: date, last: date) -> int:
    """The longest stretch of days in [first, last] with no receipt (edges included)."""
    marks = sorted({first - timedelta(days=1), *days, last + timedelta(days=1)})
    return max((b - a).days - 1 for a, b in itertools.pairwise(marks))


def per_occurrence(learned: LearnedIncome, income: IncomeStream, today: date) -> Money:
    """The learned monthly amount spread over the stream's occurrences (x 12 / per year)."""
    per_year = income.schedule.per_year(today)
    if per_year <= 0:
        return ZERO
    return Money.round(learned.monthly.amount * 12 / per_year)


def learned_buffer_target(
    configured: Money, learned: Iterable[LearnedIncome], maximum: Money
) -> Money:
    """A buffer that carries the longest gap seen: for each irregular stream the income
    it would have brought in that gap (expected monthly x gap days x 12 / 365); never
    below the configured target, never above the gemeente's `maximum` (unless the
    configured target itself is higher: what was agreed stays)."""
    need = ZERO
    for stream in learned:
        if stream.months == 0:
            continue
        gap_money = Money.round(stream.monthly.amount * stream.longest_gap_days * 12 / 365)
        need = max(need, gap_money)
    return max(configured, min(need, maximum))


def learned_incomes(
    household: Household,
    receipts: tuple[IncomeReceipt, ...],
    planned_since: date | None,
    today: date,
) -> tuple[LearnedIncome, ...]:
    """What the planner expects from each of the household's irregular streams on
    `today`, learned since planning began (for `hhb status --json`)."""
    since = max(household.start, planned_since or today)
    return tuple(learn(i, receipts, since, today) for i in household.incomes if i.irregular)
