"""What a credit says, read the way a careful medewerker reads it.

A payer writes the same number many ways: "958610934", "0958.610.934",
"958 610 934", glued to a word ("TS958610934") or next to a period ("03-2026").
Numbers are therefore compared as numbers: runs of digits separated by single
dots or spaces are read as groups, and a configured number is found when some
consecutive groups together spell it, leading zeros aside. A number never
matches inside a longer one ("610934" is not in "958610934").

Words are compared case-insensitively as parts of the text (Dutch compounds:
"zorgtoeslag" is found in "zorgtoeslagen"); a term with digits in it ("TS-7781",
"HH-0001") must not touch another digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from huishoudboekje.domain.banking import BankTransaction

_RUN = re.compile(r"\d+(?:[ .]\d+)*")
_GROUP_SEPARATOR = re.compile(r"[ .]")
_NUMBER_TERM = re.compile(r"[\d .\-/]+")
MIN_NUMBER_DIGITS = 4  # a shorter number is a house number or a month, not a reference
MAX_GROUPS = 6  # groups joined at most: "0958 610 934" is three
REFERENCE_DIGITS = 6  # a group this long, or 3+ groups of 9+ digits, reads as a reference
REFERENCE_GROUPED_DIGITS = 9


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


YEARS = (1990, 2100)  # a number of four digits in this range reads as a year


@cache
def spelled_dates(digits: str) -> tuple[date, ...]:
    """The dates a number may spell (leading zeros stripped): a bare year (its 1
    January), ddmmyyyy, yyyymmdd, (m)myyyy or yyyymm (their first day), years in
    `YEARS` only."""
    digits = digits.lstrip("0")
    candidates: list[tuple[str, str, str]] = []
    if len(digits) == 4:
        candidates = [(digits, "1", "1")]
    elif len(digits) == 8:
        candidates = [(digits[4:], digits[2:4], digits[:2]), (digits[:4], digits[4:6], digits[6:])]
    elif len(digits) in (5, 6):  # (m)myyyy or yyyymm
        candidates = [(digits[-4:], digits[:-4], "1"), (digits[:4], digits[4:], "1")]
    out = []
    for year, month, day in candidates:
        if not YEARS[0] <= int(year) <= YEARS[1]:
            continue
        try:
            out.append(date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return tuple(out)


def looks_like_date(digits: str) -> bool:
    """A year, a period or a date, which changes every month or year and identifies nobody."""
    return bool(spelled_dates(digits))


NEAR_DAYS = 400  # a number spelling a date this close to the credit's date reads as that date


def number_key(text: str) -> str:
    """The digits of `text` without leading zeros ("0958.610.934" → "958610934")."""
    return _digits(text).lstrip("0") or "0"


Span = tuple[int, int, int]  # run, first group, end group


def _spans(run: str, index: int) -> dict[str, list[Span]]:
    """Every number that consecutive groups of a digit run spell (without leading zeros),
    with where: the run and its groups."""
    groups = _GROUP_SEPARATOR.split(run)
    out: dict[str, list[Span]] = {}
    for i in range(len(groups)):
        for j in range(i + 1, min(len(groups), i + MAX_GROUPS) + 1):
            out.setdefault("".join(groups[i:j]).lstrip("0") or "0", []).append((index, i, j))
    return out


def _spellings(run: str) -> set[str]:
    return set(_spans(run, 0))


def _reads_as_reference(run: str) -> bool:
    groups = _GROUP_SEPARATOR.split(run)
    longest = max(len(g) for g in groups)
    grouped = len(groups) >= 3 and sum(len(g) for g in groups) >= REFERENCE_GROUPED_DIGITS
    return longest >= REFERENCE_DIGITS or grouped


@dataclass(frozen=True, slots=True)
class CreditText:
    """A credit's text prepared once for all the terms it is compared with."""

    words: str  # description, betalingskenmerk, EndToEndId and payer name, casefolded
    numbers: dict[str, list[Span]]  # every number the text spells (see `_spans`), and where
    tokens: frozenset[str]  # whitespace-separated words, casefolded, punctuation stripped
    references: tuple[frozenset[str], ...]  # per reference-like number in the description

    def unexplained_reference(self, known: frozenset[str] | set[str]) -> bool:
        """Whether the description holds a reference-like number none of `known` spells."""
        return any(not (spellings & known) for spellings in self.references)

    def shadowed(self, key: str, others: set[str]) -> bool:
        """Whether number `key` only appears inside a longer number of `others`:
        "954976" in "861 954 976" is part of 861954976, not a reference of its own."""
        spans = self.numbers.get(key, [])
        wider = [s for other in others for s in self.numbers.get(other, [])]
        return bool(spans) and all(
            any(w[0] == s[0] and w[1] <= s[1] and s[2] <= w[2] and w != s for w in wider)
            for s in spans
        )


