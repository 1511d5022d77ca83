"""The team dashboard as plain data: `hhb report --json` and the CSV download
(`report_as_json`, `report_csv_rows`). Amounts are strings with two decimals."""

from __future__ import annotations

from typing import Any

from huishoudboekje.services.reports import MonthTrend, TeamReport
from huishoudboekje.services.reports_figures import Ageing


def report_as_json(report: TeamReport) -> dict[str, Any]:
    """The report as plain JSON data: amounts as strings with two decimals."""

    def ageing_json(a: Ageing) -> dict[str, Any]:
        return {
            "count": a.count,
            "total": str(a.total),
            "buckets": dict(a.buckets),
            "oldest_days": a.oldest_days,
        }

    return {
        "month": f"{report.month:%Y-%m}",
        "as_of": report.as_of.isoformat(),
        "team": report.team,
        "households": {
            "active": report.current.active,
            "starting": report.current.starting,
            "ending": report.current.ending,
        },
        "pool": {
            "in_vats_and_reserves": str(report.current.in_pool),
            "ledger_bank": str(report.ledger_bank),
            "bank_closing": None if report.bank_closing is None else str(report.bank_closing),
            "bank_closing_day": (
                None if report.bank_closing_day is None else report.bank_closing_day.isoformat()
            ),
            "difference": (None if report.bank_difference is None else str(report.bank_difference)),
        },
        "advances": ageing_json(report.advances),
        "buffers": {
            "households": report.buffers_measured,
            "below_target": report.buffers_below_target,
            "days_median": report.buffer_days_median,
            "days_lowest_10_percent": report.buffer_days_p10,
        },
        "late_incomes": [
            {"payer": p.payer, "count": p.count, "median_days_late": p.median_days_late}
            for p in report.late_payers
        ],
        "held_back_charges": report.current.held_back,
        "suspense": ageing_json(report.suspense),
        "signals": {
            "opened": report.current.signals_opened,
            "closed": report.current.signals_closed,
            "median_days_to_close": report.median_days_to_close,
        },
        "leefgeld": {
            "households_paid": report.leefgeld_households,
            "households_changed": report.leefgeld_changed,
            "changes": report.leefgeld_changes,
        },
        "trend": [_trend_json(t) for t in report.trend],
    }


def _trend_json(t: MonthTrend) -> dict[str, Any]:
    return {
        "month": f"{t.month:%Y-%m}",
        "active": t.active,
        "starting": t.starting,
        "ending": t.ending,
        "in_vats_and_reserves": str(t.in_pool),
        "advances": str(t.advances),
        "suspense": str(t.suspense),
        "signals_opened": t.signals_opened,
        "signals_closed": t.signals_closed,
        "held_back_charges": t.held_back,
        "late_incomes": t.late_incomes,
    }


TREND_FIGURES = (
    ("huishoudens actief", "active"),
    ("huishoudens gestart", "starting"),
    ("huishoudens gestopt", "ending"),
    ("in vaten en reserveringen", "in_pool"),
    ("voorschotten uitstaand", "advances"),
    ("tussenrekening", "suspense"),
    ("signalen geopend", "signals_opened"),
    ("signalen gesloten", "signals_closed"),
    ("betalingen achtergehouden", "held_back"),
    ("inkomens te laat", "late_incomes"),
)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def report_csv_rows(report: TeamReport) -> list[tuple[str, str, str]]:
    """The dashboard as rows (figure, month, value): every trend figure per month,
    then the figures of the report month alone. Amounts with a decimal point."""
    rows: list[tuple[str, str, str]] = [("figuur", "maand", "waarde")]
    for label, attribute in TREND_FIGURES:
        for t in report.trend:
            rows.append((label, f"{t.month:%Y-%m}", _cell(getattr(t, attribute))))
    month = f"{report.month:%Y-%m}"
    singles: list[tuple[str, object]] = [
        ("bank volgens grootboek", report.ledger_bank),
        ("bank volgens laatste afschrift", report.bank_closing),
        ("verschil bank en grootboek", report.bank_difference),
        ("voorschotten aantal", report.advances.count),
        ("voorschotten bedrag", report.advances.total),
        *((f"voorschotten {label} dagen", n) for label, n in report.advances.buckets),
        ("buffers gemeten", report.buffers_measured),
        ("buffers onder doel", report.buffers_below_target),
        ("bufferdagen mediaan", report.buffer_days_median),
        ("bufferdagen laagste 10%", report.buffer_days_p10),
        *((f"te laat: {p.payer} (aantal)", p.count) for p in report.late_payers),
        *((f"te laat: {p.payer} (mediaan dagen)", p.median_days_late) for p in report.late_payers),
        ("tussenrekening aantal", report.suspense.count),
        ("tussenrekening bedrag", report.suspense.total),
        *((f"tussenrekening {label} dagen", n) for label, n in report.suspense.buckets),
        ("signalen mediaan dagen tot gesloten", report.median_days_to_close),
        ("leefgeld: huishoudens betaald", report.leefgeld_households),
        ("leefgeld: huishoudens met wijziging", report.leefgeld_changed),
        ("leefgeld: wijzigingen", report.leefgeld_changes),
    ]
    rows.extend((label, month, _cell(value)) for label, value in singles)
    return rows
