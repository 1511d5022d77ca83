"""Staff: the audit log, read-only, filterable on who, what and when."""

from __future__ import annotations

from flask import render_template, request

from huishoudboekje.services.access_control import audit_households
from huishoudboekje.services.gemeente_scope import foreign_usernames
from huishoudboekje.services.staff import AuditFilter, audit_changes
from huishoudboekje.services.staff_pages import audit_events
from web import access
from web.access import staff_only
from web.parsing import iso_day
from web.staff import bp
from web.staff.need_to_know import my_scope, visible_codes


@bp.get("/audit")
@staff_only
def audit() -> str:
    """The audit log: read-only, filterable on who, what and when."""
    where = AuditFilter(
        actor=request.args.get("wie", "").strip()[:100],
        object_type=request.args.get("soort", "").strip()[:50],
        object_id=request.args.get("object", "").strip()[:200],
        action=request.args.get("actie", "").strip()[:100],
        since=iso_day(request.args.get("van", "")),
        until=iso_day(request.args.get("tot", "")),
    )
    events = audit_events(access.engine(), where)
    shown = visible_codes()  # need-to-know: another team's changes only with a reason
    if shown is not None:
        events = [e for e in events if audit_households(access.reads(), e) <= shown]
    # issue 22: nothing another gemeente's staff did (also not about a household)
    foreign = foreign_usernames(access.reads(), my_scope())
    events = [
        e
        for e in events
        if e.actor not in foreign and not (e.object_type == "user" and e.object_id in foreign)
    ]
    rows = [(event, audit_changes(event)) for event in events]
    return render_template("staff/audit.html", rows=rows, where=where)
