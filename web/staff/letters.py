"""Staff: one household's letter by post as a PDF (issue 21.2), from its page; the
same letter `hhb letters` prints for the print room."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.letters import (
    NoAddressError,
    letters_pdf,
    month_letter_of,
    record_printed_of,
)
from huishoudboekje.services.reports_figures import parse_month
from web import access
from web.access import staff_only
from web.letters import letters_html
from web.staff import bp


def _month(today: date) -> date:
    """`?maand=2026-11`, or last month (the overview a letter usually tells about)."""
    text = request.args.get("maand", "").strip()
    if not text:
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    try:
        month = parse_month(text[:7])
    except ValueError:
        abort(400)
    if month > today:
        abort(400)
    return month


@bp.get("/huishouden/<code>/brief.pdf")
@staff_only
def household_letter(code: str) -> Response | BaseResponse:
    """The household's letter about a month, as a PDF download."""
    today = access.settings().today()
    month = _month(today)
    try:
        letter = month_letter_of(access.engine(), code, month, today)
    except UnknownHouseholdError:
        abort(404)
    except NoAddressError:
        flash("Dit huishouden heeft geen postadres. Vul het adres in om een brief te maken.")
        return redirect(url_for("staff.household", code=code))
    pdf = letters_pdf(letters_html([letter]))
    actor = access.current().username
    record_printed_of(access.engine(), [code], month, actor, access.settings().now())
    name = f"brief-{code}-{month:%Y-%m}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
