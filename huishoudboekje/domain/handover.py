"""Exit and hand-over (issue 19.6): the checklist of a household whose participation
ends, and when the data shows an item done (pure).

Items: each income redirected to the household's own account, each fixed charge
handed over, the buffer settled (the eindafrekening), the advance repaid, the
final overview sent. From the closing day on (the last business day of the
participation, when the eindafrekening runs) an income counts as redirected once
a payday after the last day has passed (with the income's window) and no credit
from that payer came in since; the buffer once the eindafrekening paid it out or
nothing is left; the advance once nothing is owed. Staff tick the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from huishoudboekje.domain.dutch_text import MONTHS_NL, eur
from huishoudboekje.domain.household import FixedCharge, Household, IncomeStream
from huishoudboekje.domain.money import ZERO, Money

LOOK_AHEAD = timedelta(days=400)  # how far to look for an income's next payday


class ItemKind(StrEnum):
    INCOME = "income"
    CHARGE = "charge"
    BUFFER = "buffer"
    ADVANCE = "advance"
    OVERVIEW = "overview"


def long_day_nl(day: date) -> str:
    """`1 juli 2026`, as a letter writes a date."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def handover_day(last_day: date) -> date:
    """The first day the household pays and is paid itself."""
    return last_day + timedelta(days=1)


def item_key(kind: ItemKind, rule_id: str = "") -> str:
    """The stored key of a checklist item: "income:loon", "buffer"."""
    return f"{kind.value}:{rule_id}" if rule_id else kind.value


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit booked for the household after its last day."""

    day: date
    amount: Money
    payer_name: str
    payer_iban: str
    income_id: str | None


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One line of the checklist as the data shows it (staff ticks come on top)."""

    key: str
    kind: ItemKind
    label: str  # plain Dutch
    detail: str  # plain Dutch: why done, or what is still to do
    auto_done: bool
    rule_id: str = ""  # the income's or charge's id (a letter exists for these)


def _from_payer(stream: IncomeStream, credit: Credit) -> bool:
    if credit.income_id is not None and credit.income_id == stream.id:
        return True
    return bool(stream.payer_iban) and credit.payer_iban == stream.payer_iban


def income_item(
    stream: IncomeStream, last_day: date, credits: Iterable[Credit], today: date, closing: bool
) -> CheckItem:
    """Redirected once a payday after `last_day` passed (plus the income's window)
    without a credit from that payer since `last_day`."""
    payer = stream.payer_name or stream.kind.label_nl
    label = f"{stream.kind.label_nl} van {payer} omgezet naar de eigen rekening"
    key = item_key(ItemKind.INCOME, stream.id)
    late = [c for c in credits if _from_payer(stream, c)]
    if late:
        last = late[-1]
        detail = (
            f"Na het einde kwam er nog {eur(last.amount)} binnen van {payer}, "
            f"op {long_day_nl(last.day)}: nog niet omgezet."
        )
        return CheckItem(key, ItemKind.INCOME, label, detail, False, stream.id)
    after = handover_day(last_day)
    paydays = stream.schedule.between(after, after + LOOK_AHEAD)
    passed = [d for d in paydays if d + timedelta(days=stream.window_days) < today]
    if closing and passed:
        detail = (
            f"Sinds {long_day_nl(last_day)} kwam er niets meer binnen van {payer} "
            f"(verwacht op {long_day_nl(passed[0])})."
        )
        return CheckItem(key, ItemKind.INCOME, label, detail, True, stream.id)
    upcoming = paydays[0] if paydays else None
    detail = "Stuur de brief. Vinkt zich af als er na het einde niets meer binnenkomt"
    detail += f" (volgende betaling verwacht op {long_day_nl(upcoming)})." if upcoming else "."
    return CheckItem(key, ItemKind.INCOME, label, detail, False, stream.id)


def charge_item(charge: FixedCharge, last_day: date) -> CheckItem:
    """A fixed charge: handed over once the payee knows; staff tick it."""
    label = (
        f"{charge.kind.value.replace('_', ' ').capitalize()} aan {charge.payee_name} overgedragen"
    )
    detail = (
        f"Stuur de brief: vanaf {long_day_nl(handover_day(last_day))} betaalt het huishouden "
        f"{eur(charge.amount)} zelf. Vink af als {charge.payee_name} het weet."
    )
    return CheckItem(
        item_key(ItemKind.CHARGE, charge.id), ItemKind.CHARGE, label, detail, False, charge.id
    )


