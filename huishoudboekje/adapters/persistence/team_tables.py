"""Tables of the hand-over and of the household's answer (issue 19.4 and 19.7).

`household_handover`: a household moved from one medewerker (and team) to
another, with the note for the new medewerker and when they read it.
`household_proposal`: a staff change to a household's own fixed charges or
leefgeld that waits for the household's answer (or was made urgently), with the
household before and after as plain data, as four-eyes keeps them.

Migration: ``0013_team19``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, String, Text
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import CODE_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import UtcDateTime


class HandoverRow(HhbTable, table=True):
    """One hand-over of a household to another medewerker."""

    __tablename__ = "household_handover"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    from_user: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    to_user: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False, index=True))
    from_team: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    to_team: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False))
    by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))


class ProposalRow(HhbTable, table=True):
    """A proposed change the household is asked about (voorgestelde wijziging)."""

    __tablename__ = "household_proposal"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    lines: list[str] = Field(sa_column=Column(JSON, nullable=False))
    from_day: date = Field(sa_column=Column(Date, nullable=False))
    why: str = Field(sa_column=Column(Text, nullable=False))
    urgent: bool = Field(sa_column=Column(Boolean, nullable=False))
    before: Any = Field(sa_column=Column(JSON, nullable=False))
    after: Any = Field(sa_column=Column(JSON, nullable=False))
    proposed_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    proposed_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    needs_approval: bool = Field(sa_column=Column(Boolean, nullable=False))
    change_request: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    approved_by: str | None = Field(
        default=None, sa_column=Column(String(NAME_LENGTH), nullable=True)
    )
    answer: str | None = Field(default=None, sa_column=Column(String(20), nullable=True))
    answer_via: str | None = Field(default=None, sa_column=Column(String(30), nullable=True))
    answer_message: str = Field(default="", sa_column=Column(Text, nullable=False))
    answered_by: str | None = Field(
        default=None, sa_column=Column(String(NAME_LENGTH), nullable=True)
    )
    answered_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    applied_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
