"""Staff teach the matching a term: the words and numbers that tell a household apart.

When staff assign a suspense credit to an income, `suggestions` says which terms
would have matched it to exactly that household and income (the pure rule is
`domain.term_suggestions`). Adding one (`add_term`) changes no money rule: no
amount, no IBAN, no date. So it needs no four-eyes: it is saved at once, on
purpose not through `rule_changes.propose_household`, and audit-logged as
``income.term.add`` with who, when and what (the term and the credit it came from).
None of these commit; the caller's use case does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import col, select

from huishoudboekje.adapters.persistence import load_households, record_audit, save_household
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.adapters.persistence.transaction_repo import to_transaction
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.term_suggestions import (
    MAX_TERM_LENGTH,
    normalise,
    occurs_in,
    suggest_terms,
    taken_elsewhere,
    text_keys,
    why_not_a_term,
    with_term,
    would_match,
)
from huishoudboekje.services.errors import UserError

LOOK_BACK = timedelta(days=190)  # other households' credits from the same payer this far back
NO_FOUR_EYES = "geen vier-ogen: een zoekterm verandert geen geldregel"


class TermError(UserError, ValueError):
    """A term that cannot be added (empty, too long, already there, not telling apart)."""


def elsewhere(uow: UnitOfWork, tx: BankTransaction, code: str) -> set[str]:
    """The words and numbers in credits from the same payer booked to other households
    (matched or assigned): a term found there would not tell `code` apart."""
    statement = select(
        BankTransactionRow.description,
        BankTransactionRow.structured_reference,
        BankTransactionRow.counterparty_name,
    ).where(
        col(BankTransactionRow.counterparty_iban) == tx.counterparty_iban,
        col(BankTransactionRow.household).is_not(None),
        col(BankTransactionRow.household) != code,
        col(BankTransactionRow.amount) > Decimal(0),
        col(BankTransactionRow.booking_date) >= tx.booking_date - LOOK_BACK,
    )
    keys: set[str] = set()
    for texts in uow.session.exec(statement):
        for text in texts:
            keys |= text_keys(text or "")
    return keys


def suggestions(
    uow: UnitOfWork, row: BankTransactionRow, code: str, income_id: str
) -> tuple[str, ...]:
    """Terms that would have matched the credit `row` to that household and income only."""
    tx = to_transaction(row)
    return suggest_terms(tx, load_households(uow), code, income_id, elsewhere(uow, tx, code))


def checked_term(term: str) -> str:
    """The term without surrounding spaces; `TermError` when empty, too long, or a term
    that identifies nobody (a year, a period, a date, a number shorter than 5 digits)."""
    term = " ".join(term.split())
    if not term:
        raise TermError("Geef een zoekterm op.")
    if len(term) > MAX_TERM_LENGTH:
        raise TermError(f"Een zoekterm is hoogstens {MAX_TERM_LENGTH} tekens.")
    refused = why_not_a_term(term)
    if refused is not None:
        raise TermError(refused)
    return term


def _verified(
    uow: UnitOfWork,
    row: BankTransactionRow,
    households: tuple[Household, ...],
    code: str,
    income_id: str,
    term: str,
) -> None:
    """`TermError` unless `term` tells this credit apart for that household and income."""
    tx = to_transaction(row)
    if not occurs_in(tx, term):
        raise TermError(f"De zoekterm {term!r} komt niet voor in deze betaling.")
    key = normalise(term)
    if key in taken_elsewhere(households, code) or key in elsewhere(uow, tx, code):
        raise TermError(f"De zoekterm {term!r} komt ook bij een ander huishouden voor.")
    if not would_match(tx, households, code, income_id, term):
        raise TermError(
            f"Met de zoekterm {term!r} zou deze betaling niet vanzelf bij {code} "
            f"({income_id}) horen."
        )


def add_term(
    uow: UnitOfWork,
    row: BankTransactionRow,
    code: str,
    income_id: str,
    term: str,
    *,
    actor: str,
    now: datetime | None,
) -> str:
    """Add `term` to income `income_id` of `code`, learned from the credit `row`: checked
    to match that credit to exactly this income, saved at once (no four-eyes) and
    audit-logged. Not committed. Returns the term as stored."""
    term = checked_term(term)
    households = load_households(uow)
    household = next((h for h in households if h.code == code), None)
    stream = (
        None
        if household is None
        else next((s for s in household.incomes if s.id == income_id), None)
    )
    if household is None or stream is None:
        raise TermError(f"{code} heeft geen inkomstenbron {income_id}.")
    if normalise(term) in {normalise(t) for t in stream.terms}:
        raise TermError(f"De zoekterm {term!r} staat al bij {code} ({income_id}).")
    _verified(uow, row, households, code, income_id, term)
    save_household(uow, with_term(household, income_id, term), at=now)
    record_audit(
        uow,
        actor=actor,
        action="income.term.add",
        object_type="household",
        object_id=code,
        before={"income": income_id, "terms": list(stream.terms)},
        after={
            "income": income_id,
            "terms": [*stream.terms, term],
            "term": term,
            "learned_from": row.dedupe_key,
            "four_eyes": NO_FOUR_EYES,
        },
        at=now,
    )
    return term
