"""Generated planner scenarios, and GUIDE §4's guarantees checked on every simulated day.

A scenario is one household from a seed (`random.Random`), deterministic, in three
small parts that tests and benchmarks can share or swap:

1. `build_household`: the rules (incomes, charges, reserve, buffer, leefgeld policy,
   cadence and weekday, a participation that starts mid-month and may end);
2. `what_happens`: what really happens to it: incomes 0-10 days late or a day early,
   an income that stops without anyone telling us, returned payments, and rule
   changes on any day (cadence, weekday, policy, a rent increase, an end date);
3. `check_every_day`: the guarantees of GUIDE §4 and the leefgeld properties of
   issue 17 (each leefgeld day paid once, announced means paid) on every day.

`tests/realistic_gemeente.py` (matching) builds households for many at once; it
can replace part 1 without touching parts 2 and 3.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from huishoudboekje.domain import ledger
from huishoudboekje.domain.business_calendar import DEFAULT_CALENDAR
from huishoudboekje.domain.household import (
    WEEKDAYS,
    BufferPolicy,
    Cadence,
    ChargeKind,
    FixedCharge,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
    LeefgeldPolicyKind,
    Reserve,
)
from huishoudboekje.domain.ids import charge_instruction_id, instruction_id, release_id
from huishoudboekje.domain.ledger import AccountKind, trial_balance_is_zero
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings, execution_date, is_monthly
from huishoudboekje.domain.planner import plan
from huishoudboekje.domain.planner.phases.leefgeld import REST_OF_PERIOD, in_cadence
from huishoudboekje.domain.planner.step import DecisionKind, DecisionStatus
from huishoudboekje.domain.signals import SignalKind
from huishoudboekje.domain.simulation import ActualIncome, Simulation, simulate
from tests.factories import charge, household, income

FIRST = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One household's rules, their later versions, and what really happened."""

    seed: int
    household: Household
    changes: tuple[tuple[date, Household], ...]
    incomes: tuple[ActualIncome, ...]
    returns: tuple[tuple[date, str], ...]
    start_vat: Money
    first: date
    last: date

    def rules_on(self, day: date) -> Household:
        """The household's rules in force on `day`."""
        rules = self.household
        for since, version in self.changes:
            if since <= day:
                rules = version
        return rules

    def run(self) -> Simulation:
        return simulate(
            self.household,
            self.incomes,
            self.first,
            self.last,
            start_vat=self.start_vat,
            changes=self.changes,
            returns=self.returns,
        )


# -- 1. the household's rules ---------------------------------------------------------