@dataclass(frozen=True, slots=True)
class Balances:
    """What the household's accounts hold now, and the eindafrekening so far."""

    vat: Money
    reserves: Money
    advance_used: Money
    paid_out: Money  # the eindafrekening's payments to the own account (not returned)
    paid_out_on: date | None


def buffer_item(balances: Balances, closing: bool) -> CheckItem:
    """Settled once the eindafrekening paid out, or nothing is left to pay out."""
    label = "Buffer afgerekend (eindafrekening)"
    key = item_key(ItemKind.BUFFER)
    if closing and balances.paid_out_on is not None:
        detail = (
            f"Eindafrekening: {eur(balances.paid_out)} naar de eigen rekening op "
            f"{long_day_nl(balances.paid_out_on)}."
        )
        return CheckItem(key, ItemKind.BUFFER, label, detail, True)
    left = balances.vat + balances.reserves
    if closing and not left.is_positive:
        return CheckItem(key, ItemKind.BUFFER, label, "Er staat niets meer in de buffer.", True)
    detail = (
        f"In de buffer en reserveringen staat nu {eur(left)}. De eindafrekening betaalt "
        "dit uit op de laatste werkdag van de deelname."
    )
    return CheckItem(key, ItemKind.BUFFER, label, detail, False)


def advance_item(balances: Balances, closing: bool) -> CheckItem:
    """Repaid once nothing is owed (from the closing day on)."""
    label = "Voorschot terugbetaald"
    key = item_key(ItemKind.ADVANCE)
    owed = balances.advance_used
    if closing and owed == ZERO:
        return CheckItem(key, ItemKind.ADVANCE, label, "Er staat geen voorschot meer open.", True)
    detail = f"Nog open: {eur(owed)}. De eindafrekening lost dit af uit de buffer."
    return CheckItem(key, ItemKind.ADVANCE, label, detail, False)


def overview_item(household: Household) -> CheckItem:
    label = "Eindoverzicht verstuurd"
    detail = f"Stuur {household.name} een overzicht van alles wat er is betaald en ontvangen."
    return CheckItem(item_key(ItemKind.OVERVIEW), ItemKind.OVERVIEW, label, detail, False)


def checklist(
    household: Household,
    last_day: date,
    credits: Iterable[Credit],
    balances: Balances,
    today: date,
    closing_day: date,
) -> tuple[CheckItem, ...]:
    """Every item of the household's exit, in the order staff work through them."""
    closing = today >= closing_day
    seen = tuple(credits)
    return (
        *(income_item(s, last_day, seen, today, closing) for s in household.incomes),
        *(charge_item(c, last_day) for c in household.charges if c.is_valid_on(last_day)),
        buffer_item(balances, closing),
        advance_item(balances, closing),
        overview_item(household),
    )


# ------------------------------------------------ statushouder: 6 months ontzorgen

STATUSHOUDER_MONTHS = 6
TALK_MONTH = 5  # the hand-over talk is held in this month of the participation


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on; the 31st becomes the month's last day."""
    moved: date = day + relativedelta(months=months)
    return moved


@dataclass(frozen=True, slots=True)
class StatushouderPeriod:
    """Six months of ontzorgen from `start`: the last day, and month 5 for the talk."""

    start: date
    last_day: date  # start + 6 months - 1 day: from 1 January, the last day is 30 June
    talk_from: date  # the first day of month 5
    talk_due: date  # the last day of month 5 (the signal's deadline)


def statushouder_period(start: date) -> StatushouderPeriod:
    """The period of the statushouder template for an intake starting on `start`."""
    return StatushouderPeriod(
        start,
        add_months(start, STATUSHOUDER_MONTHS) - timedelta(days=1),
        add_months(start, TALK_MONTH - 1),
        add_months(start, TALK_MONTH) - timedelta(days=1),
    )
