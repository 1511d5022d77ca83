"""Stage `report`: store the team dashboard's figures for the night's day
(`services.reports_store`), so the dashboard reads them instead of the journal."""

from __future__ import annotations

from huishoudboekje.services.reports_store import ReportStoreResult, store_report_night
from scheduler.context import NightContext


def store_report_figures(ctx: NightContext) -> ReportStoreResult:
    """Fold the journal up to now into the dashboard's stored figures."""
    return store_report_night(ctx)
