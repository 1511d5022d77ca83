"""Tables of the exit and hand-over (issue 19.6): an exit started for a household
(a withdrawn consent, or staff ending the participation) and the checklist items
staff ticked. Items the data shows done are not stored: they are computed.

Migration: ``0009_exit19``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, String, Text
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import CODE_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import UtcDateTime

ITEM_LENGTH = 100  # "income:<id>", "charge:<id>", "buffer", "advance", "overview"


class ExitRow(HhbTable, table=True):
    """The exit of one household: its last day of participation and why."""

    __tablename__ = "household_exit"

    household: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True))
    last_day: date = Field(sa_column=Column(Date, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    started_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    started_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class ExitCheckRow(HhbTable, table=True):
    """One checklist item a staff member ticked by hand."""

    __tablename__ = "household_exit_check"

    household: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True))
    item: str = Field(sa_column=Column(String(ITEM_LENGTH), primary_key=True))
    done_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    done_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False))
