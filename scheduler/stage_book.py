"""Stage `book`: one journal entry per decided transaction, in one DB transaction,
then the bank balance check (`services.night_book`)."""

from __future__ import annotations

from huishoudboekje.services.night_book import BookResult
from huishoudboekje.services.night_book import book_transactions as book_decided
from scheduler.context import NightContext


def book_transactions(ctx: NightContext) -> BookResult:
    """Book every decided, unbooked transaction; then check the bank balance."""
    return book_decided(ctx)
