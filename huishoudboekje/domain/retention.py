"""Retention (AVG art. 5(1)(e), BIO 18.1): how long a household's personal data is kept
after its participation ends, and what an anonymised household looks like.

Two periods, both counted from the end of participation:

- **financial records** (journal, payments, bank transactions, their descriptions):
  the fiscal retention duty (AWR art. 52) is 7 years after the end of the fiscal year
  the records belong to. The last records of a household are those of its settlement
  (`SETTLEMENT_DAYS` after its end date), so its personal data may go from 1 January
  of the year `retention_years` + 1 after that settlement year.
- **documents** (a signed consent form, letters): `document_retention_months` after
  the end date.
- **files on disk** (imported and rejected bank statements, pain.001 payment files):
  they hold many households at once, so they follow the fiscal rule per file: from
  1 January of the year `retention_years` + 1 after the file's date.

Anonymising keeps what the books need: the household's code, its amounts, dates,
kinds and schedules, so the pooled account still reconciles and the accountant's
export still adds up. Names, IBANs, addresses, descriptions and references go.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from dateutil.relativedelta import relativedelta

from huishoudboekje.domain.household import (
    SETTLEMENT_DAYS,
    Contact,
    FixedCharge,
    Gemeente,
    Household,
    IncomeStream,
)

ANONYMOUS_NAME = "Geanonimiseerd"


def financial_purge_date(end: date, retention_years: int) -> date:
    """The first day the financial records of a household that ended on `end` may lose
    their personal data: 1 January after `retention_years` whole fiscal years following
    the year its settlement ended."""
    last_year = (end + SETTLEMENT_DAYS).year
    return date(last_year + retention_years + 1, 1, 1)


def file_purge_date(file_day: date, retention_years: int) -> date:
    """The first day a bank statement or payment file of `file_day` may be removed: the
    records of a fiscal year are kept `retention_years` whole years after it (AWR art.
    52), and the file is only a copy of what the database holds by then anyway."""
    return date(file_day.year + retention_years + 1, 1, 1)


def document_purge_date(end: date, retention_months: int) -> date:
    """The first day documents of a household that ended on `end` may be removed."""
    return end + relativedelta(months=retention_months) + relativedelta(days=1)


def is_financial_purge_due(household: Household, gemeente: Gemeente, today: date) -> bool:
    """True when the household has ended and its financial retention period is over."""
    if household.end is None:
        return False
    return today >= financial_purge_date(household.end, gemeente.retention_years)


def is_document_purge_due(household: Household, gemeente: Gemeente, today: date) -> bool:
    """True when the household has ended and its documents may be removed."""
    if household.end is None:
        return False
    return today >= document_purge_date(household.end, gemeente.document_retention_months)


def anonymised(household: Household, placeholder_iban: str) -> Household:
    """The household without personal data: no name, own IBAN, address, payer or payee
    names and IBANs, terms or references; code, amounts, kinds, dates and schedules kept.

    An IBAN is required wherever one was (a household, a payee), so the placeholder
    takes its place: the gemeente's own pooled account, which identifies nobody."""
    incomes = tuple(_anonymised_income(i) for i in household.incomes)
    charges = tuple(_anonymised_charge(c, placeholder_iban) for c in household.charges)
    return dataclasses.replace(
        household,
        name=f"{ANONYMOUS_NAME} {household.code}",
        iban=placeholder_iban,
        bic="",
        contact=Contact.ONLINE,
        address=None,
        incomes=incomes,
        charges=charges,
        reserves=tuple(dataclasses.replace(r, description="") for r in household.reserves),
    )


def is_anonymised(household: Household, placeholder_iban: str) -> bool:
    """True when `household` is already what `anonymised` makes of it."""
    return anonymised(household, placeholder_iban) == household


def _anonymised_income(income: IncomeStream) -> IncomeStream:
    return dataclasses.replace(income, payer_iban="", payer_name="", terms=(), reference="")


def _anonymised_charge(charge: FixedCharge, placeholder_iban: str) -> FixedCharge:
    return dataclasses.replace(
        charge, payee_name=ANONYMOUS_NAME, payee_iban=placeholder_iban, payee_bic="", reference=""
    )
