"""Tables of the privacy controls (issue 20): the view log (inzage-log).

Kept apart from `tables.py` so the privacy schema (migration 0011) is one module;
every class still derives from `HhbTable`, so Alembic sees one metadata.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Integer, String, Text
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import CODE_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import UtcDateTime


class ViewLogRow(HhbTable, table=True):
    """One read of a household's data by staff: who, when, what, why.

    Append-only: the code has no update or delete for it, and on PostgreSQL a
    trigger (migration 0011) refuses both."""

    __tablename__ = "view_log"
    __table_args__ = (
        Index("ix_view_log_household_at", "household", "at"),
        Index("ix_view_log_actor_at", "actor", "at"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False, index=True))
    actor: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    role: str = Field(sa_column=Column(String(30), nullable=False))
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False))
    what: str = Field(sa_column=Column(String(300), nullable=False))
    via: str = Field(sa_column=Column(String(10), nullable=False))  # web, cli
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
