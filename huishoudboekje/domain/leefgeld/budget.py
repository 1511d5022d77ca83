"""A household's month in round figures, and the leefgeld rate it sustains."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from huishoudboekje.domain.advance import instalment
from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.household import Cadence, Household, LeefgeldPolicyKind
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.learned_income import LearnedIncome, learn
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import StoppedIncome, stopped_incomes


@dataclass(frozen=True, slots=True)
class Budget:
    """A household's month in round figures, and the rate that it sustains."""

    monthly_income: Money
    monthly_charges: Money
    monthly_reserves: Money
    monthly_repayment: Money
    reserve_amounts: tuple[tuple[str, Money], ...]
    sustainable: Money  # per cadence period
    floor: Money  # per cadence period
    cadence: Cadence
    # incomes left out because they look stopped, and irregular ones at their learned
    # amount (only when the budget is made with the receipts: `since` given)
    stopped: tuple[StoppedIncome, ...] = field(default=(), compare=False)
    learned: tuple[LearnedIncome, ...] = field(default=(), compare=False)

    @property
    def monthly_surplus(self) -> Money:
        """What is left of a month's income after the charges and reserves."""
        return self.monthly_income - self.monthly_charges - self.monthly_reserves

    @property
    def closes(self) -> bool:
        """Whether the budget sustains at least the minimum leefgeld."""
        return self.sustainable >= self.floor


def cadence_of(household: Household) -> Cadence:
    """How often leefgeld is released (monthly_first is monthly, whatever the cadence)."""
    if household.leefgeld.policy is LeefgeldPolicyKind.MONTHLY_FIRST:
        return Cadence.MONTHLY
    return household.leefgeld.cadence


def per_period(monthly: Decimal, cadence: Cadence) -> Money:
    """Convert a monthly amount to one cadence period (weekly: x 12 / 52)."""
    if cadence is Cadence.MONTHLY:
        return Money.round(monthly)
    return Money.round(monthly * 12 / 52)


def budget(
    household: Household,
    today: date,
    advance_used: Money = ZERO,
    reserves_held: Mapping[str, Money] | None = None,
    *,
    receipts: tuple[IncomeReceipt, ...] = (),
    since: date | None = None,
    paid_off: Iterable[str] = (),
) -> Budget:
    """Expected monthly income, charges and reserves under the rules in force today.

    Each rule counts at its steady yearly rhythm (`Schedule.per_year`), so the
    budget does not move from one month to the next while nothing changes: a
    4-weekly salary is always 13 x 365/364 paydays a year. A change announced for
    later (rent up from 1 July: one charge `valid_until` 30 June, the next
    `valid_from` 1 July) enters the budget when it takes effect, as one step,
    instead of creeping in over the twelve months before it.

    A charge paid from a reserve (the energy yearly settlement) is budgeted by
    that reserve's contributions, not counted again as a charge. A reserve that
    is full (`reserves_held` at its target) gets nothing this month, as the
    planner then sets nothing aside, so its share goes to leefgeld instead of
    piling up in the vat.

    With `since` (the day planning began) the receipts count too: an income that
    looks stopped (`occurrences.stopped_income`) is left out, and an irregular one
    counts at its learned monthly amount (`learned_income.learn`).

    A charge in `paid_off` (its `total` is paid: it stops by itself) is no longer
    counted, so its instalment goes to leefgeld instead of piling up in the vat.
    """
    stopped = stopped_incomes(household, today, receipts, since) if since else ()
    learned = (
        tuple(learn(i, receipts, since, today) for i in household.incomes if i.irregular)
        if since
        else ()
    )
    income_total, toeslag_total, charge_total = _yearly_totals(
        household,
        today,
        {s.income.id for s in stopped},
        {x.income_id: x for x in learned},
        frozenset(paid_off),
    )
    to_month = Decimal(1) / 12
    reserve_amounts = _reserve_amounts(household, today, toeslag_total * to_month, reserves_held)
    monthly_reserves = sum((amount for _id, amount in reserve_amounts), ZERO)
    monthly_income = Money.round(income_total * to_month)
    monthly_charges = Money.round(charge_total * to_month)
    cadence = cadence_of(household)
    # Repayments are not part of the steady rate: the forecast behind the buffer
    # decision counts them, so an advance lowers leefgeld only through the buffer.
    surplus = monthly_income - monthly_charges - monthly_reserves
    return Budget(
        monthly_income=monthly_income,
        monthly_charges=monthly_charges,
        monthly_reserves=monthly_reserves,
        monthly_repayment=instalment(household, advance_used),
        reserve_amounts=reserve_amounts,
        sustainable=per_period(surplus.amount, cadence),
        floor=household.floor_per_period(),
        cadence=cadence,
        stopped=stopped,
        learned=learned,
    )


def _yearly_totals(
    household: Household,
    today: date,
    stopped: set[str],
    learned: Mapping[str, LearnedIncome],
    paid_off: frozenset[str] = frozenset(),
) -> tuple[Decimal, Decimal, Decimal]:
    """Yearly income, the toeslagen within it, and yearly charges not paid from a reserve."""
    reserve_ids = {r.id for r in household.reserves}
    income_total = Decimal(0)
    toeslag_total = Decimal(0)
    for income in household.incomes:
        if income.id in stopped:
            continue
        if income.id in learned:
            yearly = learned[income.id].monthly.amount * 12
        else:
            yearly = income.amount.amount * income.schedule.per_year(today)
        income_total += yearly
        if income.kind.is_toeslag:
            toeslag_total += yearly
    charge_total = sum(
        (
            c.amount.amount * c.schedule.per_year(today)
            for c in household.charges
            if c.is_valid_on(today) and c.reserve not in reserve_ids and c.id not in paid_off
        ),
        Decimal(0),
    )
    return income_total, toeslag_total, charge_total


def _reserve_amounts(
    household: Household,
    today: date,
    monthly_toeslag: Decimal,
    reserves_held: Mapping[str, Money] | None,
) -> tuple[tuple[str, Money], ...]:
    """Each reserve's contribution this month (nothing once full or ended)."""
    amounts = []
    for res in household.reserves:
        if res.percent_of_toeslag is not None:
            amount = Money.round(monthly_toeslag * res.percent_of_toeslag)
        else:
            amount = res.monthly
        held = (reserves_held or {}).get(res.id)
        if held is not None and res.target is not None:
            amount = min_money(amount, max(res.target - held, ZERO))
        if not res.is_valid_on(today):
            amount = ZERO  # ended, like a charge that ends: nothing more is set aside
        amounts.append((res.id, amount))
    return tuple(amounts)


def budget_sentence(b: Budget) -> str:
    """The budget in one plain-Dutch sentence, as the household and staff read it."""
    unit = "per week" if b.cadence is Cadence.WEEKLY else "per maand"
    parts = [f"Verwacht inkomen {eur(b.monthly_income)} per maand"]
    parts.append(f"vaste lasten {eur(b.monthly_charges)}")
    if b.monthly_reserves:
        parts.append(f"reserveringen {eur(b.monthly_reserves)}")
    if b.monthly_repayment:
        parts.append(f"aflossing voorschot {eur(b.monthly_repayment)} (uit de buffer)")
    for stopped in b.stopped:
        parts.append(
            f"{stopped.income.kind.label_nl.lower()} telt niet mee (niet meer binnengekomen "
            f"sinds {day_nl(stopped.first_missed)})"
        )
    return (
        ", ".join(parts)
        + f"; er blijft {eur(b.monthly_surplus)} per maand over, "
        + f"dat is {eur(b.sustainable)} {unit}."
    )
