"""The night's work table (issue 22.2): batches of per-household work that workers claim.

Migration: ``0017_workers22``. One row per batch of a spread stage of one night:
`plan` batches name their households, `export` batches a pooled account and an
execution date (one pain.001 file). A worker claims a row with
``SELECT ... FOR UPDATE SKIP LOCKED`` and holds the row lock while it does the
batch; a worker that dies loses its connection, PostgreSQL drops the lock and
another worker claims the batch again (see `night_batch_repo`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, Integer, String
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import IBAN_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import UtcDateTime


class NightBatchRow(HhbTable, table=True):
    """One batch of a spread stage: open until a worker marks it done."""

    __tablename__ = "night_batch"

    night: date = Field(sa_column=Column(Date, primary_key=True))
    stage: str = Field(sa_column=Column(String(20), primary_key=True))
    batch: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    real_day: date = Field(sa_column=Column(Date, nullable=False))
    households: list[str] = Field(sa_column=Column(JSON, nullable=False))  # plan: their codes
    account: str = Field(sa_column=Column(String(IBAN_LENGTH), nullable=False))  # export
    execution_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    state: str = Field(sa_column=Column(String(10), nullable=False))  # open | done
    worker: str | None = Field(default=None, sa_column=Column(String(NAME_LENGTH)))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    done_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    result: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    problems: list[str] = Field(sa_column=Column(JSON, nullable=False))