INCOMES = (  # kind, lowest and highest amount in euros, rule
    (IncomeKind.LOON, 1100, 2600, "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),
    (IncomeKind.BIJSTAND, 900, 1500, "FREQ=MONTHLY;BYMONTHDAY={d}"),
    (IncomeKind.ZORGTOESLAG, 100, 160, "FREQ=MONTHLY;BYMONTHDAY=20"),
    (IncomeKind.ALIMENTATIE, 150, 450, "FREQ=MONTHLY;BYMONTHDAY={d}"),
    (IncomeKind.WW, 200, 450, "FREQ=WEEKLY;BYDAY=WE"),
)
CHARGES = (  # kind, lowest and highest amount in euros
    (ChargeKind.ENERGIE, 60, 180),
    (ChargeKind.WATER, 15, 35),
    (ChargeKind.ZORGPREMIE, 110, 170),
    (ChargeKind.OVERIG, 10, 90),
)


def _euros(rng: random.Random, low: int, high: int) -> Money:
    return Money.cents(rng.randint(low * 100, high * 100))


def build_household(rng: random.Random, code: str = "HH-S") -> Household:
    """A household: a rent and 0-3 other charges, 1-3 incomes, maybe a reserve, and a
    random leefgeld policy, cadence and weekday; it may start mid-month."""
    since = date(2025, 1, 1)
    incomes: list[IncomeStream] = []
    for index, (kind, low, high, rule) in enumerate(rng.sample(INCOMES, rng.randint(1, 3))):
        stream = income(f"in{index}", "0.00", since, rule.format(d=rng.randint(1, 28)), kind)
        incomes.append(replace(stream, amount=_euros(rng, low, high)))
    charges: list[FixedCharge] = [
        replace(charge("huur", "0.00", since, kind=ChargeKind.HUUR), amount=_euros(rng, 450, 950))
    ]
    for kind, low, high in rng.sample(CHARGES, rng.randint(0, 3)):
        rule = f"FREQ=MONTHLY;BYMONTHDAY={rng.randint(1, 28)}"
        charges.append(
            replace(charge(kind.value, "0.00", since, rule, kind), amount=_euros(rng, low, high))
        )
    reserves = ()
    if rng.random() < 0.4:
        reserves = (Reserve("reserve", _euros(rng, 5, 40), Money("300.00")),)
    policy = rng.choice(list(LeefgeldPolicyKind))
    cadence = rng.choice(list(Cadence))
    leefgeld = LeefgeldPolicy(
        policy=policy,
        cadence=cadence,
        weekday=rng.choice(WEEKDAYS),
        amount=_fixed_amount(rng, cadence) if policy is LeefgeldPolicyKind.FIXED else None,
    )
    return household(
        code,
        members=rng.randint(1, 6),
        start=FIRST + timedelta(days=rng.choice((0, 0, 0, rng.randint(1, 20)))),
        leefgeld=leefgeld,
        buffer=BufferPolicy(target=_euros(rng, 0, 1500), advance_limit=_euros(rng, 0, 800)),
        incomes=tuple(incomes),
        charges=tuple(charges),
        reserves=reserves,
    )


def _fixed_amount(rng: random.Random, cadence: Cadence) -> Money:
    return _euros(rng, 40, 160) if cadence is Cadence.WEEKLY else _euros(rng, 180, 650)


# -- 2. what really happens -----------------------------------------------------------


def what_happens(rng: random.Random, base: Household, last: date) -> Scenario:
    """Incomes late, early or stopped; returned payments; rule changes on any day."""
    changes = _changes(rng, base, last)
    incomes: list[ActualIncome] = []
    stops = {s.id: _day_in(rng, base.start, last) for s in base.incomes if rng.random() < 0.2}
    for stream in base.incomes:
        for day in stream.schedule.between(base.start - timedelta(days=10), last):
            if day >= stops.get(stream.id, date.max):
                continue  # stopped without anyone telling us (the rules are unchanged)
            roll = rng.random()
            late = rng.randint(1, 10) if roll < 0.25 else (-1 if roll < 0.3 else 0)
            incomes.append(ActualIncome(day + timedelta(days=late), stream.id, stream.amount))
    returns = []
    for _ in range(rng.randint(0, 2)):
        rent = base.charges[0]
        due = rng.choice(rent.schedule.between(base.start, last)) if rng.random() < 0.7 else None
        if due is not None:
            returns.append(
                (due + timedelta(days=3), charge_instruction_id(base.code, rent.id, due))
            )
        else:  # a leefgeld payment the household's bank sends back (a closed account)
            nominal = _day_in(rng, base.start, last)
            returns.append((nominal + timedelta(days=2), release_id(base.code, nominal)))
    start_vat = Money.cents(rng.choice((0, rng.randint(0, 250_000))))
    return Scenario(0, base, changes, tuple(incomes), tuple(returns), start_vat, FIRST, last)


def on_time(base: Household, last: date) -> tuple[ActualIncome, ...]:
    """Every income on its day, with its amount."""
    return tuple(
        ActualIncome(day, stream.id, stream.amount)
        for stream in base.incomes
        for day in stream.schedule.between(base.start - timedelta(days=10), last)
    )


def leefgeld_changes(
    rng: random.Random, base: Household, last: date
) -> tuple[tuple[date, Household], ...]:
    """0-3 changes of cadence, weekday or policy on random days up to `last`."""
    return _changes(rng, base, last, LEEFGELD_CHANGES)


def _day_in(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


CHANGES = ("cadence", "weekday", "policy", "rent", "end")
LEEFGELD_CHANGES = ("cadence", "weekday", "policy")


def _changes(
    rng: random.Random, base: Household, last: date, kinds: tuple[str, ...] = CHANGES
) -> tuple[tuple[date, Household], ...]:
    """0-3 rule changes of `kinds` on random days, each on top of the one before."""
    changes: list[tuple[date, Household]] = []
    rules = base
    days = sorted(
        _day_in(rng, base.start + timedelta(days=7), last) for _ in range(rng.randint(0, 3))
    )
    for day in days:
        what = rng.choice(kinds)
        lg = rules.leefgeld
        if what == "cadence":
            cadence = Cadence.MONTHLY if lg.cadence is Cadence.WEEKLY else Cadence.WEEKLY
            amount = _fixed_amount(rng, cadence) if lg.amount is not None else None
            rules = replace(rules, leefgeld=replace(lg, cadence=cadence, amount=amount))
        elif what == "weekday":
            rules = replace(rules, leefgeld=replace(lg, weekday=rng.choice(WEEKDAYS)))
        elif what == "policy":
            policy = rng.choice(list(LeefgeldPolicyKind))
            fixed = policy is LeefgeldPolicyKind.FIXED
            amount = _fixed_amount(rng, lg.cadence) if fixed else None
            rules = replace(rules, leefgeld=replace(lg, policy=policy, amount=amount))
        elif what == "rent":
            rent = rules.charges[0]
            higher = replace(rent, amount=Money.round(rent.amount.amount * 105 / 100))
            rules = replace(rules, charges=(higher, *rules.charges[1:]))
        elif rules.end is None:
            rules = replace(rules, end=day + timedelta(days=rng.randint(3, 40)))
        changes.append((day, rules))
    return tuple(changes)


def scenario(seed: int, days: int = 150) -> Scenario:
    """The scenario of `seed`: the same seed, the same household and the same events."""
    rng = random.Random(seed)
    base = build_household(rng)
    if rng.random() < 0.15:
        base = replace(base, end=FIRST + timedelta(days=rng.randint(40, days)))
    return replace(what_happens(rng, base, FIRST + timedelta(days=days - 1)), seed=seed)


# -- 3. the guarantees, on every simulated day ------------------------------------------


def check_every_day(sc: Scenario, sim: Simulation, *, replan_every: int = 7) -> None:
    """GUIDE §4 and issue 17 point 1, checked on each day of `sim`."""
    check_conservation(sc, sim)
    check_never_beyond_vat_and_advance(sc, sim)
    check_charges_on_time(sc, sim)
    check_leefgeld_days_paid_once(sc, sim)
    check_announced_is_paid(sc, sim)
    check_explained(sim)
    for day in sim.days[::replan_every]:  # a night run again changes nothing
        again = plan(sc.rules_on(day.day), day.plan.state, day.day)
        assert again.instructions == () and again.entries == (), (sc.seed, day.day)
        assert again.state == day.plan.state, (sc.seed, day.day)


def _seen_on(entry: ledger.JournalEntry) -> date:
    """The night the planner sees an entry: money booked by the bank on D, on D + 1."""
    return entry.day + timedelta(days=1) if entry.kind in {"income", "returned"} else entry.day


def check_conservation(sc: Scenario, sim: Simulation) -> None:
    """Every entry balances; each night the ledger's vat and advance are the planner's."""
    vat, advance = ledger.vat(sc.household.code), ledger.advance(sc.household.code)
    moves: dict[date, dict[ledger.Account, Money]] = {}
    for entry in sim.entries:
        assert trial_balance_is_zero((entry,)), (sc.seed, entry.id)
        day = moves.setdefault(_seen_on(entry), {})
        for posting in entry.postings:
            day[posting.account] = day.get(posting.account, ZERO) + posting.amount
    balances: dict[ledger.Account, Money] = {}
    for night in sim.days:
        for account, amount in moves.get(night.day, {}).items():
            balances[account] = balances.get(account, ZERO) + amount
        natural = {account: ledger.natural(account, raw) for account, raw in balances.items()}
        assert natural.get(vat, ZERO) == night.vat, (sc.seed, night.day)
        assert natural.get(advance, ZERO) == night.advance_used, (sc.seed, night.day)
        # the pooled account holds every vat, reserve and payment on its way, less
        # what the gemeente advanced
        owed = sum(
            (
                amount
                for account, amount in natural.items()
                if account.kind in {AccountKind.VAT, AccountKind.RESERVE, AccountKind.IN_FLIGHT}
            ),
            ZERO,
        )
        lent = sum(
            (a for account, a in natural.items() if account.kind is AccountKind.ADVANCE), ZERO
        )
        assert natural.get(ledger.BANK, ZERO) + lent == owed, (sc.seed, night.day)


def check_never_beyond_vat_and_advance(sc: Scenario, sim: Simulation) -> None:
    """Within each night the vat never goes below zero, the advance stays within its
    limit, and no advance is drawn after leefgeld was released that night."""
    vat_account, advance_account = ledger.vat(sc.household.code), ledger.advance(sc.household.code)
    for night in sim.days:
        limit = sc.rules_on(night.day).buffer.advance_limit
        vat = night.vat + sum(
            (p.amount for e in night.plan.entries for p in e.postings if p.account == vat_account),
            ZERO,
        )
        advance = night.advance_used - sum(
            (
                p.amount
                for e in night.plan.entries
                for p in e.postings
                if p.account == advance_account
            ),
            ZERO,
        )
        leefgeld_seen = False
        for entry in night.plan.entries:
            for posting in entry.postings:
                if posting.account == vat_account:
                    vat = vat - posting.amount
                if posting.account == advance_account:
                    advance = advance + posting.amount
            leefgeld_seen = leefgeld_seen or entry.kind == "instruct_leefgeld"
            assert not (entry.kind == "advance" and leefgeld_seen), (sc.seed, night.day)
            assert not vat.is_negative, (sc.seed, night.day, entry.id)
            assert advance <= max(limit, night.advance_used), (sc.seed, night.day, entry.id)
        assert vat == night.vat, (sc.seed, night.day)


def _day_of(end_to_end_id: str) -> date:
    ymd = end_to_end_id[-8:]
    return date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))


