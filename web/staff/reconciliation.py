"""Staff (admins only): the daily reconciliation of the pooled account, /medewerker/afstemming.

The same figures as `hhb reconcile`: per day the statement's closing balance, the
ledger's bank account, the difference and its explanation. The page only looks
(a GET changes nothing): signals for unexplained differences are made by
`hhb reconcile` and the night's own balance check.
"""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request

from huishoudboekje.services.day_reconcile import reconcile_days
from web import access
from web.access import admin_only
from web.parsing import iso_day
from web.staff import bp
from web.staff.need_to_know import my_scope

DEFAULT_DAYS = 14  # what an admin looks at first: the last two weeks
MAX_PAGE_DAYS = 366  # one page shows at most a year


@bp.get("/afstemming")
@admin_only
def reconciliation() -> str:
    """Bank against ledger per day, with the explanation of every difference. In a
    regional installation the ledger's bank account is every gemeente's: only a
    regional beheerder reconciles it (issue 22)."""
    if not my_scope().regional:
        return render_template("staff/reconciliation_regional.html")
    today = access.settings().today()
    end = iso_day(request.args.get("tot", "")) or today
    start = iso_day(request.args.get("van", "")) or end - timedelta(days=DEFAULT_DAYS - 1)
    problem = ""
    if start > end:
        problem = "De begindatum ligt na de einddatum; de laatste twee weken staan hieronder."
        start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
    elif (end - start).days >= MAX_PAGE_DAYS:
        problem = "Hoogstens een jaar per keer; de periode is ingekort tot een jaar."
        start = end - timedelta(days=MAX_PAGE_DAYS - 1)
    report = reconcile_days(access.engine(), start, end, today=today)
    return render_template(
        "staff/reconciliation.html",
        report=report,
        days=list(reversed(report.days)),
        start=start,
        end=end,
        problem=problem,
    )
