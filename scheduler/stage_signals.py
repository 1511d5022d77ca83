"""Stage `signals`: age unmatched transactions and close signals whose condition is gone
(`services.night_signal_refresh`)."""

from __future__ import annotations

from huishoudboekje.services.night_signal_refresh import SignalRefreshResult
from huishoudboekje.services.night_signal_refresh import refresh_signals as refresh_stored
from scheduler.context import NightContext


def refresh_signals(ctx: NightContext) -> SignalRefreshResult:
    """Age and close signals; returns how many are open."""
    return refresh_stored(ctx)