def check_charges_on_time(sc: Scenario, sim: Simulation) -> None:
    """A charge executes on or before its due day unless it was held back for lack of
    money (vat plus the advance's room did not cover it, or a charge before it waits)."""
    held: dict[str, date] = {}
    for night in sim.days:
        state = night.plan.state
        room = sc.rules_on(night.day).buffer.advance_limit - state.advance_used
        backs = [d for d in night.plan.decisions if d.status == DecisionStatus.HELD_BACK]
        for decision in backs:
            waiting = [
                s
                for s, since in held.items()
                if s != decision.subject and since >= night.day - timedelta(days=35)
            ]
            if len(backs) == 1 and not waiting:
                assert state.vat + room < decision.amount, (sc.seed, night.day, decision)
            held[decision.subject] = night.day
        for instruction in night.plan.instructions:
            if instruction.kind != "charge":
                continue
            due = _day_of(instruction.end_to_end_id)
            on_time = execution_date(due, 0, PlanSettings())
            if DEFAULT_CALENDAR.add_business_days(on_time, -1) < sc.household.start:
                continue  # had to be instructed before the household took part
            subject = instruction.end_to_end_id[len(sc.household.code) + 1 : -9]
            late = instruction.execution_date > due
            assert not late or subject in held, (sc.seed, night.day, instruction.end_to_end_id)


