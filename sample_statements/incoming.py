"""What the outside world pays into Voorbeeldstad's pooled account, 1 Sep - 30 Nov 2026.

Pure data: one `Incoming` per credit, in booking order. Payers pay on the bank
day before a weekend date, as Dutch payers do; the few deliberate surprises of
the demo (a late salary, an alimentatie that stops, an unknown payment, a
reclaimed toeslag) are written out here so docs/demo.md can point at them.
The only randomness (the ZZP household's invoice amounts and the payers'
reference numbers) comes from one seeded generator, so the output never changes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from huishoudboekje.domain.business_calendar import BusinessCalendar
from huishoudboekje.domain.money import Money

SEED = 20260901
FIRST_DAY = date(2026, 9, 1)
LAST_DAY = date(2026, 11, 30)
ACCOUNT_IBAN = "NL90INGB0005550001"
ACCOUNT_BIC = "INGBNL2A"
MONTHS = {9: "september", 10: "oktober", 11: "november"}

TOESLAGEN = ("Belastingdienst/Toeslagen", "NL62INGB0009990001", "INGBNL2A")
GEMEENTE = ("Gemeente Voorbeeldstad", "NL94ABNA0561122334", "ABNANL2A")
UWV = ("UWV", "NL66INGB0003344556", "INGBNL2A")
SVB = ("Sociale Verzekeringsbank", "NL04INGB0005566778", "INGBNL2A")


@dataclass(frozen=True, slots=True)
class Incoming:
    """One credit on the pooled account."""

    day: date
    amount: Money
    name: str
    iban: str
    bic: str
    description: str
    end_to_end_id: str = ""


def bank_days(first: date = FIRST_DAY, last: date = LAST_DAY) -> list[date]:
    """Every TARGET2 business day from `first` to `last`."""
    calendar = BusinessCalendar()
    days, day = [], first
    while day <= last:
        if calendar.is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def paid_on(day: date) -> date:
    """A payer due on a weekend or holiday pays on the bank day before."""
    return BusinessCalendar().on_or_before(day)


class _Plan:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.items: list[Incoming] = []

    def add(self, day: date, amount: str, payer: tuple[str, str, str], text: str) -> None:
        """Add one credit from `payer` (name, IBAN, BIC), booked on the bank day it is paid."""
        reference = f"{self.rng.randrange(10**11, 10**12)}"
        self.items.append(Incoming(paid_on(day), Money(amount), *payer, text, f"E2E{reference}"))

    def cents(self, low: int, high: int) -> str:
        """A seeded amount between `low` and `high` euro, in whole cents."""
        return str(Money.cents(self.rng.randrange(low * 100, high * 100)))


def incoming() -> list[Incoming]:
    """Every credit of the demo period, sorted by booking day (stable within a day)."""
    plan = _Plan()
    _jansen(plan)
    for month in (9, 10, 11):
        _monthly(plan, month)
    _yilmaz(plan)
    plan.add(date(2026, 10, 5), "626.00", SVB, "HH-0005 Kinderbijslag 3e kwartaal 2026 SVB")
    # nobody can say whose this is: it waits in suspense until staff assign it
    unknown = ("J. Smit", "NL27ASNB0799001122", "ASNBNL21")
    plan.add(date(2026, 10, 14), "35.00", unknown, "Terugbetaling marktplaats kinderfiets")
    return sorted(plan.items, key=lambda item: item.day)


def _jansen(plan: _Plan) -> None:
    employer = ("Bakkerij de Korenschoof", "NL20INGB0001234567", "INGBNL2A")
    # four-weekly salary on Thursdays; period 11 comes eight days late (payroll problem)
    plan.add(date(2026, 9, 3), "1850.00", employer, "Salaris periode 10 2026 Fam. Jansen")
    plan.add(date(2026, 10, 9), "1850.00", employer, "Salaris periode 11 2026 Fam. Jansen")
    plan.add(date(2026, 10, 29), "1912.35", employer, "Salaris periode 12 2026 incl. overwerk")
    plan.add(date(2026, 11, 26), "1850.00", employer, "Salaris periode 13 2026 Fam. Jansen")


def _monthly(plan: _Plan, month: int) -> None:
    name = MONTHS[month]
    toeslag_day, bijstand_day = date(2026, month, 20), date(2026, month, 24)
    salary_day, in_ontzorgen = date(2026, month, 25), month < 11
    # alimentatie: paid on the 1st in September and October, then it stops
    if month < 11:
        visser = ("R. Visser", "NL63TRIO0212345678", "TRIONL2U")
        plan.add(date(2026, month, 1), "320.00", visser, f"Alimentatie {name} 2026")
    for code, kind, amount in _toeslagen(month, in_ontzorgen):
        text = f"{code} {kind} 2026 {name} toeslagnr 2026{code[-4:]}"
        if code == "HH-0008" and kind == "Zorgtoeslag" and month > 9:
            text = f"{code} Zorgtoeslag 2026 {name} verrekend met terugvordering zorgtoeslag 2024"
        plan.add(toeslag_day, amount, TOESLAGEN, text)
    for code, amount in [("HH-0002", "1874.00")] + ([("HH-0007", "1690.00")] * in_ontzorgen):
        plan.add(bijstand_day, amount, GEMEENTE, f"{code} Uitkering Participatiewet {name} 2026")
    if month < 11:
        plan.add(date(2026, month, 23), "1245.00", UWV, f"HH-0003 WW-uitkering {name} 2026 UWV")
    else:  # the WW has ended; the first bijstand payment follows
        plan.add(
            bijstand_day, "1311.00", GEMEENTE, "HH-0003 Uitkering Participatiewet november 2026"
        )
    boer = ("Sportbedrijf Voorbeeldstad", "NL30ABNA0512345678", "ABNANL2A")
    plan.add(date(2026, month, 23), "1680.00", boer, f"Salaris {name} 2026 personeelsnr 3381")
    thuiszorg = ("Thuiszorg Voorbeeldstad", "NL14RABO0156677889", "RABONL2U")
    plan.add(salary_day, "2050.00", thuiszorg, f"Salaris {name} 2026 El Amrani")
    supermarkt = ("Supermarkt De Hoek", "NL95INGB0667788990", "INGBNL2A")
    plan.add(salary_day, "1240.00", supermarkt, f"Salaris {name} 2026 M. Visser")


def _toeslagen(month: int, in_ontzorgen: bool) -> list[tuple[str, str, str]]:
    rows = [
        ("HH-0001", "Zorgtoeslag", "131.00"),
        ("HH-0002", "Huurtoeslag", "412.00"),
        ("HH-0002", "Zorgtoeslag", "262.00"),
        ("HH-0005", "Kindgebonden budget", "198.00"),
        ("HH-0006", "Zorgtoeslag", "123.00"),
        ("HH-0008", "Huurtoeslag", "280.00"),
        ("HH-0008", "Zorgtoeslag", "131.00" if month == 9 else "71.00"),
    ]
    if in_ontzorgen:  # from November the statushouder's toeslagen go to their own account
        rows += [("HH-0007", "Huurtoeslag", "380.00"), ("HH-0007", "Zorgtoeslag", "262.00")]
    return rows


def _yilmaz(plan: _Plan) -> None:
    business = ("Yilmaz Schilderwerken", "NL74KNAB0412345670", "KNABNL2H")
    # invoices are paid when customers pay: big and small amounts on irregular days
    for day, low, high in [
        (date(2026, 9, 8), 1800, 2000),
        (date(2026, 9, 29), 250, 350),
        (date(2026, 10, 21), 1150, 1300),
        (date(2026, 11, 6), 200, 300),
        (date(2026, 11, 26), 1650, 1800),
    ]:
        plan.add(day, plan.cents(low, high), business, "HH-0004 inkomen uit onderneming")
