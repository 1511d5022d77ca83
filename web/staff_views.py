"""Blueprint `staff`: caseload, household pages and edits, worklists, audit log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.adapters.persistence import load_gemeente, load_household, load_households
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import FixedCharge, Household, IncomeStream, Reserve
from huishoudboekje.services.extra_returns import (
    close_returned_request,
    retry_returned_request,
    returned_requests,
)
from huishoudboekje.services.household_requests import (
    REQUEST_KINDS,
    STATUS_NL,
    RequestError,
    open_requests,
    refuse_request,
    requests_of,
    returned_waiting,
)
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.night_worklists import (
    acknowledge_night_signal,
    has_nights,
    night_signals,
    problem_nights,
    returned_payments,
    unknown_credits,
)
from huishoudboekje.services.nightly import AssignmentError, assign_transaction
from huishoudboekje.services.overview import caseload as caseload_of
from huishoudboekje.services.overview import household_view
from huishoudboekje.services.rule_changes import (
    FourEyesError,
    Proposal,
    approve_change,
    propose_extra_payment,
    propose_household,
    refuse_change,
)
from huishoudboekje.services.rule_editing import (
    HouseholdInvalidError,
    check_household,
    end_rule,
    household_data,
    rule_end,
    rule_index,
    with_rule,
)
from huishoudboekje.services.staff import (
    AuditFilter,
    acknowledge_signal,
    audit_changes,
    change_history,
    household_accounts,
    notes_for,
    pending_changes,
    search_audit,
    signal_worklist,
)
from huishoudboekje.services.user_accounts import AccountError, create_invite
from web import access
from web.access import staff_only
from web.charts import buffer_chart
from web.formatting import day_year
from web.sentences import difference_sentence
from web.staff_forms import (
    END_FORM,
    HOUSEHOLD_FORM,
    SECTIONS,
    FormSpec,
    FormText,
    field_errors,
    read_end_date,
    read_form,
    shown_value,
)

bp = Blueprint("staff", __name__, url_prefix="/medewerker")
LEDGER_ROWS = 60
PAYMENT_KINDS_NL = {"charge": "vaste last", "leefgeld": "leefgeld", "extra": "extra betaling"}


def _flash_proposal(proposal: Proposal) -> None:
    if proposal.applied:
        flash("De wijziging is opgeslagen.", "ok")
    else:
        flash(
            "De wijziging wacht op goedkeuring door een tweede medewerker: "
            + "; ".join(proposal.reasons),
            "wacht",
        )


@bp.get("/")
@staff_only
def caseload() -> str:
    """Caseload: every household with its signals; search on code or name. Signals
    are the nightly run's stored ones not yet acknowledged (a returned rent, a late
    payment) and tonight's computed ones, each once, most severe first, linking to
    the household page where they are acknowledged. The "Open" column counts
    requests to look at: new ones, and those whose extra payment the bank sent back
    (pay again or close)."""
    query = request.args.get("q", "").strip()[:100]
    with access.uow() as uow:
        rows = caseload_of(uow, access.settings().today(), query)
        requests_new = Counter(r.household for r in open_requests(uow))
        requests_returned = Counter(r.household for r in returned_waiting(uow))
        pending = {c.household for c in pending_changes(uow)}
    return render_template(
        "staff/caseload.html",
        rows=rows,
        query=query,
        requests_new=requests_new,
        requests_returned=requests_returned,
        pending=pending,
    )


@bp.get("/huishouden/<code>")
@staff_only
def household(code: str) -> str:
    """One household: balances, signals, rules, forecast, ledger, accounts, changes."""
    today = access.settings().today()
    with access.uow() as uow:
        try:
            view = household_view(uow, code, today)
        except UnknownHouseholdError:
            abort(404)
        notes = notes_for(uow, code)
        stored = night_signals(uow, household=code) if has_nights(uow) else None
        changes = change_history(uow, code)
        accounts = household_accounts(uow, code)
        requests = requests_of(uow, code)
    return render_template(
        "staff/household.html",
        view=view,
        report=view.status,
        h=view.status.household,
        notes=notes,
        stored=stored,
        changes=changes,
        accounts=accounts,
        requests=requests,
        status_nl=STATUS_NL,
        kinds=REQUEST_KINDS,
        entries=list(reversed(view.entries))[:LEDGER_ROWS],
        forecast=list(view.forecast[6::7]),
        # what the household reads on Vandaag when its next amount is not the usual one
        difference=difference_sentence(view.status),
    )


@bp.get("/huishouden/<code>/grafiek.svg")
@staff_only
def chart(code: str) -> Response:
    """The household's buffer chart."""
    with access.uow() as uow:
        try:
            view = household_view(uow, code, access.settings().today())
        except UnknownHouseholdError:
            abort(404)
    return Response(buffer_chart(view.history, view.forecast), mimetype="image/svg+xml")


