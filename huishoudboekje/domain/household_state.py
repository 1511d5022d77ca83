"""What the planner knows about a household on a given day, and what it remembers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from huishoudboekje.domain.charge_windows import ChargeProgress
from huishoudboekje.domain.money import ZERO, Money


@dataclass(frozen=True, slots=True)
class IncomeReceipt:
    """A booked income, matched to one of the household's income streams."""

    income_id: str
    day: date
    amount: Money


@dataclass(frozen=True, slots=True)
class LeefgeldState:
    """The steady leefgeld rate and its announced next step."""

    rate: Money | None = None  # per cadence period
    rate_since: date | None = None
    next_rate: Money | None = None  # announced step
    next_rate_from: date | None = None
    next_rate_because: str = ""  # why the announced step: "omdat …" clause, plain Dutch
    buffer_reached: bool = False  # False while in the opbouwfase
    last_recompute: date | None = None
    rules_fingerprint: str = ""
    reason: str = ""  # why the rate is what it is (plain Dutch)
    arrears: Money = ZERO  # leefgeld held back for lack of money, paid as soon as possible
    # the buffer part of the rate: + while a surplus is released, - while the buffer is
    # rebuilt; a fixed amount until `adjustment_until`, so it moves in one step each way
    adjustment: Money = ZERO
    adjustment_until: date | None = None
    # the rate is held down so every fixed charge of the coming two months stays covered
    capped: bool = False
    # the cadence the amounts above are per ("weekly"/"monthly"; "" in older memory:
    # the household's cadence), so a change of cadence converts them once
    cadence: str = ""
    # the last day the leefgeld released so far pays for (None in older memory): a
    # release pays only the days of its week or month after it, whatever the cadence
    paid_through: date | None = None

    def rate_on(self, day: date) -> Money | None:
        """The rate that applies to a release on `day` (an announced step included)."""
        if (
            self.next_rate is not None
            and self.next_rate_from is not None
            and day >= self.next_rate_from
        ):
            return self.next_rate
        return self.rate


@dataclass(frozen=True, slots=True)
class HouseholdState:
    """Balances and memory of one household. Balances come from the ledger."""

    code: str
    # the first night Huishoudboekje planned for this household: what fell due
    # before it was the household's own business, not a late payment of ours
    planned_since: date | None = None
    vat: Money = ZERO  # free money in the vat (reserves excluded)
    reserves: tuple[tuple[str, Money], ...] = ()
    advance_used: Money = ZERO
    advance_month: str = ""  # YYYY-MM of the instalment below
    advance_due: Money = ZERO  # what is still to be repaid on the advance this month
    instructed: frozenset[str] = field(default_factory=frozenset)
    # the nominal days of the leefgeld releases handled (paid, or passed over because
    # their week was paid), in order: which weeks are paid, without reading it back
    # from EndToEndIds. None: no record yet (memory stored before it was kept)
    released: tuple[date, ...] | None = None
    receipts: tuple[IncomeReceipt, ...] = ()
    leefgeld: LeefgeldState = field(default_factory=LeefgeldState)
    # set by the charges phase for the rest of one night while a charge is held back
    # under strict priority: what leefgeld may still take tonight (the floor), and no
    # reserve is filled. None: no claim open. Not remembered between nights.
    shortage_room: Money | None = None
    # what was instructed so far for each charge with a total (domain.charge_windows)
    charge_progress: tuple[ChargeProgress, ...] = ()
    # the household's payments the bank gave back: (EndToEndId, instructed amount),
    # read anew each night from the stored instructions. Not remembered (a charge
    # with a total remembers which of them it counted: `ChargeProgress.returned`)
    returned: tuple[tuple[str, Money], ...] = ()

    def takes_over_from(self, today: date) -> date:
        """The first due date Huishoudboekje is responsible for."""
        return self.planned_since or today

    def reserve(self, reserve_id: str) -> Money:
        """What reserve `reserve_id` holds (nothing when there is none)."""
        for rid, amount in self.reserves:
            if rid == reserve_id:
                return amount
        return ZERO

    def with_reserve(self, reserve_id: str, amount: Money) -> tuple[tuple[str, Money], ...]:
        """The reserves with `reserve_id` holding `amount`, in order."""
        others = [(rid, a) for rid, a in self.reserves if rid != reserve_id]
        return tuple(sorted([*others, (reserve_id, amount)]))
