"""Staff: a household's consent (issue 19.3) on its page: record or replace it,
withdraw it (which starts the exit), and download the signed document.

Every route names the household in its URL, so need-to-know and the view log
(`need_to_know`) cover it: a download of the document is a logged read, and roles
that see no household data (functioneel beheerder, privacy officer) get 403.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.consent import (
    NO_CONSENT_TEXT,
    Consent,
    ConsentScope,
    DocumentKind,
    scope_sentence,
)
from huishoudboekje.domain.household import Household
from huishoudboekje.services.consent import (
    ConsentError,
    ConsentPanel,
    codes_not_planned,
    consent_panel,
    document_of,
    save_consent,
    withdraw_consent,
)
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.staff_pages import stored_household
from web import access
from web.access import staff_only
from web.parsing import typed_day
from web.staff import bp
from web.staff.consent_form import ConsentFields, consent_data, default_values, read_upload
from web.staff.consent_form import read_values as read_consent_values
from web.user_errors import back_to


def _household(code: str) -> Household:
    household = stored_household(access.engine(), code)
    if household is None:
        abort(404)
    return household


def _fields(
    household: Household, values: dict[str, object], errors: dict[str, str]
) -> ConsentFields:
    return ConsentFields(
        values,
        tuple((i.id, f"{i.id} ({i.payer_name or i.kind.label_nl})") for i in household.incomes),
        tuple((c.id, f"{c.id} ({c.payee_name})") for c in household.charges),
        errors,
    )


@bp.route("/huishouden/<code>/toestemming", methods=["GET", "POST"])
@staff_only
def record_consent(code: str) -> tuple[str, int] | BaseResponse:
    """Record (or replace) the household's signed consent; audit-logged."""
    household = _household(code)
    today = access.settings().today()
    if request.method == "GET":
        values = default_values(today.isoformat(), household.name)
        return _page(household, _fields(household, values, {}), 200)
    values = read_consent_values(request.form)
    data, errors = consent_data(values)
    if data is not None:
        scope = data["scope"]
        consent = Consent(
            typed_day(data["signed_on"]) or today,
            data["signed_by"],
            ConsentScope()
            if scope == "all"
            else ConsentScope(tuple(scope["incomes"]), tuple(scope["charges"])),
            DocumentKind(data["document"]),
        )
        try:
            save_consent(
                access.engine(),
                code,
                consent,
                upload=read_upload(request.files, values),
                actor=access.current().username,
                now=access.settings().now(),
                max_bytes=access.settings().consent_max_bytes,
            )
        except ConsentError as exc:
            errors = {"document" if _about_document(str(exc)) else "": str(exc)}
        except UnknownHouseholdError:
            abort(404)
        else:
            flash("De toestemming is vastgelegd.", "ok")
            return redirect(url_for("staff.household", code=code) + "#toestemming")
    return _page(household, _fields(household, values, errors), 400)


def _about_document(message: str) -> bool:
    return any(word in message for word in ("PDF", "bestand", "document"))


def _page(household: Household, fields: ConsentFields, status: int) -> tuple[str, int]:
    page = render_template(
        "staff/consent.html",
        h=household,
        fields=fields,
        max_mb=access.settings().consent_max_bytes // (1024 * 1024),
    )
    return page, status


@bp.post("/huishouden/<code>/toestemming/intrekken")
@staff_only
def withdraw_consent_view(code: str) -> BaseResponse:
    """The household withdrew its consent: record it and start the exit."""
    back_to(url_for("staff.household", code=code) + "#toestemming", "Niet ingetrokken: {}")
    day = typed_day(request.form.get("withdrawn_on", "").strip())
    if day is None:
        raise ConsentError("vul de datum in als datum, bijvoorbeeld 2026-06-30")
    try:
        withdraw_consent(
            access.engine(),
            code,
            day,
            request.form.get("reason", "")[:1000],
            actor=access.current().username,
            now=access.settings().now(),
        )
    except UnknownHouseholdError:
        abort(404)
    flash("De toestemming is ingetrokken. Het einde van de deelname is vastgelegd.", "ok")
    return redirect(url_for("staff.exit_checklist", code=code))


@bp.get("/huishouden/<code>/toestemming/<int:consent_id>/document")
@staff_only
def consent_document(code: str, consent_id: int) -> Response:
    """The signed consent (PDF); the read is in the view log (need_to_know)."""
    found = document_of(access.engine(), code, consent_id)
    if found is None:
        abort(404)
    name, pdf = found
    response = Response(pdf, mimetype="application/pdf")
    safe = (
        "".join(c for c in name if c.isascii() and (c.isalnum() or c in "-_.")) or "toestemming.pdf"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def consent_of(code: str) -> ConsentPanel:
    """For the household's page: its consent, history and whether the night plans it."""
    return consent_panel(access.engine(), code, access.settings().today())


@bp.app_template_global()
def no_consent_text() -> str:
    """Why the night does not plan a household without consent (page and caseload)."""
    return NO_CONSENT_TEXT


@bp.app_template_filter("consent_scope")
def consent_scope(scope: ConsentScope, household: Household) -> str:
    """The scope of a consent in plain Dutch, naming the household's rules."""
    return scope_sentence(
        scope,
        {i.id: i.id for i in household.incomes},
        {c.id: c.id for c in household.charges},
    )


@bp.app_template_global()
def consent_not_planned(codes: list[str]) -> frozenset[str]:
    """For the caseload: which of these households the night does not plan for want of a
    consent (none when the gemeente does not require consent)."""
    return codes_not_planned(access.engine(), codes, access.settings().today())
