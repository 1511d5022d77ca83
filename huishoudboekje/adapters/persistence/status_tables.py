"""The read model of household statuses (issue 24): what the night (or a change
during the day) computed for each household, stored so pages never plan.

`household_status` holds one row per household: the day it was computed for, the
status report as a versioned JSON document (`status_json`) and the scalar columns
the caseload filters and sorts on with SQL. `household_search` holds the words a
household is found by (its code, the parts of its code, the words of its name), so
the caseload's search is an index range scan instead of a scan of every name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Column, Date, Index, Integer, String, Text
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import CODE_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import ExactAmount


class HouseholdStatusRow(HhbTable, table=True):
    """One household's stored status report (see the module docstring).

    Every household has a row from the moment it is saved: until a status is
    computed for it (and after its inputs changed, until it is computed again) the
    row's `version` is `STALE` and only its name and ranks are of use. The ranks
    sort ascending, most urgent first, so each caseload order is one index."""

    __tablename__ = "household_status"
    __table_args__ = (
        Index("ix_household_status_urgency", "urgency_rank", "buffer_rank", "household"),
        Index("ix_household_status_buffer", "buffer_rank", "household"),
        Index("ix_household_status_name", "name", "household"),
        Index("ix_household_status_caseworker", "caseworker"),
        Index("ix_household_status_team", "team"),
    )

    household: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True))
    name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    # the household's, for "Mijn huishoudens" and "Mijn team" (kept with its name)
    caseworker: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    team: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    day: date = Field(sa_column=Column(Date, nullable=False))
    version: int = Field(sa_column=Column(Integer, nullable=False))
    document: str = Field(sa_column=Column(Text, nullable=False))
    # for the caseload: filtered and sorted by the database, not by decoding documents
    buffer_days: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    buffer_rank: int = Field(sa_column=Column(Integer, nullable=False))  # days; none: last
    urgency_rank: int = Field(sa_column=Column(Integer, nullable=False))  # 0 high .. 3 none
    signal_count: int = Field(sa_column=Column(Integer, nullable=False))
    signals: str = Field(sa_column=Column(Text, nullable=False))  # kind/severity/message/key
    leefgeld_rate: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    vat: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    ended: bool = Field(sa_column=Column(Boolean, nullable=False))


class HouseholdSearchRow(HhbTable, table=True):
    """A word household `household` is found by (lower case)."""

    __tablename__ = "household_search"

    token: str = Field(sa_column=Column(String(NAME_LENGTH), primary_key=True))
    household: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True, index=True))
