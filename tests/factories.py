"""Small builders for households used across engine tests (fictional data, valid IBANs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from huishoudboekje.domain.household import (
    BufferPolicy,
    ChargeKind,
    FixedCharge,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
    Reserve,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule

HOUSEHOLD_IBAN = "NL44RABO0123456789"
PAYEE_IBAN = "NL91ABNA0417164300"


def income(
    id: str,
    amount: str,
    start: date,
    rrule: str,
    kind: IncomeKind = IncomeKind.LOON,
    margin: str = "0.05",
) -> IncomeStream:
    return IncomeStream(
        id=id,
        kind=kind,
        amount=Money(amount),
        schedule=Schedule(start, rrule),
        payer_iban="NL20INGB0001234567",
        payer_name=f"Betaler {id}",
        terms=(id,),
        margin=Decimal(margin),
    )


def charge(
    id: str,
    amount: str,
    start: date,
    rrule: str = "FREQ=MONTHLY;BYMONTHDAY=1",
    kind: ChargeKind = ChargeKind.OVERIG,
    **extra: object,
) -> FixedCharge:
    return FixedCharge(
        id=id,
        kind=kind,
        payee_name=f"Ontvanger {id}",
        payee_iban=PAYEE_IBAN,
        amount=Money(amount),
        schedule=Schedule(start, rrule),
        **extra,  # type: ignore[arg-type]
    )


def jansen(start: date = date(2026, 1, 1), **overrides: object) -> Household:
    """The GUIDE's example: 4-weekly salary, zorgtoeslag, monthly rent, energy reserve.

    Schedules start in 2025 so that tests may start before 2026.
    """
    household = Household(
        code="HH-0001",
        name="Fam. Jansen",
        iban=HOUSEHOLD_IBAN,
        members=3,
        start=start,
        leefgeld=LeefgeldPolicy(floor=Money("78.00")),
        buffer=BufferPolicy(target=Money("1200.00"), advance_limit=Money("1200.00")),
        incomes=(
            income("loon", "1850.00", date(2025, 1, 9), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),
            income(
                "zorgtoeslag",
                "131.00",
                date(2025, 1, 20),
                "FREQ=MONTHLY;BYMONTHDAY=20",
                kind=IncomeKind.ZORGTOESLAG,
            ),
        ),
        charges=(
            charge("huur", "725.40", date(2025, 1, 1), kind=ChargeKind.HUUR),
            charge(
                "energie",
                "142.00",
                date(2025, 1, 5),
                "FREQ=MONTHLY;BYMONTHDAY=5",
                kind=ChargeKind.ENERGIE,
            ),
            charge(
                "water",
                "21.50",
                date(2025, 1, 15),
                "FREQ=MONTHLY;BYMONTHDAY=15",
                kind=ChargeKind.WATER,
            ),
            charge("zorgpremie", "152.00", date(2025, 1, 1), kind=ChargeKind.ZORGPREMIE),
        ),
        reserves=(
            Reserve(id="energie-jaarafrekening", monthly=Money("25.00"), target=Money("300.00")),
        ),
    )
    from dataclasses import replace

    return replace(household, **overrides)  # type: ignore[arg-type]


# -- shared builders: the tests and the benchmarks (bench/) build households with these


def household(code: str = "HH-0001", **fields: object) -> Household:
    """A household named after its code, paid to HOUSEHOLD_IBAN, in the program from
    1 January 2026; any other field of `Household` can be given."""
    defaults: dict[str, object] = {
        "name": f"Huishouden {code}",
        "iban": HOUSEHOLD_IBAN,
        "start": date(2026, 1, 1),
    }
    return Household(code=code, **{**defaults, **fields})  # type: ignore[arg-type]


def nl_iban(bank: str, number: int) -> str:
    """A Dutch IBAN with valid check digits: bank code `bank`, account `number`."""
    bban = f"{bank}{number:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"
