"""Matching: which household and income stream does an incoming payment belong to?

Several households often receive money from the same payer, for the same amount
(the Belastingdienst pays the maximum zorgtoeslag to hundreds of them), so the
payer's IBAN and the amount rarely decide; the reference in the description does.
The candidates for a credit are the income streams of its payer near its amount,
plus every stream whose reference or household code the credit names
(`match_index.HouseholdIndex`). Among those:

1. Each configured term counts on its own, weighted by how many candidate
   households share it (in the spirit of IDF, learned from the data, no word
   lists): a term only one candidate has identifies that household; a word many
   share ("uitkering") adds little. Numbers, the household's code and an income's
   `reference` identify by nature (`match_text`). A description that names one
   household's identifying term counts against every other candidate.
2. Exactly one household named → matched to its best income, unless the amount is
   far outside every margin of that household (suspense, said in the reason).
   Two households named → suspense: a wrong match is worse than a suspense item.
3. Nobody named → matched only when IBAN, amount and date leave a single
   household, and the description holds no reference nobody has; else suspense.

Two guards against a wrong match from a lopsided configuration: a word only one
household has configured names it only when every other household that payer,
amount and date fit has an identifying term of its own (else it may simply have no
terms, and the word be on its credits too); and a short number (a dossier or house
number, a year) counts as such a word, not as a reference: it never decides from
another payer, nor against a reference-like number in the description that no
candidate has (someone else's kenmerk).

An income with `match: all` is a candidate only when every one of its terms appears.
Reasons stay plain Dutch. A credit matched to an income that has ended is still
matched; `ended_before` tells whether it came after the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import IncomeStream
from huishoudboekje.domain.match_options import Option, amount_fit, plausible_date
from huishoudboekje.domain.match_result import Candidate, MatchResult, MatchStatus
from huishoudboekje.domain.match_text import CreditText, Term
from huishoudboekje.domain.money import Money

MATCH_THRESHOLD = 60  # a candidate needs at least this score
EARLY_DAYS = 7  # an income may arrive this many days before its date
SPECIFIC_POINTS = 50  # a reference, code or number that only this household has
UNIQUE_WORD_POINTS = 35  # a word no other candidate has
SHARED_WORD_POINTS = 25  # divided by how many candidate households share the word
AGAINST_POINTS = 60  # the description names another household's identifying term
CLOSE_CALL = 5  # eligible households beyond which the date is not looked at


def _expected_near(stream: IncomeStream, day: date) -> bool:
    lo = day - timedelta(days=stream.window_days + 3)
    hi = day + timedelta(days=EARLY_DAYS)
    return bool(stream.schedule.between(lo, hi))


@dataclass
class Evidence:
    """Which terms a credit holds, and how many candidate households share each."""

    text: CreditText
    found: dict[str, bool]
    holders: dict[str, set[str]]

    def has(self, term: Term) -> bool:
        known = self.found.get(term.key)
        if known is None:
            known = self.found[term.key] = term.found_in(self.text)
        return known


def evidence(text: CreditText, options: Sequence[Option]) -> Evidence:
    """Count, per found term, the candidate households that have it."""
    found: dict[str, bool] = {}
    holders: dict[str, set[str]] = {}
    proof = Evidence(text, found, holders)
    for option in options:
        for t in option.terms:
            if proof.has(t):
                holders.setdefault(t.key, set()).add(option.household.code)
    return proof


def score(
    tx: BankTransaction,
    option: Option,
    proof: Evidence,
    named: frozenset[str] = frozenset(),
    keys: frozenset[str] = frozenset(),
) -> Candidate:
    """How well `tx` fits this income stream, and why (plain Dutch)."""
    household, stream = option.household, option.stream
    points, reasons = 0, []
    if option.iban_fits(tx):
        points += 40
        reasons.append("IBAN betaler klopt")
    for t in option.terms:
        if not proof.has(t):
            continue
        sharing = len(proof.holders.get(t.key, ())) or 1
        if t.key in keys and household.code in named:
            sharing = 1
        if sharing == 1 and t.strong:
            points += SPECIFIC_POINTS
            reasons.append(f"kenmerk {t.text!r} hoort alleen bij dit huishouden")
        elif sharing == 1:
            points += UNIQUE_WORD_POINTS
            reasons.append(f"omschrijving bevat {t.text!r} (geen andere kandidaat heeft dit)")
        else:
            points += max(1, SHARED_WORD_POINTS // sharing)
            reasons.append(f"omschrijving bevat {t.text!r} (ook bij {sharing - 1} andere)")
    if option.payer_name_fits(tx, proof.text):
        points += 10
        reasons.append("naam betaler klopt")
    fit = option.fit(tx.amount)
    points += {"binnen": 20, "iets": 5, "buiten": -10, "ver": -10}[fit]
    reasons.append(
        {
            "binnen": "bedrag binnen marge",
            "iets": "bedrag iets buiten marge",
            "buiten": "bedrag wijkt sterk af",
            "ver": "bedrag wijkt sterk af",
        }[fit]
    )
    if _expected_near(stream, tx.booking_date):
        points += 10
        reasons.append("datum verwacht")
    if not household.is_active_on(tx.booking_date):
        points -= 50
        reasons.append("huishouden neemt niet deel op deze datum")
    others = sorted(named - {household.code})
    if others:
        points -= AGAINST_POINTS
        reasons.append(f"omschrijving noemt een kenmerk van {', '.join(others)}")
    return Candidate(household.code, stream.id, points, tuple(reasons))


def _ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (-c.score, c.household, c.income_id))


def _rivals(ranked: list[Candidate], best: Candidate) -> tuple[Candidate, ...]:
    return tuple(c for c in ranked if c.household != best.household)[:3]


def _euro(amount: Money) -> str:
    return f"€ {amount}".replace(".", ",")


References = dict[str, list[tuple[Term, Option]]]  # household → its references found


def _references(tx: BankTransaction, proof: Evidence, options: Sequence[Option]) -> References:
    """The households whose reference, number or code the credit names (a `decisive`
    term: a short number or one that may be a date names nobody here; it counts as a
    word, `_unique_words`). A number that is
    only part of a longer number found is not counted; when several households are
    named, those whose own payer paid go first (the same number at another payer
    is a coincidence)."""
    found: References = {}
    for option in options:
        for t in option.terms:
            if t.decisive(tx.booking_date) and proof.has(t):
                found.setdefault(option.household.code, []).append((t, option))
    numbers = {t.key for pairs in found.values() for t, _ in pairs if t.numeric}
    kept: References = {}
    for code, pairs in found.items():
        own = [(t, o) for t, o in pairs if not (t.numeric and proof.text.shadowed(t.key, numbers))]
        if own:
            kept[code] = own
    if len(kept) >= 2:
        paying = {
            code: pairs
            for code, pairs in kept.items()
            if any(o.payer_fits(tx, proof.text) for _, o in pairs)
        }
        kept = paying or kept
    return kept


def _unique_words(
    tx: BankTransaction, proof: Evidence, options: Sequence[Option]
) -> tuple[References, str]:
    """Households named by a word (or a short number) no other candidate has (from
    their own payer), and why that was not enough. A plain word decides only when every
    other household that payer, amount and date fit could have been recognised another
    way: it has an
    identifying term of its own (a number, a reference) that this credit lacks. A
    household without such a term may get the very same word on its credits; "geen
    andere kandidaat heeft dit" then only means it has no terms configured."""
    found: References = {}
    for option in options:
        if not option.payer_fits(tx, proof.text):
            continue
        for t in option.terms:
            if (
                not t.decisive(tx.booking_date)
                and not t.dated
                and proof.has(t)
                and proof.holders.get(t.key) == {option.household.code}
            ):
                found.setdefault(option.household.code, []).append((t, option))
    if not found:
        return found, ""
    day = tx.booking_date
    fitting = [
        o
        for o in options
        if o.payer_fits(tx, proof.text)
        and o.fit(tx.amount) in ("binnen", "iets")
        and o.household.is_active_on(day)
        and plausible_date(o.stream, day)
    ]
    kept: References = {}
    notes = []
    for code, pairs in found.items():
        blind = sorted(
            {
                o.household.code
                for o in fitting
                if o.household.code != code and not _recognisable(o, proof)
            }
        )
        if not blind:
            kept[code] = pairs
            continue
        shown = ", ".join(blind[:3]) + (f" en {len(blind) - 3} meer" if len(blind) > 3 else "")
        notes.append(
            f"omschrijving bevat {pairs[0][0].text!r} van {code}, maar {shown} "
            "heeft geen eigen kenmerk en past ook op betaler, bedrag en datum"
        )
    return kept, "; ".join(notes)


