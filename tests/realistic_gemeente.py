"""A realistic gemeente from a seed: many households, few payers, shared amounts.

GUIDE §4a: test matching (and later the planner) against what a gemeente has every
day, not against a hand-written scenario. `generate(n, seed)` builds `n` households:

- toeslagen come from one Belastingdienst IBAN, bijstand from the gemeente's own
  sociale dienst, WW from UWV, kinderbijslag from the SVB, salaries from a few
  employers that each pay several households; norm amounts (the maximum zorgtoeslag,
  the bijstand norm) are shared by many households (at least 30% share one);
- the payer's reference for the household (toeslagnummer, cliëntnummer,
  personeelsnummer) appears in the description in the formats payers use: plain or
  with dots or spaces, with leading zeros, in front or at the end, with a name and a
  period ("03-2026"), or in the structured reference or the EndToEndId; some
  households get no reference at all (only the generic word);
- money arrives one day early, on time, or up to ten days late (never on a weekend);
- one credit in 200 belongs to no household (a stranger, or a toeslag for someone
  who is not a participant, with a reference nobody has);
- configurations are lopsided, as they are after years of staff editing: some
  households have no generic word on their incomes, some none of the number their
  payer sends (the credit carries a number nobody configured), some have an odd term
  staff taught (their surname, which other families share; a short number such as a
  dossier or house number, which other credits carry too; a year).

Everything is deterministic from `seed`. The result holds the households (domain
records and the YAML form for `hhb config apply`), the credits per booking day as
`BankTransaction`s, and the ground truth: which household and income each credit
really belongs to (None for the strangers). `expected_incomes` lists what each
household should receive by date, for planner tests that reuse the generator.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from huishoudboekje.adapters.config import gemeente_to_data, household_to_data, jsonable
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.business_calendar import BusinessCalendar
from huishoudboekje.domain.household import (
    BufferPolicy,
    ChargeKind,
    FixedCharge,
    Gemeente,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from tests.factories import nl_iban

ACCOUNT_IBAN = "NL91ABNA0417164300"
TOESLAGEN = ("Belastingdienst/Toeslagen", "NL86INGB0002445588")
SOCIALE_DIENST = ("Gemeente Realistad Sociale Dienst", "NL94ABNA0561122334")
UWV = ("UWV", "NL66INGB0003344556")
SVB = ("Sociale Verzekeringsbank", "NL04INGB0005566778")
WOONSTICHTING = ("Woonstichting Realistad", "NL93RABO0123456780")
ENERGIE = ("Stroom en Gas Noord", "NL03RABO0345678901")
ZORGVERZEKERAAR = ("Zorgverzekeraar De Linde", "NL18INGB0007788990")

# Norm amounts many households share (the maximum zorgtoeslag for one and for two adults,
# the bijstand norms); the rest get an amount of their own.
ZORGTOESLAG_NORMS = ("131.00", "262.00")
BIJSTAND_NORMS = ("1401.10", "2001.58", "1871.32")
SURNAMES = (
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Yilmaz",
    "El Amrani",
    "Tesfay",
    "Kaya",
    "Öztürk",
)
INITIALS = "ABCDEFGHIJKLMNPRSTWY"


@dataclass(frozen=True)
class Credit:
    """One generated credit and the truth about it."""

    tx: BankTransaction
    household: str | None  # None: it belongs to no household
    income: str | None
    expected: date | None  # the income's date it pays
    has_reference: bool  # the description (or reference fields) carry the household's number
    unknown_number: bool = False  # ... a number of the household's that its config lacks
    taught_term: bool = False  # ... an odd term staff taught the household (not a year)


@dataclass(frozen=True)
class RealisticGemeente:
    """A generated gemeente: its households, what the bank books, and the truth."""

    gemeente: Gemeente
    households: tuple[Household, ...]
    credits: tuple[Credit, ...]
    first: date
    last: date
    seed: int
    references: dict[tuple[str, str], str] = field(default_factory=dict)  # (code, income)

    def config(self) -> dict[str, Any]:
        """The YAML document (plain data) for `hhb config apply`."""
        return jsonable(
            {
                "gemeente": gemeente_to_data(self.gemeente),
                "households": [household_to_data(h) for h in self.households],
            }
        )

    def credits_on(self, day: date) -> list[BankTransaction]:
        """The credits the bank books on `day`, in booking order."""
        return [c.tx for c in self.credits if c.tx.booking_date == day]

    def days(self) -> Iterator[date]:
        """Every booking day of the period (weekends included; they have no credits)."""
        day = self.first
        while day <= self.last + timedelta(days=LATEST):
            yield day
            day += timedelta(days=1)

    def truth(self) -> dict[str, tuple[str, str] | None]:
        """Bank reference of each credit → (household, income), or None."""
        return {
            c.tx.bank_reference: None if c.household is None else (c.household, str(c.income))
            for c in self.credits
        }

    def household(self, code: str) -> Household:
        return next(h for h in self.households if h.code == code)

    def expected_incomes(
        self, code: str, first: date | None = None, last: date | None = None
    ) -> list[tuple[date, str, Money]]:
        """What household `code` should receive from `first` to `last`: (date, income, amount)."""
        household = self.household(code)
        lo, hi = first or self.first, last or self.last
        return sorted(
            (day, stream.id, stream.amount)
            for stream in household.incomes
            for day in stream.schedule.between(lo, hi)
        )


LATEST = 10  # days late a payer may be
EARLY = 1


def generate(
    n: int,
    seed: int = 16,
    first: date = date(2026, 3, 1),
    last: date = date(2026, 3, 31),
    *,
    without_reference: float = 0.1,
    strangers_per: int = 200,
    lopsided: float = 0.2,
) -> RealisticGemeente:
    """`n` households paid from `first` to `last` (deterministic from `seed`).
    `lopsided`: the share of households without the generic word; a quarter of that
    share has its payer's number unconfigured, and as many get an odd term."""
    rng = random.Random(seed)
    width = max(4, len(str(n)))
    employers = [(f"Werkgever {k}", nl_iban("INGB", 300_000 + k)) for k in range(max(1, n // 8))]
    households, references = [], {}
    unknown: dict[tuple[str, str], str] = {}
    taught: dict[str, str] = {}
    for number in range(1, n + 1):
        household, refs, hidden, odd = _household(
            rng, number, width, employers, first, without_reference, lopsided
        )
        households.append(household)
        references.update(refs)
        unknown.update(hidden)
        if odd:
            taught[household.code] = odd
    credits = _credits(rng, households, references, (unknown, taught), first, last, strangers_per)
    gemeente = Gemeente("Realistad", ACCOUNT_IBAN, "Gemeente Realistad Huishoudboekje", "ABNANL2A")
    return RealisticGemeente(
        gemeente, tuple(households), tuple(credits), first, last, seed, references
    )


def _income(
    id: str,
    kind: IncomeKind,
    amount: str,
    payer: tuple[str, str],
    rule: str,
    term: str,
    start: date,
) -> IncomeStream:
    return IncomeStream(
        id=id,
        kind=kind,
        amount=Money(amount),
        schedule=Schedule(start, rule),
        payer_iban=payer[1],
        payer_name=payer[0],
        terms=(term,),
    )


def _household(
    rng: random.Random,
    number: int,
    width: int,
    employers: list[tuple[str, str]],
    first: date,
    without_reference: float,
    lopsided: float,
) -> tuple[Household, dict[tuple[str, str], str], dict[tuple[str, str], str], str]:
    code = f"HH-{number:0{width}d}"
    start = date(first.year, first.month, 1) - timedelta(days=62)
    incomes: list[IncomeStream] = []
    main = rng.random()
    if main < 0.45:
        amount = rng.choice(BIJSTAND_NORMS) if rng.random() < 0.8 else _cents(rng, 900, 2100)
        day = rng.choice((24, 24, 24, 23))
        incomes.append(
            _income(
                "bijstand",
                IncomeKind.BIJSTAND,
                amount,
                SOCIALE_DIENST,
                f"FREQ=MONTHLY;BYMONTHDAY={day}",
                "uitkering",
                start,
            )
        )
    elif main < 0.6:
        incomes.append(
            _income(
                "ww",
                IncomeKind.WW,
                _cents(rng, 900, 1900),
                UWV,
                "FREQ=MONTHLY;BYMONTHDAY=23",
                "ww-uitkering",
                start,
            )
        )
    else:
        employer = rng.choice(employers)
        rule = rng.choice(("FREQ=MONTHLY;BYMONTHDAY=25", "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"))
        incomes.append(
            _income(
                "loon", IncomeKind.LOON, _cents(rng, 1100, 2600), employer, rule, "salaris", start
            )
        )
    toeslag = "FREQ=MONTHLY;BYMONTHDAY=20"
    if rng.random() < 0.75:
        amount = rng.choice(ZORGTOESLAG_NORMS) if rng.random() < 0.7 else _cents(rng, 40, 262)
        incomes.append(
            _income(
                "zorgtoeslag",
                IncomeKind.ZORGTOESLAG,
                amount,
                TOESLAGEN,
                toeslag,
                "zorgtoeslag",
                start,
            )
        )
    if rng.random() < 0.5:
        amount = f"{rng.randrange(15, 46) * 10}.00"  # whole tens: many share one
        incomes.append(
            _income(
                "huurtoeslag",
                IncomeKind.HUURTOESLAG,
                amount,
                TOESLAGEN,
                toeslag,
                "huurtoeslag",
                start,
            )
        )
    if rng.random() < 0.15:
        incomes.append(
            _income(
                "kinderbijslag",
                IncomeKind.KINDERBIJSLAG,
                rng.choice(("292.83", "585.66")),
                SVB,
                "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
                "kinderbijslag",
                date(2026, 1, 1),
            )
        )
    incomes, refs = _with_references(rng, code, incomes, without_reference)
    monthly = sum((i.amount for i in incomes if "MONTHLY" in i.schedule.rrule), Money("0"))
    monthly = max(monthly, Money("900.00"))
    name = f"{rng.choice(INITIALS)}. {rng.choice(SURNAMES)}"
    incomes, refs, hidden, dossier = _lopsided(rng, code, incomes, refs, name, lopsided)
    household = Household(
        code=code,
        name=name,
        iban=nl_iban("RABO", 100_000 + number),
        members=rng.choice((1, 1, 2, 3, 4)),
        start=date(first.year, first.month, 1),
        leefgeld=LeefgeldPolicy(weekday=rng.choice(("monday", "wednesday", "friday"))),
        buffer=BufferPolicy(target=Money("600.00")),
        incomes=tuple(incomes),
        charges=_charges(rng, monthly, first),
    )
    return household, refs, hidden, dossier


DOSSIERS = range(1001, 1061)  # short numbers on credits ("dossier 1042"): many share one
YEAR = "2026"


def _lopsided(
    rng: random.Random,
    code: str,
    incomes: list[IncomeStream],
    refs: dict[tuple[str, str], str],
    name: str,
    share: float,
) -> tuple[list[IncomeStream], dict[tuple[str, str], str], dict[tuple[str, str], str], str]:
    """Configurations as staff leave them: the generic word left off; the payer's number
    not configured (it stays on the credits: `hidden`); an odd term taught on the first
    income (the surname, a short dossier number, a year). Returns the incomes, the
    configured numbers, the hidden ones and the odd term ("" if none; a dossier number
    is on the household's credits)."""
    hidden: dict[tuple[str, str], str] = {}
    kept = dict(refs)
    draw = rng.random()
    out = []
    for income in incomes:
        if draw < share:
            generic = income.terms[0]
            income = replace(income, terms=tuple(t for t in income.terms if t != generic))
        number = refs.get((code, income.id), "")
        if draw < share / 4 and number:
            terms = tuple(t for t in income.terms if t != number)
            income = replace(income, terms=terms, reference="")
            hidden[(code, income.id)] = kept.pop((code, income.id))
        out.append(income)
    taught = ""
    if rng.random() < share / 2 and out:
        kind = rng.random()
        if kind < 0.5:
            taught = name.split()[-1].casefold()
        elif kind < 0.85:
            taught = str(rng.choice(DOSSIERS))
        else:
            taught = YEAR
        out[0] = replace(out[0], terms=(*out[0].terms, taught))
    return out, kept, hidden, taught


def _with_references(
    rng: random.Random, code: str, incomes: list[IncomeStream], without: float
) -> tuple[list[IncomeStream], dict[tuple[str, str], str]]:
    """Give each payer's incomes the household's number at that payer (one per payer:
    the Belastingdienst uses one toeslagnummer for all toeslagen); for some households
    the payer sends none. The number is configured as `reference` or as a term."""
    numbers: dict[str, str] = {}
    refs: dict[tuple[str, str], str] = {}
    out = []
    for income in incomes:
        if income.payer_iban not in numbers:
            digits = 9 if income.payer_iban in (TOESLAGEN[1], SVB[1]) else rng.choice((6, 7, 8))
            numbers[income.payer_iban] = str(rng.randrange(10 ** (digits - 1), 10**digits))
            if rng.random() < without:
                numbers[income.payer_iban] = ""
        number = numbers[income.payer_iban]
        if number:
            refs[(code, income.id)] = number
            if rng.random() < 0.5:
                income = replace(income, reference=number)
            else:
                income = replace(income, terms=(*income.terms, number))
        out.append(income)
    return out, refs


def _charges(rng: random.Random, monthly: Money, first: date) -> tuple[FixedCharge, ...]:
    """Rent, energy and the health premium: together about half the monthly income."""
    start = date(first.year, first.month, 1)
    huur = Money.round(monthly.amount * Decimal(rng.randrange(30, 40)) / 100)
    energie = Money.round(monthly.amount * Decimal(rng.randrange(6, 10)) / 100)
    return (
        FixedCharge(
            "huur",
            ChargeKind.HUUR,
            WOONSTICHTING[0],
            WOONSTICHTING[1],
            huur,
            Schedule(start, "FREQ=MONTHLY;BYMONTHDAY=1"),
        ),
        FixedCharge(
            "energie",
            ChargeKind.ENERGIE,
            ENERGIE[0],
            ENERGIE[1],
            energie,
            Schedule(start, "FREQ=MONTHLY;BYMONTHDAY=28"),
        ),
        FixedCharge(
            "zorgpremie",
            ChargeKind.ZORGPREMIE,
            ZORGVERZEKERAAR[0],
            ZORGVERZEKERAAR[1],
            Money(rng.choice(("148.00", "151.00", "159.50"))),
            Schedule(start, "FREQ=MONTHLY;BYMONTHDAY=1"),
        ),
    )


def _cents(rng: random.Random, low: int, high: int) -> str:
    return str(Money.cents(rng.randrange(low * 100, high * 100)))


# -- the credits ---------------------------------------------------------------------------


def _credits(
    rng: random.Random,
    households: list[Household],
    references: dict[tuple[str, str], str],
    lopsided: tuple[dict[tuple[str, str], str], dict[str, str]],
    first: date,
    last: date,
    strangers_per: int,
) -> list[Credit]:
    """A month of credits. `lopsided`: the numbers payers send that the households'
    config lacks, and the odd terms staff taught (a dossier number is on the
    household's credits; one in ten other credits carries some dossier number too)."""
    unknown, taught = lopsided
    calendar = BusinessCalendar()
    out: list[Credit] = []
    for household in households:
        for income in household.incomes:
            for due in income.schedule.between(first, last):
                shift = rng.choices((-EARLY, 0, 1, 2, 3, 5, LATEST), (5, 70, 8, 6, 5, 3, 3))[0]
                day = calendar.on_or_before(due + timedelta(days=shift))
                amount = income.amount
                if income.kind is IncomeKind.LOON and rng.random() < 0.3:
                    amount = Money.round(amount.amount * Decimal(rng.randrange(97, 104)) / 100)
                number = references.get((household.code, income.id), "")
                hidden = unknown.get((household.code, income.id), "")
                odd = taught.get(household.code, "")
                dossier = odd if odd.isdigit() and odd != YEAR else ""
                if not dossier and rng.random() < 0.1:
                    dossier = str(rng.choice(DOSSIERS))
                tx = _tx(rng, day, amount, income, household, number or hidden)
                if dossier:
                    tx = replace(tx, description=f"{tx.description} dossier {dossier}")
                shows = bool(odd) and odd != YEAR and odd in tx.description.casefold()
                credit = Credit(
                    tx, household.code, income.id, due, bool(number), bool(hidden), shows
                )
                out.append(credit)
    strangers = max(1, len(out) // (strangers_per - 1))
    for _ in range(strangers):
        out.append(_stranger(rng, calendar, households, first, last))
    out.sort(key=lambda c: (c.tx.booking_date, c.tx.counterparty_iban, str(c.tx.amount)))
    numbered = []
    for index, credit in enumerate(out):
        reference = f"BANK{credit.tx.booking_date:%Y%m%d}{index:06d}"
        numbered.append(replace(credit, tx=replace(credit.tx, bank_reference=reference)))
    return numbered


def _formatted(rng: random.Random, number: str) -> str:
    """The number as a payer writes it: plain, with dots or spaces, with leading zeros."""
    style = rng.randrange(5)
    if style == 1 and len(number) == 9:
        return f"{number[:3]}.{number[3:6]}.{number[6:]}"
    if style == 2 and len(number) == 9:
        return f"0{number[:3]}.{number[3:6]}.{number[6:]}"
    if style == 3:
        return " ".join(number[i : i + 3] for i in range(0, len(number), 3))
    if style == 4:
        return number.zfill(10)
    return number


def _tx(
    rng: random.Random,
    day: date,
    amount: Money,
    income: IncomeStream,
    household: Household,
    number: str,
) -> BankTransaction:
    word = {
        IncomeKind.BIJSTAND: "UITKERING PARTICIPATIEWET",
        IncomeKind.WW: "WW-uitkering",
        IncomeKind.LOON: "Salaris",
        IncomeKind.ZORGTOESLAG: "ZORGTOESLAG",
        IncomeKind.HUURTOESLAG: "HUURTOESLAG",
        IncomeKind.KINDERBIJSLAG: "Kinderbijslag",
    }.get(income.kind, "Betaling")
    period = f"{day:%m-%Y}" if rng.random() < 0.6 else f"{day:%Y} {day:%m}"
    name = household.name.upper() if rng.random() < 0.5 else household.name
    structured = end_to_end = ""
    if not number:
        description = f"{word} {period}"
    else:
        shown = _formatted(rng, number)
        place = rng.randrange(6)
        if place == 0:
            description = f"{shown} {word} {period}"
        elif place == 1:
            description = f"{word} {period} {shown}"
        elif place == 2:
            description = f"{word} {period} {name} kenmerk {shown}"
        elif place == 3:
            description = f"{name} {shown} {word} {period}"
        elif place == 4:
            description, structured = f"{word} {period} {name}", number.zfill(16)
        else:
            description, end_to_end = f"{word} {period}", f"{number}-{day:%Y%m}"
    return BankTransaction(
        booking_date=day,
        value_date=day,
        amount=amount,
        counterparty_name=income.payer_name,
        counterparty_iban=income.payer_iban,
        description=description,
        structured_reference=structured,
        end_to_end_id=end_to_end,
    )


def _stranger(
    rng: random.Random,
    calendar: BusinessCalendar,
    households: list[Household],
    first: date,
    last: date,
) -> Credit:
    """A credit that belongs to no household: a private person, or a toeslag (at a
    shared amount) for someone who is not a participant, with a number nobody has."""
    day = calendar.on_or_before(first + timedelta(days=rng.randrange((last - first).days + 1)))
    if day < first:
        day = calendar.on_or_after(first)
    if rng.random() < 0.5:
        amount = Money(rng.choice(ZORGTOESLAG_NORMS))
        number = str(rng.randrange(10**8, 10**9))
        tx = BankTransaction(
            booking_date=day,
            value_date=day,
            amount=amount,
            counterparty_name=TOESLAGEN[0],
            counterparty_iban=TOESLAGEN[1],
            description=f"{_formatted(rng, number)} ZORGTOESLAG {day:%m-%Y}",
        )
    else:
        tx = BankTransaction(
            booking_date=day,
            value_date=day,
            amount=Money(_cents(rng, 5, 400)),
            counterparty_name=f"{rng.choice(INITIALS)}. {rng.choice(SURNAMES)}",
            counterparty_iban=nl_iban("ASNB", rng.randrange(10**6, 10**7)),
            description=rng.choice(("Terugbetaling", "Gift", "Marktplaats", "Voorschot")),
        )
    return Credit(tx, None, None, None, False)
