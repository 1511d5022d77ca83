"""The status of one household on one day: what `hhb status` and the web show.

Pure: built from the household's rules, its state and a date, by asking the
planner what it would do (without keeping anything) and the forecast what
comes next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from huishoudboekje.domain.buffer_days import BufferDays, buffer_days
from huishoudboekje.domain.charge_windows import (
    ChargeProgress,
    progress_by_charge,
    total_sentence,
    window_sentence,
)
from huishoudboekje.domain.forecast import BOOKING_DELAY_DAYS, ForecastPoint, project
from huishoudboekje.domain.household import SETTLEMENT_DAYS, ChargeKind, Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.learned_income import LearnedIncome, learned_incomes
from huishoudboekje.domain.leefgeld import cadence_of
from huishoudboekje.domain.leefgeld.recompute import buffer_target_in_force
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import (
    PlanSettings,
    charge_dues,
    expected_incomes,
    planning_since,
)
from huishoudboekje.domain.planner import Plan, plan
from huishoudboekje.domain.signals import Signal

UPCOMING_DAYS = 35


@dataclass(frozen=True, slots=True)
class UpcomingCharge:
    day: date  # the day it is paid (execution date)
    due: date
    kind: str
    charge_id: str
    payee: str
    amount: Money
    covered: bool


@dataclass(frozen=True, slots=True)
class NextIncome:
    """The first income expected after today (issue 23: what the set-aside money waits for)."""

    day: date  # the day it is expected on the pooled account
    income_id: str
    kind: str  # IncomeKind value ("loon", "kindgebonden_budget")
    amount: Money


@dataclass(frozen=True, slots=True)
class SetAside:
    """Money in the vat already meant for a charge paid before the next income."""

    day: date  # the day the charge is paid (execution date)
    charge_id: str
    kind: str  # ChargeKind value
    amount: Money  # what the vat pays (a linked reserve pays the rest)
    payee: str = ""


@dataclass(frozen=True, slots=True)
class ChargeNote:
    """What is special about a charge now: a pause or temporary amount (until when),
    and for a charge with a total what is paid and what is left."""

    charge_id: str
    label: str  # how the household calls it: "huur", or the charge's id for "overig"
    window: str  # plain Dutch, "" when none is running or coming
    total: Money | None = None
    paid: Money = ZERO

    @property
    def left(self) -> Money:
        return max(self.total - self.paid, ZERO) if self.total is not None else ZERO

    def total_sentence(self) -> str:
        return "" if self.total is None else total_sentence(self.total, self._progress)

    @property
    def _progress(self) -> ChargeProgress:
        return ChargeProgress(self.charge_id, self.paid, date.min)

    def as_json(self) -> dict[str, Any]:
        total = None
        if self.total is not None:
            total = {
                "total": str(self.total),
                "paid": str(self.paid),
                "left": str(self.left),
                "sentence": self.total_sentence(),
            }
        return {"label": self.label, "window": self.window, "total": total}


def charge_notes(
    household: Household, state: HouseholdState, today: date
) -> tuple[ChargeNote, ...]:
    """A note for every charge with a pause, temporary amount or total."""
    done = progress_by_charge(state.charge_progress)
    notes = []
    for charge in household.charges:
        if not (charge.pause or charge.temporary or charge.total is not None):
            continue
        # how the household calls it, never a raw value with underscores (issue 23.4)
        label = (
            charge.id if charge.kind is ChargeKind.OVERIG else charge.kind.value.replace("_", " ")
        )
        window = window_sentence(label, charge.pause, charge.temporary, today)
        progress = done.get(charge.id)
        paid = progress.paid if progress is not None else ZERO
        notes.append(ChargeNote(charge.id, label, window, charge.total, paid))
    return tuple(notes)


@dataclass(frozen=True, slots=True)
class StatusReport:
    household: Household
    today: date
    state: HouseholdState
    plan: Plan
    upcoming: tuple[UpcomingCharge, ...]
    lowest_day: date
    lowest_balance: Money
    signals: tuple[Signal, ...]
    forecast: tuple[ForecastPoint, ...] = ()  # the vat after tonight's plan, day by day
    notes: tuple[ChargeNote, ...] = ()  # pauses, temporary amounts, totals
    buffer: BufferDays | None = None  # how many days the vat lasts on its own
    # issue 23: the vat split into money meant for the charges paid before the next
    # income (`set_aside`) and the free buffer the opbouwfase fills (`buffer_free`)
    set_aside: tuple[SetAside, ...] = ()
    next_income: NextIncome | None = None
    # the buffer target the rate aims for: for a household with an irregular income
    # the learned one (`leefgeld.recompute.buffer_target_in_force`); None: configured
    target_in_force: Money | None = None

    @property
    def set_aside_total(self) -> Money:
        """What the vat holds for the charges before the next income (at most the vat)."""
        wanted = sum((s.amount for s in self.set_aside), ZERO)
        return max(min(wanted, self.state.vat), ZERO)

    @property
    def buffer_free(self) -> Money:
        """The vat minus what is set aside: the buffer the opbouwfase fills."""
        return max(self.state.vat - self.set_aside_total, ZERO)

    @property
    def buffer_target(self) -> Money:
        """The buffer target the planner aims for today (learned for an irregular income)."""
        if self.target_in_force is not None:
            return self.target_in_force
        return self.household.buffer.target

    @property
    def in_buildup(self) -> bool:
        """The opbouwfase runs: part of the money goes to the buffer (a fixed rate has none)."""
        return not self.ended and not self.state.leefgeld.buffer_reached

    @property
    def ended(self) -> bool:
        """The participation ended before today (settling, or settled)."""
        end = self.household.end
        return end is not None and end < self.today

    @property
    def settled_until(self) -> date | None:
        """The last day the nightly run still settles an ended participation."""
        end = self.household.end
        return None if end is None else end + SETTLEMENT_DAYS

    @property
    def leefgeld_rate(self) -> Money:
        if self.ended:  # no leefgeld after the end (issue 23.3)
            return ZERO
        rate = self.plan.state.leefgeld.rate
        if rate is None and self.plan.next_release is not None:
            return self.plan.next_release.amount
        return rate or ZERO

    def learned_incomes(self) -> tuple[LearnedIncome, ...]:
        """What the planner expects from each `irregular` income, and what it rests on."""
        return learned_incomes(
            self.household, self.state.receipts, self.state.planned_since, self.today
        )

    def as_json(self) -> dict[str, Any]:
        """The `hhb status --json` document (amounts as strings)."""
        nxt = self.plan.next_release
        return {
            "household": self.household.code,
            "date": self.today.isoformat(),
            "vat": str(self.state.vat),
            "advance_used": str(self.state.advance_used),
            "advance_limit": str(self.household.buffer.advance_limit),
            "reserves": {rid: str(amount) for rid, amount in self.state.reserves},
            "buffer_free": str(self.buffer_free),
            "set_aside": str(self.set_aside_total),
            "set_aside_for": [
                {
                    "date": s.day.isoformat(),
                    "charge": s.charge_id,
                    "kind": s.kind,
                    "amount": str(s.amount),
                }
                for s in self.set_aside
            ],
            "next_income": None
            if self.next_income is None
            else {
                "date": self.next_income.day.isoformat(),
                "income": self.next_income.income_id,
                "kind": self.next_income.kind,
                "amount": str(self.next_income.amount),
            },
            "buffer_target": str(self.buffer_target),
            "buffer_phase": "ended" if self.ended else ("opbouw" if self.in_buildup else "op_peil"),
            "participation": {
                "start": self.household.start.isoformat(),
                "end": None if self.household.end is None else self.household.end.isoformat(),
                "ended": self.ended,
                "settled_until": None
                if self.settled_until is None
                else self.settled_until.isoformat(),
            },
            "leefgeld": {
                "rate": None if self.ended else str(self.leefgeld_rate),
                "cadence": cadence_of(self.household).value,
                "next": None
                if nxt is None
                else {"date": nxt.day.isoformat(), "amount": str(nxt.amount), "reason": nxt.reason},
            },
            "upcoming": [
                {
                    "date": u.day.isoformat(),
                    "due": u.due.isoformat(),
                    "kind": u.kind,
                    "payee": u.payee,
                    "amount": str(u.amount),
                    "covered": u.covered,
                }
                for u in self.upcoming
            ],
            "forecast_lowest": {
                "date": self.lowest_day.isoformat(),
                "balance": str(self.lowest_balance),
            },
            "signals": [
                {"kind": s.kind.value, "severity": s.severity.value, "message": s.message}
                for s in self.signals
            ],
            # issue 17.4: the expected amount of each `irregular` income and what it rests
            # on (months, receipts, method); empty for a household without one
            "learned_income": [learned.as_dict() for learned in self.learned_incomes()],
            "charges": {note.charge_id: note.as_json() for note in self.notes},
            # days the vat (own money, not the advance) covers charges and leefgeld
            "buffer_days": None if self.buffer is None else self.buffer.days,
        }


def status_report(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings | None = None,
) -> StatusReport:
    """What the household has, gets and owes as of `today` (tonight's plan included)."""
    settings = settings or PlanSettings()
    tonight = plan(household, state, today, settings)
    after = tonight.state
    forecast = tonight.outlook or project(household, after, today, settings)
    by_day = {p.day: p.balance for p in forecast.points}
    room = household.buffer.advance_limit - after.advance_used
    upcoming = []
    last = today + timedelta(days=UPCOMING_DAYS)
    for due in charge_dues(household, today, last, settings, after.charge_progress):
        if due.id in after.instructed:
            continue
        instruct_day = settings.calendar.add_business_days(due.execution, -settings.instruct_ahead)
        balance = by_day.get(max(instruct_day, today + timedelta(days=1)), after.vat)
        upcoming.append(
            UpcomingCharge(
                day=due.execution,
                due=due.due,
                kind=due.charge.kind.value,
                charge_id=due.charge.id,
                payee=due.charge.payee_name,
                amount=due.charge.amount,
                covered=balance + room >= ZERO,
            )
        )
    lowest = forecast.lowest
    ended = household.end is not None and household.end < today
    income = None if ended else next_income(household, after, today)
    return StatusReport(
        household=household,
        today=today,
        state=after,
        plan=tonight,
        upcoming=() if ended else tuple(upcoming),
        lowest_day=lowest.day,
        lowest_balance=lowest.balance,
        signals=tonight.signals,
        forecast=forecast.points,
        notes=charge_notes(household, after, today),
        buffer=buffer_days(household, after, today, settings),
        set_aside=() if ended else set_aside(household, after, upcoming, income),
        next_income=income,
        target_in_force=buffer_target_in_force(household, after, today, settings),
    )


def next_income(household: Household, state: HouseholdState, today: date) -> NextIncome | None:
    """The first income expected after today within UPCOMING_DAYS (the forecast's view)."""
    since = planning_since(household, state.planned_since, today)
    last = today + timedelta(days=UPCOMING_DAYS)
    for day, income, amount in expected_incomes(
        household, today + timedelta(days=1), last, state.receipts, since
    ):
        if amount.is_positive:
            return NextIncome(day, income.id, income.kind.value, amount)
    return None


def set_aside(
    household: Household,
    state: HouseholdState,
    upcoming: list[UpcomingCharge],
    income: NextIncome | None,
) -> tuple[SetAside, ...]:
    """The charges paid before the next income is booked (all of the coming
    UPCOMING_DAYS without one), each for what the vat pays after its reserve."""
    booked = None if income is None else income.day + timedelta(days=BOOKING_DELAY_DAYS)
    reserves = dict(state.reserves)
    reserve_of = {c.id: c.reserve for c in household.charges}
    out = []
    for charge in upcoming:
        if booked is not None and charge.day >= booked:
            continue
        amount = charge.amount
        reserve = reserve_of.get(charge.charge_id)
        if reserve:
            from_reserve = min(reserves.get(reserve, ZERO), amount)
            reserves[reserve] = reserves.get(reserve, ZERO) - from_reserve
            amount = amount - from_reserve
        if amount.is_positive:
            out.append(SetAside(charge.day, charge.charge_id, charge.kind, amount, charge.payee))
    return tuple(out)