def _recognisable(option: Option, proof: Evidence) -> bool:
    """Whether the option's own credits could be told apart by something else than a
    word: it has a configured identifying term (not its code) that this credit lacks."""
    code = option.household.code.casefold()
    return any(t.strong and t.key != code and not proof.has(t) for t in option.terms)


def decide(tx: BankTransaction, text: CreditText, options: Sequence[Option]) -> MatchResult:
    """Match one credit among its candidate income streams (see the module docstring)."""
    open_options = [o for o in options if o.terms_complete(text)]
    proof = evidence(text, open_options)
    named = _references(tx, proof, options)
    closed = sorted(set(named) - {o.household.code for o in open_options})
    if len(named) == 1 and closed:
        why = f"kenmerk van {closed[0]} gevonden, maar niet elk woord dat het inkomen vraagt"
        return MatchResult(MatchStatus.UNMATCHED, None, (), why)
    by_reference = bool(named)
    unexplained = text.unexplained_reference(option_keys(options))
    foreign = not named and unexplained
    note = ""
    if not named and not foreign:
        named, note = _unique_words(tx, proof, open_options)
    codes = frozenset(named)
    keys = frozenset(t.key for pairs in named.values() for t, _ in pairs)
    if len(codes) >= 2:
        ranked = _scored(tx, open_options, proof, codes, keys, codes)
        return _ambiguous(ranked, codes, named)
    if len(codes) == 1:
        ranked = _scored(tx, open_options, proof, codes, keys, codes)
        return _named(tx, ranked, next(iter(codes)), open_options, by_reference)
    if foreign:
        ranked = _scored(tx, open_options, proof, codes, keys, frozenset())
        why = "omschrijving noemt een onbekend kenmerk dat bij geen huishouden hoort"
        return MatchResult(MatchStatus.UNMATCHED, ranked[0] if ranked else None, (), why)
    return _by_payer_amount_and_date(tx, proof, open_options, note)