def _render_form(
    spec: FormSpec,
    data: dict[str, Any],
    *,
    action: str,
    back: str,
    is_new: bool,
    errors: dict[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
    text: FormText | None = None,
) -> tuple[str, int]:
    values = {f.path: shown_value(f, data) for f in spec.fields}
    if text is None:
        text = FormText(f"{spec.title} {'toevoegen' if is_new else 'bewerken'}")
    page = render_template(
        "staff/form.html",
        spec=spec,
        text=text,
        values=values,
        errors=errors or {},
        general=general or [],
        action=action,
        back=back,
        is_new=is_new,
    )
    return page, status


def _save(
    after_data: dict[str, Any], *, is_new: bool, summary: str, prefix: str
) -> tuple[Proposal | None, dict[str, str]]:
    """Check and propose a household; returns (proposal, problems by path)."""
    with access.uow() as uow:
        try:
            after = check_household(after_data, load_gemeente(uow))
        except HouseholdInvalidError as exc:
            return None, exc.by_field()
        try:
            proposal = propose_household(
                uow,
                actor=access.current().username,
                after=after,
                now=access.settings().now(),
                summary=summary,
                is_new=is_new,
                threshold=access.settings().four_eyes_threshold,
            )
        except FourEyesError as exc:
            return None, {"": str(exc)}
    return proposal, {}


@bp.route("/huishouden-nieuw", methods=["GET", "POST"])
@staff_only
def new_household() -> tuple[str, int] | BaseResponse:
    """Create a household (takes effect after a second staff member approves)."""
    defaults: dict[str, Any] = {
        "members": 1,
        "leefgeld": {"policy": "smoothed", "cadence": "weekly", "weekday": "friday"},
        "buffer": {"target": "1200.00", "advance_limit": "0.00"},
        "start": access.settings().today().isoformat(),
    }
    action, back = url_for("staff.new_household"), url_for("staff.caseload")
    if request.method == "GET":
        return _render_form(HOUSEHOLD_FORM, defaults, action=action, back=back, is_new=True)
    data = read_form(HOUSEHOLD_FORM, request.form, defaults, is_new=True)
    return _propose(
        HOUSEHOLD_FORM,
        data,
        data,
        action=action,
        back=back,
        is_new=True,
        creates_household=True,
        summary="nieuw huishouden",
        prefix="",
    )


def _propose(
    spec: FormSpec,
    data: dict[str, Any],
    shown: dict[str, Any],
    *,
    action: str,
    back: str,
    is_new: bool,
    summary: str,
    prefix: str,
    creates_household: bool = False,
    text: FormText | None = None,
) -> tuple[str, int] | BaseResponse:
    """Propose the household `data`; on problems show the form (`shown`) again with them.

    `prefix` is the config path of the form's part of the household (e.g.
    "charges[1]."), so each problem lands beside its own field.
    """
    proposal, problems = _save(data, is_new=creates_household, summary=summary, prefix=prefix)
    if proposal is None:
        errors, general = field_errors(problems, prefix, spec)
        return _render_form(
            spec,
            shown,
            action=action,
            back=back,
            is_new=is_new,
            errors=errors,
            general=general,
            status=400,
            text=text,
        )
    _flash_proposal(proposal)
    return redirect(back)


def _stored(code: str) -> dict[str, Any]:
    with access.uow() as uow:
        household = load_household(uow, code)
    if household is None:
        abort(404)
    return household_data(household)


@bp.route("/huishouden/<code>/bewerken", methods=["GET", "POST"])
@staff_only
def edit_household(code: str) -> tuple[str, int] | BaseResponse:
    """Edit a household's details and its leefgeld and buffer policies."""
    stored = _stored(code)
    action = url_for("staff.edit_household", code=code)
    back = url_for("staff.household", code=code)
    if request.method == "GET":
        return _render_form(HOUSEHOLD_FORM, stored, action=action, back=back, is_new=False)
    data = read_form(HOUSEHOLD_FORM, request.form, stored, is_new=False)
    return _propose(
        HOUSEHOLD_FORM,
        data,
        data,
        action=action,
        back=back,
        is_new=False,
        summary="gegevens en beleid",
        prefix="",
    )


@bp.route("/huishouden/<code>/<section>/<rule_id>", methods=["GET", "POST"])
@staff_only
def edit_rule(code: str, section: str, rule_id: str) -> tuple[str, int] | BaseResponse:
    """Add (rule_id "nieuw") or edit an income, fixed charge or reserve."""
    if section not in SECTIONS:
        abort(404)
    key, spec = SECTIONS[section]
    stored = _stored(code)
    is_new = rule_id == "nieuw"
    existing = {r["id"]: r for r in stored.get(key, [])}
    if not is_new and rule_id not in existing:
        abort(404)
    base: dict[str, Any] = {} if is_new else existing[rule_id]
    action = url_for("staff.edit_rule", code=code, section=section, rule_id=rule_id)
    back = url_for("staff.household", code=code)
    text = None
    if not is_new:
        end_url = url_for("staff.end_rule_form", code=code, section=section, rule_id=rule_id)
        text = FormText(
            f"{spec.title} bewerken", links=((end_url, f"{spec.title} {rule_id} beëindigen"),)
        )
    if request.method == "GET":
        return _render_form(spec, base, action=action, back=back, is_new=is_new, text=text)
    rule = read_form(spec, request.form, base, is_new=True)
    data = with_rule(stored, key, rule, None if is_new else rule_id)
    prefix = f"{key}[{rule_index(data, key, rule.get('id'))}]."
    summary = f"{spec.title.lower()} {rule.get('id') or ''}".strip()
    return _propose(
        spec,
        data,
        rule,
        action=action,
        back=back,
        is_new=is_new,
        summary=summary,
        prefix=prefix,
        text=text,
    )


Rule = FixedCharge | IncomeStream | Reserve


def _rules(household: Household, key: str) -> Sequence[Rule]:
    sections: dict[str, Sequence[Rule]] = {
        "charges": household.charges,
        "incomes": household.incomes,
        "reserves": household.reserves,
    }
    return sections[key]


def _end_text(rule: Rule) -> FormText:
    """What the end form says about `rule`: what stops after the day, and who approves."""
    if isinstance(rule, FixedCharge):
        heading = f"Vaste last {rule.id} beëindigen"
        what = (
            f"Huishoudboekje betaalt {eur(rule.amount)} aan {rule.payee_name} "
            "tot en met de dag die u hieronder kiest. Daarna niet meer."
        )
    elif isinstance(rule, IncomeStream):
        heading = f"Inkomen {rule.id} beëindigen"
        what = (
            f"Huishoudboekje verwacht {eur(rule.amount)} ({rule.kind.value}) tot en met "
            "de dag die u hieronder kiest. Daarna niet meer: het leefgeld wordt opnieuw "
            "berekend."
        )
    else:
        heading = f"Reservering {rule.id} beëindigen"
        what = (
            "Huishoudboekje zet geld opzij voor deze reservering tot en met de dag die u "
            "hieronder kiest. Daarna niet meer. Wat er al gespaard is, blijft staan."
        )
    end = rule_end(rule)
    now = f"Nu: tot en met {day_year(end)}." if end else "Nu: geen einddatum."
    threshold = eur(access.settings().four_eyes_threshold)
    note = (
        f"Een vaste last of inkomen van meer dan {threshold} beëindigen, of een einddatum "
        "vervroegen, gaat pas in als een tweede medewerker (teamleider) het goedkeurt."
    )
    return FormText(heading, (what, now), submit="Beëindigen", note=note)


def _end_problem(rule: Rule, last: date, today: date) -> str:
    """Why `rule` cannot end on `last` (empty: it can)."""
    current = rule_end(rule)
    if current is not None and current < today:
        return (
            f"Deze regel is al afgelopen op {day_year(current)}. Een nieuwe einddatum zou "
            "hem weer laten beginnen; maak daarvoor een nieuwe regel."
        )
    if isinstance(rule, FixedCharge) and rule.valid_from is not None and last < rule.valid_from:
        return f"Deze vaste last begint pas op {day_year(rule.valid_from)}. Kies die dag of later."
    if isinstance(rule, IncomeStream):
        first = rule.schedule.next_on_or_after(rule.schedule.start)
        if first is not None and last < first:
            return (
                f"Dit inkomen komt pas voor het eerst op {day_year(first)}. Kies die dag of later."
            )
    return ""


@bp.route("/huishouden/<code>/<section>/<rule_id>/beeindigen", methods=["GET", "POST"])
@staff_only
def end_rule_form(code: str, section: str, rule_id: str) -> tuple[str, int] | BaseResponse:
    """End a fixed charge, income or reserve: it applies up to and including a day."""
    if section not in SECTIONS:
        abort(404)
    key, spec = SECTIONS[section]
    with access.uow() as uow:
        household = load_household(uow, code)
    if household is None:
        abort(404)
    rule = next((r for r in _rules(household, key) if r.id == rule_id), None)
    if rule is None:
        abort(404)
    today = access.settings().today()
    text = _end_text(rule)
    action = url_for("staff.end_rule_form", code=code, section=section, rule_id=rule_id)
    back = url_for("staff.household", code=code)
    current = rule_end(rule)
    if request.method == "GET":
        shown = {"valid_until": current.isoformat() if current else ""}
        return _render_form(END_FORM, shown, action=action, back=back, is_new=False, text=text)
    raw = request.form.get("valid_until", "")[:40]
    last, problem = read_end_date(raw, today)
    if last is not None:
        problem = _end_problem(rule, last, today)
    if last is None or problem:
        return _render_form(
            END_FORM,
            {"valid_until": raw},
            action=action,
            back=back,
            is_new=False,
            errors={"valid_until": problem},
            status=400,
            text=text,
        )
    data = end_rule(household_data(household), key, rule_id, last)
    return _propose(
        END_FORM,
        data,
        {"valid_until": raw},
        action=action,
        back=back,
        is_new=False,
        summary=f"{spec.title.lower()} {rule_id} beëindigen tot en met {day_year(last)}",
        prefix=f"{key}[{rule_index(data, key, rule_id)}].",
        text=text,
    )


@bp.post("/huishouden/<code>/uitnodigen")
@staff_only
def invite(code: str) -> tuple[str, int] | BaseResponse:
    """Create a one-time link for a household member; the link is shown once."""
    username = request.form.get("username", "").strip()
    name = request.form.get("display_name", "").strip()
    with access.uow() as uow:
        if load_household(uow, code) is None:
            abort(404)
        try:
            token = create_invite(
                uow,
                actor=access.current().username,
                household=code,
                username=username,
                display_name=name or username,
                now=access.settings().now(),
            )
        except AccountError as exc:
            flash(str(exc), "fout")
            return redirect(url_for("staff.household", code=code))
    link = url_for("auth.invite", token=token, _external=True)
    return render_template("staff/invite.html", link=link, code=code, username=username), 200


@bp.post("/huishouden/<code>/signaal")
@staff_only
def acknowledge(code: str) -> BaseResponse:
    """Mark a signal as looked at, with a note."""
    with access.uow() as uow:
        if load_household(uow, code) is None:
            abort(404)
        try:
            acknowledge_signal(
                uow,
                household=code,
                key=request.form.get("key", ""),
                actor=access.current().username,
                note=request.form.get("note", ""),
                now=access.settings().now(),
            )
            flash("Het signaal is afgehandeld.", "ok")
        except ValueError as exc:
            flash(str(exc), "fout")
    target = request.form.get("terug") == "werklijst"
    return redirect(url_for("staff.worklists") if target else url_for("staff.household", code=code))


@bp.get("/goedkeuren")
@staff_only
def approvals() -> str:
    """Four-eyes changes waiting for a second staff member."""
    with access.uow() as uow:
        pending = pending_changes(uow)
    return render_template("staff/approvals.html", pending=pending)


@bp.post("/goedkeuren/<int:request_id>")
@staff_only
def decide(request_id: int) -> BaseResponse:
    """Approve or refuse a four-eyes change (never one's own)."""
    identity = access.current()
    decision = request.form.get("besluit")
    note = request.form.get("note", "").strip()[:2000]
    with access.uow() as uow:
        try:
            if decision == "goedkeuren":
                approve_change(
                    uow,
                    request_id=request_id,
                    approver=identity.username,
                    may_approve=identity.may_approve,
                    now=access.settings().now(),
                    note=note,
                )
                flash("Goedgekeurd: de wijziging is doorgevoerd.", "ok")
            elif decision == "afwijzen":
                refuse_change(
                    uow,
                    request_id=request_id,
                    decider=identity.username,
                    may_approve=identity.may_approve,
                    now=access.settings().now(),
                    note=note,
                )
                flash("Afgewezen: er is niets gewijzigd.", "ok")
            else:
                abort(400)
        except FourEyesError as exc:
            flash(str(exc), "fout")
    return redirect(url_for("staff.approvals"))


@bp.get("/verzoeken")
@staff_only
def requests_list() -> str:
    """Requests from households that nobody has looked at yet, and requests whose
    payment the bank sent back (pay again or close)."""
    with access.uow() as uow:
        items = open_requests(uow)
        returned = returned_requests(uow)
    return render_template(
        "staff/requests.html", items=items, returned=returned, kinds=REQUEST_KINDS
    )


@bp.post("/verzoeken/<int:request_id>")
@staff_only
def handle_request(request_id: int) -> BaseResponse:
    """Agree (then a second staff member approves) or refuse a household's request;
    for a request whose payment came back: pay it again, or close it with a note."""
    identity = access.current()
    answer = request.form.get("answer", "").strip()[:2000]
    now, today = access.settings().now(), access.settings().today()
    decision = request.form.get("besluit")
    with access.uow() as uow:
        try:
            if decision in {"opnieuw", "afsluiten"}:
                handle = retry_returned_request if decision == "opnieuw" else close_returned_request
                handle(
                    uow,
                    request_id=request_id,
                    actor=identity.username,
                    note=answer,
                    now=now,
                    today=today,
                )
                flash(
                    "De betaling gaat vannacht opnieuw de deur uit, als de buffer het toelaat."
                    if decision == "opnieuw"
                    else "Het verzoek is afgesloten; het geld blijft in de buffer.",
                    "ok",
                )
            elif decision == "akkoord":
                propose_extra_payment(
                    uow, actor=identity.username, request_id=request_id, answer=answer, now=now
                )
                flash("Het verzoek wacht nu op akkoord van een tweede medewerker.", "wacht")
            elif decision == "afwijzen":
                refuse_request(
                    uow, request_id=request_id, actor=identity.username, answer=answer, now=now
                )
                flash("Het verzoek is afgewezen.", "ok")
            else:
                abort(400)
        except (FourEyesError, RequestError) as exc:
            flash(str(exc), "fout")
    return redirect(url_for("staff.requests_list"))


@bp.get("/werklijsten")
@staff_only
def worklists() -> str:
    """Signals to look at, unknown credits, returned payments, nights with problems,
    requests and changes waiting. Once the nightly run has run, its stored signals
    are the list; before that, tonight's signals are computed from the rules."""
    today = access.settings().today()
    with access.uow() as uow:
        nights = has_nights(uow)
        stored = night_signals(uow) if nights else []
        computed = [] if nights else signal_worklist(uow, today)
        credits = unknown_credits(uow)
        returned = returned_payments(uow)
        bad_nights = problem_nights(uow)
        items = open_requests(uow)
        returned_items = returned_requests(uow)
        pending = pending_changes(uow)
        households = load_households(uow)
    return render_template(
        "staff/worklists.html",
        nights=nights,
        stored=stored,
        signals=computed,
        credits=credits,
        returned=returned,
        bad_nights=bad_nights,
        items=items,
        returned_items=returned_items,
        pending=pending,
        kinds=REQUEST_KINDS,
        payment_kinds=PAYMENT_KINDS_NL,
        households=households,
    )


@bp.post("/transacties/<int:tx_id>/toewijzen")
@staff_only
def assign(tx_id: int) -> BaseResponse:
    """Give an unknown credit to a household (and optionally one of its incomes)."""
    household = request.form.get("household", "").strip()
    income = request.form.get("income", "").strip() or None
    with access.uow() as uow:
        try:
            done = assign_transaction(
                uow,
                str(tx_id),
                household,
                income,
                actor=access.current().username,
                today=access.settings().today(),
                at=access.settings().now(),
            )
            flash(f"Toegewezen aan {done.household}.", "ok")
        except AssignmentError as exc:
            flash(f"Niet toegewezen: {exc}.", "fout")
    return redirect(url_for("staff.worklists"))


@bp.post("/signalen/afhandelen")
@staff_only
def acknowledge_stored() -> BaseResponse:
    """Close a stored signal of the nightly run with a note."""
    with access.uow() as uow:
        try:
            acknowledge_night_signal(
                uow,
                key=request.form.get("key", ""),
                actor=access.current().username,
                note=request.form.get("note", ""),
                now=access.settings().now(),
                today=access.settings().today(),
            )
            flash("Het signaal is afgehandeld.", "ok")
        except (ValueError, LookupError) as exc:
            flash(str(exc), "fout")
    back = request.form.get("huishouden", "")
    with access.uow() as uow:
        known = bool(back) and load_household(uow, back) is not None
    return redirect(url_for("staff.household", code=back) if known else url_for("staff.worklists"))


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/audit")
@staff_only
def audit() -> str:
    """The audit log: read-only, filterable on who, what and when."""
    where = AuditFilter(
        actor=request.args.get("wie", "").strip()[:100],
        object_type=request.args.get("soort", "").strip()[:50],
        object_id=request.args.get("object", "").strip()[:200],
        action=request.args.get("actie", "").strip()[:100],
        since=_date_arg("van"),
        until=_date_arg("tot"),
    )
    with access.uow() as uow:
        events = search_audit(uow, where)
    rows = [(event, audit_changes(event)) for event in events]
    return render_template("staff/audit.html", rows=rows, where=where)
