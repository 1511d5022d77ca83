"""The team dashboard's stored figures (issue 21.1): what the night folds from the
journal so the dashboard need not scan it (`services.reports_store`).

* `report_movement`: per booking day, scope and account kind, the sum of the
  postings of that day (a few rows a day, not one per household). The scope is
  ``pool`` for the pooled account's own accounts (postings without a
  household), ``team:<name>`` for the accounts of the households of one team and
  ``orphan`` for postings of a code that is no household. A balance on a day is
  the sum of the movements up to it.
* `report_household`: per month and household, the inputs of the buffer and
  leefgeld figures measured on `as_of` (the month's last day, or the night's day
  while the month runs): the vat, what it paid out in the buffer window, the
  leefgeld releases in the month and how many changed amount.
* `report_stamp`: per stored set (``movements``, ``households:2026-11``), the
  journal watermark it covers (every entry up to that `seq`), the day it is
  measured on and, for the movements, the team membership it was split by.

Every row carries the watermark of its set, so a reader adds the entries booked
after it (few: those of the day) and gets exactly what the live SQL gives.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Column, Date, Integer, String
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import CODE_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import ExactAmount

SCOPE_LENGTH = NAME_LENGTH + 5  # "team:" + a team name


class ReportMovementRow(HhbTable, table=True):
    """The postings of one day, one scope and one account kind, summed."""

    __tablename__ = "report_movement"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    scope: str = Field(sa_column=Column(String(SCOPE_LENGTH), primary_key=True))
    account_kind: str = Field(sa_column=Column(String(20), primary_key=True))
    amount: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    watermark: int = Field(sa_column=Column(Integer, nullable=False))


class ReportHouseholdRow(HhbTable, table=True):
    """One household's buffer and leefgeld inputs for one month, measured on `as_of`."""

    __tablename__ = "report_household"

    month: date = Field(sa_column=Column(Date, primary_key=True))
    household: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True))
    as_of: date = Field(sa_column=Column(Date, nullable=False))
    has_vat: bool = Field(sa_column=Column(Boolean, nullable=False))  # any vat posting
    vat: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))  # natural sign
    outflow: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    releases: int = Field(sa_column=Column(Integer, nullable=False))  # leefgeld in the month
    changes: int = Field(sa_column=Column(Integer, nullable=False))
    watermark: int = Field(sa_column=Column(Integer, nullable=False))


class ReportStampRow(HhbTable, table=True):
    """Which journal a stored set covers."""

    __tablename__ = "report_stamp"

    name: str = Field(sa_column=Column(String(40), primary_key=True))
    day: date = Field(sa_column=Column(Date, nullable=False))  # measured on
    watermark: int = Field(sa_column=Column(Integer, nullable=False))
    membership: str = Field(sa_column=Column(String(64), nullable=False))  # sha256, or ""
