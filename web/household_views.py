"""Blueprint `household`: what a household sees about its own money.

Every view shows the household of the logged-in identity; no view takes a
household code from the URL, so one household can never ask for another's data.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.household import Cadence, Household
from huishoudboekje.domain.leefgeld import cadence_of
from huishoudboekje.domain.planner import Difference
from huishoudboekje.services.household_actions import requests_with_payments, send_request
from huishoudboekje.services.household_requests import REQUEST_KINDS, STATUS_NL, RequestError
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.night_worklists import HouseholdPayment, household_payments
from huishoudboekje.services.overview import (
    CHARGE_KIND,
    HISTORY_DAYS,
    HouseholdView,
    household_view,
    month_bounds,
    month_overview,
    payment_days,
)
from huishoudboekje.services.overview import paid_charges as paid_charges_of
from web import access
from web.access import household_only
from web.charts import buffer_chart
from web.parsing import amount_of, month_of
from web.sentences import (
    KIND_NL,
    difference_sentence,
    leefgeld_sentence,
    paid_sentence,
    payment_sentence,
    per_day,
    report_sentences,
)

bp = Blueprint("household", __name__)
PAID_DAYS = 92
PAID_TODAY_DAYS = 40  # Vandaag mentions a charge paid in about the last month
MONTHS_SHOWN = 6


def _code() -> str:
    code = access.current().household
    if code is None:
        abort(403)
    return code


def _view(days: int | None = None, kinds: tuple[str, ...] | None = None) -> HouseholdView:
    """The household's view; with `days`, of its journal only the entries of the
    last `days` days, with `kinds` only of those kinds (the balances always cover
    the whole journal)."""
    today = access.settings().today()
    since = None if days is None else today - timedelta(days=days)
    try:
        return household_view(access.reads(), _code(), today, since=since, kinds=kinds)
    except UnknownHouseholdError:
        abort(404)


@bp.get("/vandaag")
@household_only
def today() -> str:
    """Vandaag: next leefgeld, why, and what is safe to spend per day."""
    since = access.settings().today() - timedelta(days=PAID_TODAY_DAYS)
    stored = household_payments(access.reads(), _code(), since)
    # without payments stored by the nightly run, the journal's charges say what was paid
    view = _view(PAID_TODAY_DAYS, kinds=() if stored else (CHARGE_KIND,))
    report = view.status
    paid = (
        _last_payment(stored, report.household, report.today)
        if stored
        else paid_sentence(paid_charges_of(view.entries, report.household, since), report.today)
    )
    if report.ended:
        paid = ""
    weekly = cadence_of(report.household) is Cadence.WEEKLY
    rate = report.leefgeld_rate
    nxt = report.plan.next_release
    # an announced new rate: what to spend per day follows it from its first release
    step = nxt if nxt is not None and nxt.difference is Difference.STEP else None
    if step is not None:
        rate = step.amount
    return render_template(
        "household/today.html",
        report=report,
        paid_sentence=paid,
        leefgeld_sentence=leefgeld_sentence(report),
        difference_sentence=difference_sentence(report),
        per_day=per_day(rate, 7 if weekly else 30),
        rate=rate,
        rate_from=None if step is None else step.day,
        weekly=weekly,
        held_back=[u for u in report.upcoming if not u.covered],
        kind_nl=KIND_NL,
        sentences=report_sentences(report),
    )


def _last_payment(stored: list[HouseholdPayment], household: Household, today: date) -> str:
    """The sentence about the newest stored payment; one the bank sent back comes
    first: the household must know."""
    returned = [p for p in stored if p.status == InstructionStatus.RETURNED]
    shown = (returned or stored)[0]
    kinds = {c.id: c.kind.value for c in household.charges}
    return payment_sentence(shown, kinds.get(shown.charge_id, ""), today)


@bp.get("/betaald")
@household_only
def payments() -> str:
    """Betaald en gepland: what was paid, what comes next, what is held back."""
    view = _view(PAID_DAYS)
    report = view.status
    paid = paid_charges_of(view.entries, report.household, report.today - timedelta(days=PAID_DAYS))
    tonight = [d for d in report.plan.decisions if d.kind == "charge"]
    since = report.today - timedelta(days=PAID_DAYS)
    stored = household_payments(access.reads(), report.household.code, since)
    kinds = {c.id: c.kind.value for c in report.household.charges}
    return render_template(
        "household/payments.html",
        report=report,
        paid=paid,
        stored=stored,
        charge_kinds=kinds,
        tonight=tonight,
        upcoming=report.upcoming,
        kind_nl=KIND_NL,
        sentences=report_sentences(report),
    )


def _months(today: date, start: date) -> list[date]:
    first = today.replace(day=1)
    months: list[date] = []
    while len(months) < MONTHS_SHOWN and first >= start.replace(day=1):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months


@bp.get("/overzicht")
@household_only
def overview() -> str:
    """Overzicht: the buffer chart with a text alternative, and the monthly overviews."""
    view = _view(HISTORY_DAYS)
    weekly_forecast = list(view.forecast[6::7])
    return render_template(
        "household/overview.html",
        report=view.status,
        history=view.history,
        forecast=weekly_forecast,
        months=_months(view.status.today, view.status.household.start),
        sentences=report_sentences(view.status),
    )


@bp.get("/overzicht/grafiek.svg")
@household_only
def chart() -> Response:
    """The buffer chart as SVG."""
    view = _view(HISTORY_DAYS)
    return Response(buffer_chart(view.history, view.forecast), mimetype="image/svg+xml")


@bp.get("/overzicht/<period>")
@household_only
def month(period: str) -> str:
    """A printable overview of one month (`period` like 2026-03)."""
    first = month_of(period)
    if first is None:
        abort(404)
    view = _view()
    if first > view.status.today:
        abort(404)
    code = view.status.household.code
    report = month_overview(
        view.entries, view.status.household, first, payment_days(access.reads(), code)
    )
    return render_template(
        "household/month.html", month=report, bounds=month_bounds(first), today=view.status.today
    )


@bp.route("/verzoek", methods=["GET", "POST"])
@household_only
def requests_page() -> str | BaseResponse | tuple[str, int]:
    """Verzoek: ask for extra leefgeld or a one-off payment; see earlier answers."""
    code = _code()
    errors: dict[str, str] = {}
    form = {"kind": "extra_leefgeld", "amount": "", "reason": ""}
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in form}
        amount = amount_of(form["amount"])
        if amount is None:
            errors["amount"] = "Vul een bedrag in, bijvoorbeeld 50,00."
        else:
            try:
                send_request(
                    access.engine(),
                    household=code,
                    actor=access.current().username,
                    kind=form["kind"],
                    amount=amount,
                    reason=form["reason"],
                    now=access.settings().now(),
                )
            except RequestError as exc:
                errors[exc.field or "kind"] = str(exc)
        if not errors:
            return redirect(url_for("household.requests_page", verstuurd=1))
    mine, returned = requests_with_payments(access.engine(), code)
    status = 400 if errors else 200
    page = render_template(
        "household/requests.html",
        requests=mine,
        returned=returned,
        kinds=REQUEST_KINDS,
        status_nl=STATUS_NL,
        form=form,
        errors=errors,
        sent=request.args.get("verstuurd") == "1",
    )
    return page, status
