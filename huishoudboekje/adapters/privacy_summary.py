"""The readable part of an inzage export: one page in plain Dutch (B1) about what the
gemeente keeps about a household, why, for how long, and what the household may ask.
Rendered to PDF by `adapters/pdf.py`; the full data is in the export's JSON beside it."""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from huishoudboekje.domain.dutch_text import MONTHS_NL, eur
from huishoudboekje.domain.household import ChargeKind, Gemeente, Household

_ENV = Environment(
    loader=PackageLoader("huishoudboekje.adapters", "templates"),
    autoescape=select_autoescape(["html"]),
)

# What each table of the export holds, in words a household understands.
TABLE_WORDS = {
    "bank_transactions": "bedragen op de bankrekening van de gemeente voor u",
    "payment_instructions": "betalingen die wij voor u deden of klaarzetten",
    "journal": "boekingen in onze boekhouding",
    "signals": "meldingen voor uw medewerker",
    "signal_notes": "aantekeningen van medewerkers bij meldingen",
    "change_requests": "wijzigingen die een tweede medewerker moest goedkeuren",
    "household_requests": "verzoeken van u, zoals extra leefgeld",
    "audit_log": "regels in het logboek: wie wat veranderde",
    "accounts": "inlogaccounts",
    "invites": "uitnodigingen om in te loggen",
    "engine_state": "rekengegevens van het nachtelijke programma",
}


def long_date(day: date) -> str:
    """`4 december 2026`."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def summary_html(
    household: Household,
    gemeente: Gemeente,
    records: dict[str, list[dict[str, Any]]],
    today: date,
) -> str:
    """The summary page as HTML."""
    incomes = [(i.kind.label_nl, i.payer_name, eur(i.amount)) for i in household.incomes]
    charges = [
        (
            c.id if c.kind is ChargeKind.OVERIG else c.kind.value.replace("_", " ").capitalize(),
            c.payee_name,
            eur(c.amount),
        )
        for c in household.charges
    ]
    counts = [(TABLE_WORDS.get(name, name), len(rows)) for name, rows in records.items()]
    template = _ENV.get_template("privacy_summary.html")
    return template.render(
        household=household,
        gemeente=gemeente,
        letterhead=gemeente.letterhead,
        made_on=long_date(today),
        start=long_date(household.start),
        end=None if household.end is None else long_date(household.end),
        incomes=incomes,
        charges=charges,
        counts=counts,
        years=gemeente.retention_years,
        months=gemeente.document_retention_months,
    )
