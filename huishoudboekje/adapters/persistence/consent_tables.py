"""The consent table (issue 19.3): every consent recorded for a household, with its
history. A new consent is a new row; a withdrawn consent stays a row with
`withdrawn_on`, `withdrawn_by` and the reason. The newest row is the household's
consent. An uploaded signed document (PDF) is stored in the row; the privacy purge
empties `document` after the retention period and sets `document_removed_on`.

Migration: ``0012_intake19``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, Integer, LargeBinary, String, Text
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import CODE_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import UtcDateTime


class ConsentRow(HhbTable, table=True):
    """One recorded consent of a household."""

    __tablename__ = "household_consent"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    signed_on: date = Field(sa_column=Column(Date, nullable=False))
    signed_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    # {"incomes": [ids] | null, "charges": [ids] | null}; null: all of that kind
    scope: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    document_kind: str = Field(sa_column=Column(String(10), nullable=False))  # upload | paper
    document: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    document_name: str = Field(
        default="", sa_column=Column(String(NAME_LENGTH), nullable=False, server_default="")
    )
    document_size: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    document_removed_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    recorded_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    withdrawn_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    withdrawn_by: str | None = Field(
        default=None, sa_column=Column(String(NAME_LENGTH), nullable=True)
    )
    withdrawn_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
