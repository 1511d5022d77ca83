"""The households of the leefgeld stability benchmark and the incomes they really get.

Built with the test factories (`tests/factories.py`), so the benchmark and the
tests describe households the same way. Every random draw comes from one
`random.Random(seed)` in a fixed order: the same seed gives the same cases.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from huishoudboekje.domain import household as hh
from huishoudboekje.domain.household import ChargeKind, Household, IncomeKind, IncomeStream
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import ActualIncome
from tests import factories

START = date(2026, 1, 1)


def _income(id: str, kind: IncomeKind, amount: str, start: date, rrule: str) -> IncomeStream:
    return factories.income(id, amount, start, rrule, kind=kind, margin="0.10")


def irregular(stream: IncomeStream) -> IncomeStream:
    """`stream` marked `irregular: true` (issue 17.4); unchanged on an engine without
    the field, so the same cases run on main for the before figures."""
    names = {f.name for f in dataclasses.fields(IncomeStream)}
    return replace(stream, irregular=True) if "irregular" in names else stream  # type: ignore[call-arg]


def _charge(id: str, kind: ChargeKind, amount: str, day: int, rrule: str = "") -> hh.FixedCharge:
    return factories.charge(id, amount, START, rrule or f"FREQ=MONTHLY;BYMONTHDAY={day}", kind)


BASIC_CHARGES = (
    _charge("huur", ChargeKind.HUUR, "690.00", 1),
    _charge("energie", ChargeKind.ENERGIE, "135.00", 5),
    _charge("water", ChargeKind.WATER, "22.50", 15),
    _charge("zorgpremie", ChargeKind.ZORGPREMIE, "148.00", 1),
)


def _household(code: str, incomes: tuple[IncomeStream, ...], members: int = 2) -> Household:
    return factories.household(
        code,
        members=members,
        start=START,
        leefgeld=hh.LeefgeldPolicy(weekday="friday"),
        buffer=hh.BufferPolicy(target=Money("1200.00"), advance_limit=Money("1200.00")),
        incomes=incomes,
        charges=BASIC_CHARGES,
        reserves=(hh.Reserve("energie-jaarafrekening", Money("20.00"), Money("240.00")),),
    )


def _cents(rng: random.Random, amount: Money, spread_percent: int) -> Money:
    """`amount` varied by up to +/- spread_percent, in whole cents (no floats)."""
    cents = amount.to_cents()
    delta = cents * rng.randint(-spread_percent * 10, spread_percent * 10) // 1000
    return Money.cents(cents + delta)


def scheduled(
    household: Household, last: date, rng: random.Random, jitter_days: int, spread_percent: int
) -> list[ActualIncome]:
    """Every expected income, arriving up to `jitter_days` late, amount varied."""
    result = []
    for stream in household.incomes:
        for day in stream.schedule.between(household.start, last):
            late = timedelta(days=rng.randint(0, jitter_days))
            result.append(
                ActualIncome(day + late, stream.id, _cents(rng, stream.amount, spread_percent))
            )
    return result


def zzp_incomes(last: date, rng: random.Random) -> list[ActualIncome]:
    """Self-employed: 0 to 3 invoices paid a month at random days, very uneven amounts."""
    result = []
    month = START
    while month <= last:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            day = month + timedelta(days=rng.randint(0, 27))
            result.append(ActualIncome(day, "omzet", Money.cents(rng.randint(40_000, 260_000))))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return result


@dataclass
class Case:
    """One household, the incomes it really gets, and the pattern they follow (in Dutch).

    `changes`: the household's configuration from a later day on (a cadence change);
    `period`: "week" or "month", the period leefgeld is measured in (a household
    paid monthly is measured per month under both policies).
    """

    household: Household
    incomes: list[ActualIncome]
    pattern: str
    changes: tuple[tuple[date, Household], ...] = field(default=())
    period: str = "week"
    regular: bool = True  # incomes on a known rhythm (the goal of <= 4 rate changes a year)

    def household_on(self, day: date) -> Household:
        """The configuration in force on `day`."""
        current = self.household
        for since, changed in self.changes:
            if day >= since:
                current = changed
        return current


MONTHLY_20 = "FREQ=MONTHLY;BYMONTHDAY=20"
STREAMS = {
    "loon4": ("loon", IncomeKind.LOON, "1850.00", 8, "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),
    "zorg": ("zorgtoeslag", IncomeKind.ZORGTOESLAG, "123.00", 20, MONTHLY_20),
    "huurt": ("huurtoeslag", IncomeKind.HUURTOESLAG, "285.00", 20, MONTHLY_20),
    "bijstand": ("bijstand", IncomeKind.BIJSTAND, "1270.00", 23, "FREQ=MONTHLY;BYMONTHDAY=23"),
    "weekloon": ("weekloon", IncomeKind.LOON, "480.00", 2, "FREQ=WEEKLY;BYDAY=FR"),
    "kinderbijslag": (
        "kinderbijslag",
        IncomeKind.KINDERBIJSLAG,
        "780.00",
        5,
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5",
    ),
    "kgb": ("kgb", IncomeKind.KINDGEBONDEN_BUDGET, "210.00", 20, MONTHLY_20),
    "ww": ("ww", IncomeKind.WW, "1540.00", 12, "FREQ=MONTHLY;BYMONTHDAY=12"),
    "zzp": ("omzet", IncomeKind.OVERIG, "1850.00", 15, "FREQ=MONTHLY;BYMONTHDAY=15"),
}


def _streams(*names: str) -> tuple[IncomeStream, ...]:
    """The named expected incomes; each schedule starts on its day in January 2026."""
    result = []
    for name in names:
        id, kind, amount, day, rrule = STREAMS[name]
        result.append(_income(id, kind, amount, date(2026, 1, day), rrule))
    return tuple(result)


# (code, streams, members, jitter days, spread percent, pattern); B-ZZP is built apart
REGULAR = (
    ("B-LOON4", ("loon4", "zorg"), 2, 2, 0, "4-wekelijks loon + zorgtoeslag"),
    ("B-BIJST", ("bijstand", "zorg", "huurt"), 2, 3, 0, "bijstand + toeslagen, tot 3 dagen laat"),
    ("B-WEEK", ("weekloon", "zorg"), 2, 1, 30, "weekloon flexwerk, bedrag +/-30%"),
    (
        "B-KIND",
        ("bijstand", "kinderbijslag", "kgb", "zorg"),
        4,
        2,
        0,
        "kinderbijslag per kwartaal + kgb",
    ),
    ("B-WW", ("ww", "zorg"), 2, 5, 5, "WW, tot 5 dagen laat, +/-5%"),
)


ALIMENTATIE_STOPS = date(2026, 9, 1)  # nobody tells us; the configuration stays
CADENCE_CHANGES = date(2026, 7, 1)  # weekly -> monthly, mid-year


def _monthly(h: Household) -> Household:
    return replace(h, leefgeld=replace(h.leefgeld, cadence=hh.Cadence.MONTHLY))


def cases(seed: int, last: date) -> list[Case]:
    """The benchmark's households, each with its incomes up to `last`.

    The first six are the original patterns, drawn in the original order so
    their figures stay comparable; the three of issue 17 draw after them.
    """
    rng = random.Random(seed)
    result = []
    for code, names, members, jitter, spread, pattern in REGULAR:
        # B-WEEK (flex work, a weekly wage +/-30%) keeps its configured amount: its
        # rhythm is known and its mean is the configured amount; marked irregular it
        # measured worse (docs/benchmarks.md, issue 17)
        h = _household(code, _streams(*names), members)
        regular = code != "B-WEEK"
        result.append(Case(h, scheduled(h, last, rng, jitter, spread), pattern, regular=regular))
    zzp_streams = tuple(irregular(s) if s.id == "omzet" else s for s in _streams("zzp", "zorg"))
    h = _household("B-ZZP", zzp_streams)
    zzp = zzp_incomes(last, rng) + [
        i for i in scheduled(h, last, rng, 2, 0) if i.income_id == "zorgtoeslag"
    ]
    result.append(Case(h, zzp, "ZZP, zeer onregelmatige omzet", regular=False))
    return result + _issue17_cases(rng, last)


def _issue17_cases(rng: random.Random, last: date) -> list[Case]:
    """A stopped alimentatie, a cadence change weekly -> monthly, monthly cadence."""
    alimentatie = _income(
        "alimentatie",
        IncomeKind.ALIMENTATIE,
        "450.00",
        date(2026, 1, 10),
        "FREQ=MONTHLY;BYMONTHDAY=10",
    )
    h = _household("B-ALIM", (*_streams("bijstand", "zorg", "huurt"), alimentatie))
    incomes = [
        i
        for i in scheduled(h, last, rng, 2, 0)
        if not (i.income_id == "alimentatie" and i.day >= ALIMENTATIE_STOPS)
    ]
    stopped = Case(h, incomes, "alimentatie stopt per 1 september, niemand meldt het")
    h = _household("B-CAD", _streams("bijstand", "zorg", "huurt"))
    changed = Case(
        h,
        scheduled(h, last, rng, 3, 0),
        "bijstand + toeslagen, leefgeld per 1 juli van wekelijks naar maandelijks",
        changes=((CADENCE_CHANGES, _monthly(h)),),
        period="month",
    )
    h = _monthly(_household("B-MAAND", _streams("loon4", "zorg")))
    monthly = Case(
        h, scheduled(h, last, rng, 2, 0), "4-wekelijks loon, leefgeld maandelijks", period="month"
    )
    return [stopped, changed, monthly]