RIVALS_SCORED = 6  # besides the named households, this many other candidates are scored


def _scored(
    tx: BankTransaction,
    options: Sequence[Option],
    proof: Evidence,
    named: frozenset[str],
    keys: frozenset[str],
    first: frozenset[str],
) -> list[Candidate]:
    """Scores of the streams of the households in `first` and of a few others (for the
    runners-up staff see), best first."""
    chosen = [o for o in options if o.household.code in first]
    chosen += [o for o in options if o.household.code not in first][:RIVALS_SCORED]
    return _ranked(score(tx, o, proof, named, keys) for o in chosen)


def option_keys(options: Sequence[Option]) -> set[str]:
    return {t.key for o in options for t in o.terms if t.numeric}


def _ambiguous(ranked: list[Candidate], named: frozenset[str], terms: References) -> MatchResult:
    listed = ", ".join(f"{code} ({terms[code][0][0].text!r})" for code in sorted(named))
    why = f"omschrijving noemt kenmerken van meer huishoudens: {listed}"
    best = next((c for c in ranked if c.household in named), None)
    if best is None:
        return MatchResult(MatchStatus.AMBIGUOUS, None, (), why)
    rivals = tuple(c for c in ranked if c.household in named and c.household != best.household)
    return MatchResult(MatchStatus.AMBIGUOUS, best, rivals[:3], why)


