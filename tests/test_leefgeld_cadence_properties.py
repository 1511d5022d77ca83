"""Issue 17 point 1 as properties, over random households x cadence x policy x changes
of cadence, weekday and policy on random days (hypothesis):

- no leefgeld day is paid twice or skipped;
- announced means paid: an announced step is the rate of the first release from its
  announced date;
- the vat never hoards: once the buffer target is met, what stays in the vat at its
  lowest point of a month is at most the target (with its band) and one month's
  surplus.

The household and its changes come from tests/planner_scenarios.py; the checks of
the first two are the ones the model-based test runs (tests/test_planner_model.py).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huishoudboekje.domain.household import (
    BufferPolicy,
    Cadence,
    ChargeKind,
    IncomeKind,
    LeefgeldPolicy,
    LeefgeldPolicyKind,
    Reserve,
)
from huishoudboekje.domain.leefgeld import SURPLUS_BAND, budget
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.planner.step import Decision, DecisionKind, DecisionStatus
from tests.factories import charge, household, income
from tests.planner_scenarios import (
    FIRST,
    Scenario,
    build_household,
    check_announced_is_paid,
    check_leefgeld_days_paid_once,
    leefgeld_changes,
    on_time,
)

PROPERTY_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def cadence_scenarios(draw: st.DrawFn, days: int = 200) -> Scenario:
    """A random household on a drawn cadence and policy, its incomes on time, and 0-3
    changes of cadence, weekday or policy on random days."""
    rng = draw(st.randoms(use_true_random=False))
    base = build_household(rng)
    cadence = draw(st.sampled_from(list(Cadence)))
    policy = draw(st.sampled_from(list(LeefgeldPolicyKind)))
    amount = None
    if policy is LeefgeldPolicyKind.FIXED:
        amount = Money(
            draw(st.integers(40, 160) if cadence is Cadence.WEEKLY else st.integers(180, 650))
        )
    base = replace(
        base, leefgeld=replace(base.leefgeld, cadence=cadence, policy=policy, amount=amount)
    )
    last = FIRST + timedelta(days=days - 1)
    changes = leefgeld_changes(rng, base, last)
    start_vat = Money.cents(draw(st.sampled_from((0, 50_000, 300_000))))
    return Scenario(0, base, changes, on_time(base, last), (), start_vat, FIRST, last)


@PROPERTY_SETTINGS
@given(cadence_scenarios())
def test_each_leefgeld_day_is_paid_once_at_the_announced_rate(sc: Scenario) -> None:
    sim = sc.run()
    check_leefgeld_days_paid_once(sc, sim)
    check_announced_is_paid(sc, sim)


def test_the_found_cadence_change_pays_every_day() -> None:
    """The example CI's derandomized profile found, written out: a household starting
    on Friday 2 January with weekly cadence (Monday), monthly from the 9th. The
    weekly release of 5 January paid up to the 11th; the January monthly release
    (nominal the 1st, before the start) was skipped, so 12-31 January was paid by
    no release and no decision. Now the rest of January is paid on the 9th."""
    start = date(2026, 1, 2)
    base = household(
        "HH-S",
        members=1,
        start=start,
        leefgeld=LeefgeldPolicy(cadence=Cadence.WEEKLY, weekday="monday"),
        buffer=BufferPolicy(target=Money("600.00"), advance_limit=ZERO),
        incomes=(income("in0", "1100.00", date(2025, 1, 2), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),),
        charges=(charge("huur", "450.00", date(2025, 1, 1), kind=ChargeKind.HUUR),),
        reserves=(Reserve("reserve", Money("5.00"), Money("300.00")),),
    )
    monthly = replace(base, leefgeld=replace(base.leefgeld, cadence=Cadence.MONTHLY))
    changes = ((date(2026, 1, 9), monthly),)
    last = date(2026, 3, 31)
    sc = Scenario(0, base, changes, on_time(base, last), (), ZERO, FIRST, last)
    sim = sc.run()
    check_leefgeld_days_paid_once(sc, sim)
    ninth = next(night for night in sim.days if night.day == date(2026, 1, 9))
    (rest,) = [d for d in ninth.plan.decisions if d.kind is DecisionKind.LEEFGELD]
    assert rest.amount.is_positive
    assert ninth.plan.state.leefgeld.paid_through == date(2026, 1, 31)


@st.composite
def steady_households(draw: st.DrawFn) -> Scenario:
    """A household whose leefgeld follows its budget (smoothed or monthly_first), on
    either cadence, from an empty vat for a year; a change of cadence or weekday in the
    first eight months."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    base = build_household(rng)
    policy = draw(st.sampled_from((LeefgeldPolicyKind.SMOOTHED, LeefgeldPolicyKind.MONTHLY_FIRST)))
    cadence = draw(st.sampled_from(list(Cadence)))
    base = replace(
        base, leefgeld=replace(base.leefgeld, cadence=cadence, policy=policy, amount=None)
    )
    last = FIRST + timedelta(days=364)
    changes = tuple(
        (day, rules)
        for day, rules in leefgeld_changes(rng, base, FIRST + timedelta(days=240))
        if rules.leefgeld.policy is not LeefgeldPolicyKind.FIXED
    )
    return Scenario(0, base, changes, on_time(base, last), (), ZERO, FIRST, last)


@settings(PROPERTY_SETTINGS, max_examples=10)
@given(steady_households())
def test_the_vat_does_not_hoard(sc: Scenario) -> None:
    check_no_hoarding(sc)