def _period(rules: Household, nominal: date) -> tuple[date, date]:
    """The days a release of `nominal` pays for under `rules`: its week or its month."""
    if is_monthly(rules):
        following = date(nominal.year + (nominal.month == 12), nominal.month % 12 + 1, 1)
        return nominal, following - timedelta(days=1)
    return nominal, nominal + timedelta(days=6)


def leefgeld_releases(
    sc: Scenario, sim: Simulation
) -> list[tuple[date, date, int, int, Money, bool]]:
    """Each handled release, in order: (night, nominal, unpaid days, period days, paid,
    whole), by the test's own reading: a release pays the days of its period that the
    releases before it did not pay for."""
    result = []
    covered_until: date | None = None
    seen: set[date] = set()
    instructed: frozenset[str] = frozenset()
    for night in sim.days:
        rules = sc.rules_on(night.day)
        new = sorted(set(night.plan.state.released or ()) - seen)
        seen.update(new)
        # the rest of a period whose own id a release under other rules used
        rests = [
            _day_of(key)
            for key in night.plan.state.instructed - instructed
            if key.startswith(f"{sc.household.code}-{REST_OF_PERIOD}-")
        ]
        instructed = night.plan.state.instructed
        new = sorted({*new, *rests})
        for nominal in new:
            first, last = _period(rules, nominal)
            if covered_until is not None:
                assert nominal <= covered_until + timedelta(days=1), (
                    sc.seed,
                    night.day,
                    nominal,
                    f"days skipped after {covered_until}",
                )
                first = max(first, covered_until + timedelta(days=1))
            days = max((last - first).days + 1, 0)
            ids = {
                release_id(sc.household.code, nominal),
                instruction_id(sc.household.code, REST_OF_PERIOD, nominal),
            }
            paid = sum((i.amount for i in night.plan.instructions if i.end_to_end_id in ids), ZERO)
            whole = any(
                d.kind is DecisionKind.LEEFGELD
                and d.subject == "leefgeld"
                and d.status == DecisionStatus.PAID
                for d in night.plan.decisions
            )
            result.append(
                (night.day, nominal, days, (last - nominal).days + 1, paid, whole and len(new) == 1)
            )
            covered_until = last if covered_until is None else max(covered_until, last)
    return result


