"""Stages `match` and `reconcile`: decide every new transaction, one DB transaction each.

The work is `services.night_match` (credits scored against every income stream)
and `services.night_reconcile` (transactions about our own payments).
"""

from __future__ import annotations

from huishoudboekje.services.night_match import CreditMatchResult
from huishoudboekje.services.night_match import match_credits as match_new_credits
from huishoudboekje.services.night_reconcile import ReconcileResult
from huishoudboekje.services.night_reconcile import reconcile_debits as reconcile_new
from scheduler.context import NightContext


def match_credits(ctx: NightContext) -> CreditMatchResult:
    """Match every new credit that is not a return of one of our payments."""
    return match_new_credits(ctx)


def reconcile_debits(ctx: NightContext) -> ReconcileResult:
    """Settle, return or park every remaining new transaction."""
    return reconcile_new(ctx)