def test_a_vat_saving_for_a_held_back_rent_is_not_hoarding() -> None:
    """The example the property found: € 105,18 zorgtoeslag against € 740,89 huur. The
    rent is held back and keeps its claim, so the vat keeps what comes in for it
    (€ 119,56 against a target of € 82,01); that is not hoarding."""
    base = household(
        "HH-S",
        members=5,
        start=date(2026, 1, 10),
        leefgeld=LeefgeldPolicy(cadence=Cadence.WEEKLY, weekday="saturday"),
        buffer=BufferPolicy(target=Money("82.01"), advance_limit=Money("232.08")),
        incomes=(
            income(
                "in0",
                "105.18",
                date(2025, 1, 1),
                "FREQ=MONTHLY;BYMONTHDAY=20",
                IncomeKind.ZORGTOESLAG,
            ),
        ),
        charges=(
            charge("huur", "740.89", date(2025, 1, 1), kind=ChargeKind.HUUR),
            charge("overig", "26.94", date(2025, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=16"),
        ),
    )
    last = FIRST + timedelta(days=364)
    sc = Scenario(0, base, (), on_time(base, last), (), ZERO, FIRST, last)
    sim = sc.run()
    assert any(_holds_back(day.plan.decisions) for day in sim.days[-62:])
    check_no_hoarding(sc)


YEAR_AFTER = timedelta(days=365)


def check_no_hoarding(sc: Scenario) -> None:
    """Once the buffer target is met, what stays in the vat at its lowest point, from
    the last two months of the scenario through the year after it, is at most the
    target (with its band) and one month's surplus.

    The year after is simulated with the incomes on their days under the last rules:
    a regular household's buffer decision looks a year ahead (`leefgeld.rate.
    buffer_lowest`), so money the vat keeps in December for a low point in February
    is not hoarding; money that stays all that year is. Found by hypothesis (the
    example below): a household paid monthly whose bijstand of the 28th comes after
    the release is made in February 2027 (the 28th a Sunday) keeps about € 1.580
    more through November and December 2026 than at that low point.
    """
    rules = sc.rules_on(sc.last)
    last = sc.last + YEAR_AFTER
    later = tuple(i for i in on_time(rules, last) if i.day > sc.last)
    sim = replace(sc, incomes=(*sc.incomes, *later), last=last).run()
    b = budget(rules, sc.last)
    target = rules.buffer.target
    allowed = Money.round(target.amount * SURPLUS_BAND) + max(b.monthly_surplus, ZERO)
    # A night on which a charge is held back is left out: under strict priority the
    # vat then keeps what comes in for that charge (its claim, GUIDE §4.2), which is
    # not hoarding. Found by the property: a household with € 105 zorgtoeslag against
    # € 741 huur saves towards its held-back rent, € 119 in the vat against a target
    # of € 82 (the budget does not close).
    since = sc.last - timedelta(days=61)
    free = [d.vat for d in sim.days if d.day >= since and not _holds_back(d.plan.decisions)]
    if not free:
        return  # a charge waits every night: the vat is reserved for it
    trough = min(free)
    assert trough <= allowed, (trough, allowed, target, b.monthly_surplus)


def test_money_kept_for_a_low_point_later_in_the_year_is_not_hoarding() -> None:
    """The example hypothesis found (see `check_no_hoarding`), written out. It failed
    the property measured over the last two months only, on the engine before and
    after the rate forecast change of issue 17 (€ 2.507,10 and € 2.452,10 against
    € 2.309,42 allowed); the vat's low of the year after is € 875,40 (target
    € 496,05)."""
    start = date(2025, 1, 1)
    monthly = "FREQ=MONTHLY;BYMONTHDAY={}"
    base = household(
        "HH-S",
        members=4,
        start=FIRST,
        leefgeld=LeefgeldPolicy(cadence=Cadence.MONTHLY),
        buffer=BufferPolicy(target=Money("496.05"), advance_limit=Money("447.24")),
        incomes=(
            income("in0", "1217.21", start, monthly.format(28), IncomeKind.BIJSTAND),
            income("in1", "347.08", start, "FREQ=WEEKLY;BYDAY=WE", IncomeKind.WW),
        ),
        charges=(
            charge("huur", "878.04", start, monthly.format(1), ChargeKind.HUUR),
            charge("zorgpremie", "134.33", start, monthly.format(22), ChargeKind.ZORGPREMIE),
            charge("water", "23.63", start, monthly.format(24), ChargeKind.WATER),
        ),
    )
    first = replace(base.leefgeld, policy=LeefgeldPolicyKind.MONTHLY_FIRST)
    changes = ((date(2026, 5, 10), replace(base, leefgeld=first)),)
    last = FIRST + timedelta(days=364)
    sc = Scenario(0, base, changes, on_time(base, last), (), ZERO, FIRST, last)
    sim = sc.run()
    late_in_year = min(d.vat for d in sim.days if d.day >= last - timedelta(days=61))
    assert late_in_year == Money("2452.10")  # the two-month trough the property saw
    check_no_hoarding(sc)


def _holds_back(decisions: tuple[Decision, ...]) -> bool:
    """Whether a fixed charge is held back (waits for money) that night."""
    return any(
        d.kind is DecisionKind.CHARGE and d.status is DecisionStatus.HELD_BACK for d in decisions
    )