def _rate_for(sc: Scenario, by_night: dict[date, Any], day: date, nominal: date) -> Money | None:
    """The rate a release of `nominal` paid on night `day` was paid at.

    When a later release of the same night took a step (a rules change paid from
    the next release on), the end-of-night state no longer holds the rate the
    earlier release used: that is the night before's, in tonight's cadence."""
    lg = by_night[day].plan.state.leefgeld
    before = by_night.get(day - timedelta(days=1))
    if lg.rate_since is not None and nominal < lg.rate_since and before is not None:
        return in_cadence(before.plan.state, sc.rules_on(day)).leefgeld.rate_on(nominal)
    return lg.rate_on(nominal)


def check_leefgeld_days_paid_once(sc: Scenario, sim: Simulation) -> None:
    """No leefgeld day is paid twice or skipped: a release pays the rate for the days
    of its week or month no release before it paid for (nothing when there are none)."""
    by_night = {night.day: night for night in sim.days}
    for day, nominal, days, of, paid, whole in leefgeld_releases(sc, sim):
        if days == 0:
            assert paid == ZERO, (sc.seed, day, nominal, paid)
            continue
        rate = _rate_for(sc, by_night, day, nominal)
        assert rate is not None
        share = rate if days >= of else Money.round(rate.amount * days / of)
        if whole:
            assert paid == share, (sc.seed, day, nominal, days, of, paid, share)
        else:
            assert paid <= share, (sc.seed, day, nominal, days, of, paid, share)


def check_announced_is_paid(sc: Scenario, sim: Simulation) -> None:
    """An announced step is the rate of the first release from its announced date on
    (unless the cadence changed in between, which converts the rate)."""
    releases = leefgeld_releases(sc, sim)
    by_night = {night.day: night for night in sim.days}
    for night in sim.days:
        for signal in night.plan.signals:
            if signal.kind is not SignalKind.LEEFGELD_STEP:
                continue
            data = dict(signal.data)
            start, rate = date.fromisoformat(data["from"]), Money(data["rate"])
            later = [r for r in releases if r[1] >= start and r[0] >= night.day and r[2] > 0]
            if not later:
                continue  # the run (or the participation) ended before it
            day, nominal, *_ = later[0]
            kinds = {
                (is_monthly(rules), rules.leefgeld.policy)
                for since, rules in ((night.day, sc.rules_on(night.day)), *sc.changes)
                if night.day <= since <= day
            }
            if len(kinds) > 1:
                continue  # a new cadence or policy in between: the rate was converted
            used = by_night[day].plan.state.leefgeld.rate_on(nominal)
            assert used == rate, (sc.seed, night.day, data, day, nominal, used)


def check_explained(sim: Simulation) -> None:
    """Every decision carries its reason in plain Dutch."""
    for night in sim.days:
        for decision in night.plan.decisions:
            assert decision.reason.strip(), (night.day, decision)
