"""Which changes to a household need a second pair of eyes (four-eyes), and why.

A pure rule over two versions of a household: a new household; a new payee IBAN
(a charge paid to an account not paid before, or a new own IBAN for leefgeld);
an amount changed by more than the threshold (charges, incomes, fixed leefgeld,
buffer target); a raised advance limit; ending a fixed charge or an income whose
amount is above the threshold (from then on the amount is zero, so it is judged
like an amount change); moving an existing end date of a charge, income or
reserve earlier; pauses, temporary amounts and totals of charges
(`services.window_changes`). Each reason is one Dutch line that staff read.
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.dutch_text import MONTHS_NL, eur
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.money import Money
from huishoudboekje.services.rule_editing import rule_end
from huishoudboekje.services.window_changes import window_reasons

DEFAULT_THRESHOLD = Money("25.00")


def _amounts(household: Household) -> dict[str, Money]:
    out: dict[str, Money] = {f"vaste last {c.id}": c.amount for c in household.charges}
    out.update({f"inkomen {i.id}": i.amount for i in household.incomes})
    out["buffer"] = household.buffer.target
    if household.leefgeld.amount is not None:
        out["vast leefgeld"] = household.leefgeld.amount
    return out


def _day(day: date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def _ends(household: Household) -> dict[str, tuple[date | None, Money | None]]:
    """End date and amount (None for a reserve) of every rule, by label."""
    out: dict[str, tuple[date | None, Money | None]] = {
        f"vaste last {c.id}": (rule_end(c), c.amount) for c in household.charges
    }
    out.update({f"inkomen {i.id}": (rule_end(i), i.amount) for i in household.incomes})
    out.update({f"reservering {r.id}": (rule_end(r), None) for r in household.reserves})
    return out


def _end_reasons(before: Household, after: Household, threshold: Money) -> list[str]:
    """Ending a charge or income above the threshold; any end date moved earlier."""
    reasons: list[str] = []
    old = _ends(before)
    for label, (end, amount) in _ends(after).items():
        if label not in old or end is None:
            continue
        previous, _ = old[label]
        if previous is None and amount is not None and amount > threshold:
            reasons.append(
                f"{label} ({eur(amount)}, meer dan {eur(threshold)}) "
                f"beëindigd: tot en met {_day(end)}"
            )
        elif previous is not None and end < previous:
            reasons.append(f"einddatum {label} vervroegd: {_day(previous)} → {_day(end)}")
    return reasons


def four_eyes_reasons(
    before: Household | None, after: Household, threshold: Money = DEFAULT_THRESHOLD
) -> list[str]:
    """Why this change needs a second staff member (empty: it does not)."""
    if before is None:
        return ["nieuw huishouden"]
    reasons: list[str] = []
    if after.iban != before.iban:
        reasons.append(f"nieuwe IBAN voor leefgeld: {after.iban}")
    known = {c.payee_iban for c in before.charges}
    reasons.extend(
        f"nieuwe IBAN ontvanger bij {c.id}: {c.payee_iban}"
        for c in after.charges
        if c.payee_iban not in known
    )
    old = _amounts(before)
    for label, amount in _amounts(after).items():
        previous = old.get(label)
        if previous is not None and abs(amount - previous) > threshold:
            reasons.append(f"{label}: {eur(previous)} → {eur(amount)} (meer dan {eur(threshold)})")
    reasons.extend(_end_reasons(before, after, threshold))
    reasons.extend(window_reasons(before, after, threshold))  # pauses, temporary, totals
    if after.buffer.advance_limit > before.buffer.advance_limit:
        reasons.append(
            f"voorschotlimiet omhoog: {eur(before.buffer.advance_limit)} → "
            f"{eur(after.buffer.advance_limit)}"
        )
    return reasons