def credit_text(tx: BankTransaction) -> CreditText:
    """The text of `tx` as matching reads it. The betalingskenmerk (`CdtrRefInf`) and
    the payer's EndToEndId count as reference text besides the description."""
    parts = (tx.description, tx.structured_reference, tx.end_to_end_id, tx.counterparty_name)
    words = " ".join(" ".join(parts).split()).casefold()
    numbers: dict[str, list[Span]] = {}
    for index, run in enumerate(_RUN.findall(words)):
        for key, spans in _spans(run, index).items():
            numbers.setdefault(key, []).extend(spans)
    references = tuple(
        frozenset(_spellings(run))
        for run in _RUN.findall(tx.description)
        if _reads_as_reference(run)
    )
    tokens = frozenset(t.strip(".,;:()[]'\"") for t in words.split())
    return CreditText(words, numbers, tokens, references)


@dataclass(frozen=True, slots=True)
class Term:
    """A configured term (or the household's code, or an income's reference).

    `key` is what is compared: a number's digits without leading zeros, else the
    casefolded words. `strong` terms identify by nature (a number of 4+ digits, the
    household code, a configured reference); other words identify only when no other
    candidate has them. A number that reads as a year or a period ("2026", "03-2026",
    "12-2026") is never strong: it is on every credit of that month; a longer plain
    number that might be a date ("20260320") is strong but not `decisive` near it.
    """

    text: str
    key: str
    numeric: bool
    strong: bool
    bounded: bool = False  # a word with digits: no digit may touch it in the text
    digits: str = ""  # a word's number: the text must spell it for the word to be there

    @property
    def dated(self) -> bool:
        """A number that reads as a year, a period or a date."""
        return self.numeric and looks_like_date(self.key)

    def decisive(self, day: date) -> bool:
        """Strong enough to name a household on its own in a credit of `day`: a household
        code or a configured word, or a number as long as a reference that does not
        spell a date near `day` ("202206" is a personeelsnummer in 2026, "202603" is
        March 2026)."""
        if not self.numeric:
            return self.strong
        if not self.strong or len(self.key) < REFERENCE_DIGITS:
            return False
        return all(abs((d - day).days) > NEAR_DAYS for d in spelled_dates(self.key))

    def found_in(self, text: CreditText) -> bool:
        if self.numeric:
            return self.key in text.numbers
        if self.bounded:
            return self.digits in text.numbers and bounded_in(self.key, text.words)
        return self.key in text.words


def bounded_in(key: str, words: str) -> bool:
    """`key` occurs in `words` with no decimal digit right before or after it: what the
    regular expression `(?<!\\d)key(?!\\d)` finds, without compiling one per term (a
    household code is a term: 10,000 households compiled 10,000 expressions)."""
    start = words.find(key)
    while start >= 0:
        end = start + len(key)
        before = start > 0 and words[start - 1].isdecimal()
        after = end < len(words) and words[end].isdecimal()
        if not before and not after:
            return True
        start = words.find(key, start + 1)
    return False


def term(text: str, *, strong: bool = False) -> Term:
    """Prepare one configured term for matching."""
    clean = " ".join(text.split())
    digits = _digits(clean)
    if _NUMBER_TERM.fullmatch(clean) and len(digits) >= MIN_NUMBER_DIGITS:
        key = number_key(clean)
        dated = looks_like_date(key) and (
            len(key) < REFERENCE_DIGITS or "-" in clean or "/" in clean
        )
        return Term(clean, key, numeric=True, strong=not dated)
    key = clean.casefold()
    if digits:
        strong = strong or len(digits) >= MIN_NUMBER_DIGITS
        return Term(clean, key, False, strong, True, number_key(digits))
    return Term(clean, key, False, strong)
