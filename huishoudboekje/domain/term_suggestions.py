"""Learn from staff: which terms would have matched a credit to the household staff chose.

When staff assign a suspense credit to a household's income, the description, the
structured reference and the payer's name usually hold what tells that household
apart (a toeslagnummer, a cliëntnummer, a name). `suggest_terms` offers those words
and numbers as terms for the income, and only those that

* no other household has: not in another household's income (its terms, payer name,
  kind or id), not its code or name, and not in the text of a credit booked to another
  household (`elsewhere`, the tokens the caller read from those credits); and
* really would have matched: `matching.HouseholdIndex` is run again with the term
  added to that income, and the credit must then be matched to exactly that
  household and income.

Numbers are compared as numbers: spaces, dots and leading zeros do not count
("0958.610.934" = "958610934"). A number is offered in its plain form when the
scoring finds it that way, else as written in the credit. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Household, IncomeStream
from huishoudboekje.domain.match_text import looks_like_date
from huishoudboekje.domain.matching import HouseholdIndex, MatchStatus

MIN_DIGITS = 5  # shorter numbers (a month, a year, a house number) identify nobody
MIN_LETTERS = 4  # shorter words are articles and abbreviations
MAX_SUGGESTIONS = 5
MAX_TERM_LENGTH = 100

_NUMBER = re.compile(r"\d+(?:[ .]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Token:
    """A candidate term: how it is compared (`key`) and the forms it may be taught in."""

    key: str  # casefolded word, or the digits without leading zeros
    forms: tuple[str, ...]  # plain first, then as written in the credit
    is_number: bool


def normalise(term: str) -> str:
    """The comparable form of a term: a number without spaces, dots and leading zeros;
    any other term casefolded and trimmed."""
    text = term.strip()
    if text and _NUMBER.fullmatch(text):
        digits = re.sub(r"[ .]", "", text).lstrip("0")
        return digits or "0"
    return text.casefold()


_NUMBER_ONLY = re.compile(r"[\d .\-/]+")
_PERIOD = re.compile(
    r"(?<!\d)(?:\d{1,2}[-/. ]\d{4}|\d{4}[-/. ]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)"
)
_YEAR = re.compile(r"(?<!\d)(?:19[9]\d|20\d\d|2100)(?!\d)")


def why_not_a_term(term: str) -> str | None:
    """Why `term` can never tell a household apart (a year, a period, a date, a number
    of fewer than `MIN_DIGITS` digits), in plain Dutch; None when it may."""
    text = " ".join(term.split())
    digits = "".join(c for c in text if c.isdigit())
    if _NUMBER_ONLY.fullmatch(text):  # a number: its digits tell ("0958.610.934" is fine)
        dated = bool(digits) and (
            looks_like_date(digits) or (("-" in text or "/" in text) and bool(_PERIOD.search(text)))
        )
    else:  # words with a period or a year in them ("zorgtoeslag 03-2026")
        dated = bool(_PERIOD.search(text) or _YEAR.search(text))
    if dated:
        return (
            f"De zoekterm {text!r} lijkt op een datum, periode of jaartal: die staat op "
            "de betalingen van veel huishoudens en verandert elke maand."
        )
    if _NUMBER_ONLY.fullmatch(text) and len(digits.lstrip("0")) < MIN_DIGITS:
        return (
            f"De zoekterm {text!r} is een getal van minder dan {MIN_DIGITS} cijfers "
            "(zoals een huisnummer of maand): dat herkent geen huishouden."
        )
    return None


def _number_runs(text: str) -> Iterable[str]:
    """Numbers as written: digit groups joined by single spaces or dots, where every
    group after the first has three digits ("0958.610.934", "958 610 934"); anything
    else starts a new number ("12 0958.610.934" is 12 and 0958.610.934)."""
    for found in _NUMBER.finditer(text):
        pieces = re.split(r"([ .])", found.group(0))
        run = pieces[0]
        for separator, group in zip(pieces[1::2], pieces[2::2], strict=True):
            if len(group) == 3:
                run += separator + group
            else:
                yield run
                run = group
        yield run


def _number_tokens(text: str) -> Iterable[Token]:
    for written in _number_runs(text):
        key = normalise(written)
        if len(key) >= MIN_DIGITS and not looks_like_date(key):
            yield Token(key, tuple(dict.fromkeys([key, written])), True)


def candidate_tokens(tx: BankTransaction) -> list[Token]:
    """Numbers and words of the description, structured reference and payer name,
    each once (by its comparable form), numbers first, in the order they appear."""
    texts = (tx.description, tx.structured_reference, tx.end_to_end_id, tx.counterparty_name)
    found: dict[str, Token] = {}
    for text in texts:
        for token in _number_tokens(text or ""):
            found.setdefault(token.key, token)
    for text in texts:
        for word in _WORD.findall(text or ""):
            if len(word) >= MIN_LETTERS:
                found.setdefault(word.casefold(), Token(word.casefold(), (word.casefold(),), False))
    return sorted(found.values(), key=lambda t: not t.is_number)


def text_keys(text: str) -> set[str]:
    """The comparable forms of every number and word in `text` (for `elsewhere`)."""
    keys = {t.key for t in _number_tokens(text)}
    keys.update(w.casefold() for w in _WORD.findall(text) if len(w) >= MIN_LETTERS)
    return keys


def occurs_in(tx: BankTransaction, term: str) -> bool:
    """True when `term` is in the credit's text: as written, or as the same number."""
    texts = (tx.description, tx.structured_reference, tx.end_to_end_id, tx.counterparty_name)
    if any(term.casefold() in (text or "").casefold() for text in texts):
        return True
    key = normalise(term)
    return any(key == t.key for t in candidate_tokens(tx))


