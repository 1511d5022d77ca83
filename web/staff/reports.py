"""Staff: the team dashboard (issue 21.1) at /medewerker/rapportage, for the
teamleider (approver) and admin, with its CSV download."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, render_template, request

from huishoudboekje.services.gemeente_scope import report_scope
from huishoudboekje.services.reports import (
    TeamReport,
    staff_team_of,
    team_report_of,
)
from huishoudboekje.services.reports_figures import parse_month
from huishoudboekje.services.reports_json import report_csv_rows
from huishoudboekje.services.reports_queries import Team
from huishoudboekje.services.user_accounts import Role
from web import access
from web.access import approvers_only
from web.report_charts import trend_charts
from web.staff import bp
from web.staff.need_to_know import my_scope


def _month(today: date) -> date:
    text = request.args.get("maand", "").strip()
    if not text:
        return today.replace(day=1)
    try:
        month = parse_month(text[:7])
    except ValueError:
        abort(400)
    if month > today:
        abort(400)
    return month


def _team() -> Team:
    """The team whose households the person sees: an admin all (None), a teamleider
    their own team; within the own gemeente (issue 22)."""
    identity = access.current()
    team = (
        None if identity.role is Role.ADMIN else staff_team_of(access.engine(), identity.username)
    )
    return report_scope(access.engine(), my_scope(), team)


def _report() -> TeamReport:
    today = access.settings().today()
    return team_report_of(access.engine(), _month(today), today, _team())


@bp.get("/rapportage")
@approvers_only
def reports() -> str:
    """The dashboard: charts of the trend with their tables, and this month's figures."""
    report = _report()
    return render_template("staff/reports.html", report=report, charts=trend_charts(report.trend))


@bp.get("/rapportage.csv")
@approvers_only
def reports_csv() -> Response:
    """The same figures as rows (figuur, maand, waarde) for a spreadsheet."""
    report = _report()
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(report_csv_rows(report))
    name = f"rapportage-{report.month:%Y-%m}" + (f"-{report.team}" if report.team else "")
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
