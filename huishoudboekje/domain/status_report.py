"""The status of one household on one day: what `hhb status` and the web show.

Pure: built from the household's rules, its state and a date, by asking the
planner what it would do (without keeping anything) and the forecast what
comes next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from huishoudboekje.domain.forecast import ForecastPoint, project
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.learned_income import learned_incomes
from huishoudboekje.domain.leefgeld import cadence_of
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings, charge_dues
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

    @property
    def leefgeld_rate(self) -> Money:
        rate = self.plan.state.leefgeld.rate
        if rate is None and self.plan.next_release is not None:
            return self.plan.next_release.amount
        return rate or ZERO

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
            "leefgeld": {
                "rate": str(self.leefgeld_rate),
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
            "learned_income": [
                learned.as_dict()
                for learned in learned_incomes(
                    self.household, self.state.receipts, self.state.planned_since, self.today
                )
            ],
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
    for due in charge_dues(household, today, today + timedelta(days=UPCOMING_DAYS), settings):
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
    return StatusReport(
        household=household,
        today=today,
        state=after,
        plan=tonight,
        upcoming=tuple(upcoming),
        lowest_day=lowest.day,
        lowest_balance=lowest.balance,
        signals=tonight.signals,
        forecast=forecast.points,
    )