def _named(
    tx: BankTransaction,
    ranked: list[Candidate],
    code: str,
    options: Sequence[Option],
    by_reference: bool,
) -> MatchResult:
    best = _closest(tx, [c for c in ranked if c.household == code], options)
    rivals = _rivals(ranked, best)
    household = next(o.household for o in options if o.household.code == code)
    if all(amount_fit(s, tx.amount) == "ver" for s in household.incomes):
        expected = ", ".join(_euro(s.amount) for s in household.incomes)
        why = (
            f"kenmerk van {code} gevonden, maar bedrag {_euro(tx.amount)} wijkt ver af "
            f"van elk verwacht inkomen ({expected}); controleer"
        )
        return MatchResult(MatchStatus.UNMATCHED, best, rivals, why)
    day = tx.booking_date
    # after the participation ends, money still comes in (afwikkeling): only a
    # reference or code tells it is the household's, not a word
    taking_part = household.is_active_on(day) or (by_reference and household.is_planned_on(day))
    if best.score < MATCH_THRESHOLD or not taking_part:
        return MatchResult(MatchStatus.UNMATCHED, best, rivals)
    return MatchResult(MatchStatus.MATCHED, best, rivals)


def _closest(tx: BankTransaction, own: list[Candidate], options: Sequence[Option]) -> Candidate:
    """The household's best income; among incomes with the same score, the one whose
    amount is closest (zorgtoeslag € 262 and huurtoeslag € 250 from one payer)."""
    tied = [c for c in own if c.score == own[0].score]
    if len(tied) == 1:
        return own[0]
    code = own[0].household
    off = {
        o.stream.id: abs((o.stream.amount - tx.amount).amount)
        for o in options
        if o.household.code == code
    }
    return min(tied, key=lambda c: (off.get(c.income_id, Decimal(0)), c.income_id))


def _by_payer_amount_and_date(
    tx: BankTransaction, proof: Evidence, options: Sequence[Option], note: str = ""
) -> MatchResult:
    """No term tells the households apart: match only when IBAN, amount and date leave one."""
    fitting = [
        o
        for o in options
        if o.payer_fits(tx, proof.text)
        and o.fit(tx.amount) in ("binnen", "iets")
        and o.household.is_active_on(tx.booking_date)
    ]
    if len({o.household.code for o in fitting}) <= CLOSE_CALL:
        fitting = [o for o in fitting if plausible_date(o.stream, tx.booking_date)]
    households = frozenset(o.household.code for o in fitting)
    if not households:
        ranked = _scored(tx, options, proof, frozenset(), frozenset(), frozenset())
        best = ranked[0] if ranked else None
        return MatchResult(MatchStatus.UNMATCHED, best, tuple(ranked[1:4]))
    ranked = _scored(tx, fitting, proof, frozenset(), frozenset(), households)
    best = ranked[0]
    if len(households) > 1:
        rivals = tuple(c for c in ranked if c.household != best.household)
        why = f"geen kenmerk in de omschrijving en {len(households)} huishoudens passen"
        if note:
            why = f"{note}; {len(households)} huishoudens passen"
        return MatchResult(MatchStatus.AMBIGUOUS, best, rivals[:3], why)
    rivals = _rivals(_scored(tx, options, proof, frozenset(), frozenset(), households), best)
    if best.score < MATCH_THRESHOLD:
        return MatchResult(MatchStatus.UNMATCHED, best, rivals, note)
    return MatchResult(MatchStatus.MATCHED, best, rivals, note)