def _stream_keys(household: Household, stream: IncomeStream) -> set[str]:
    keys = {normalise(t) for t in stream.terms if t}
    for text in (stream.payer_name, stream.id, stream.kind.value, *stream.terms):
        keys |= text_keys(text.replace("_", " ").replace("/", " "))
    return keys


def taken_elsewhere(households: Sequence[Household], code: str) -> set[str]:
    """Comparable forms that other households' incomes, codes or names already carry."""
    taken: set[str] = set()
    for household in households:
        if household.code == code:
            continue
        taken.add(normalise(household.code))
        taken |= text_keys(household.name)  # a name two families share tells neither apart
        for stream in household.incomes:
            taken |= _stream_keys(household, stream)
    return taken


def with_term(household: Household, income_id: str, term: str) -> Household:
    """`household` with `term` added to the terms of income `income_id`."""
    incomes = tuple(
        replace(s, terms=(*s.terms, term)) if s.id == income_id else s for s in household.incomes
    )
    return replace(household, incomes=incomes)


def would_match(
    tx: BankTransaction,
    households: Sequence[Household],
    code: str,
    income_id: str,
    term: str,
) -> bool:
    """True when, with `term` added to that income, the credit matches exactly it."""
    taught = [with_term(h, income_id, term) if h.code == code else h for h in households]
    result = HouseholdIndex(taught).match(tx)
    best = result.candidate
    return (
        result.status is MatchStatus.MATCHED
        and best is not None
        and (best.household, best.income_id) == (code, income_id)
    )


def suggest_terms(
    tx: BankTransaction,
    households: Sequence[Household],
    code: str,
    income_id: str,
    elsewhere: Iterable[str] = (),
) -> tuple[str, ...]:
    """The terms (at most `MAX_SUGGESTIONS`, numbers first) that would have matched `tx`
    to income `income_id` of household `code` and to nothing else; empty when none
    would (or the household or income is unknown)."""
    target = next((h for h in households if h.code == code), None)
    if target is None or income_id not in {s.id for s in target.incomes}:
        return ()
    own = {normalise(t) for s in target.incomes if s.id == income_id for t in s.terms}
    taken = taken_elsewhere(households, code) | set(elsewhere)
    out: list[str] = []
    for token in candidate_tokens(tx):
        if token.key in own or token.key in taken:
            continue
        form = next(
            (f for f in token.forms if would_match(tx, households, code, income_id, f)), None
        )
        if form is not None:
            out.append(form)
        if len(out) == MAX_SUGGESTIONS:
            break
    return tuple(out)
