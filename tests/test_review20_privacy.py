"""Review of issue 20 (need-to-know, view log, purge) by a privacy officer's eyes:
routes that show or change one household's data without its code in the URL, and
personal data a purge leaves behind."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Text, cast, func, select

from cli.main import main
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_household,
    record_audit,
    save_household,
)
from huishoudboekje.adapters.persistence.approvals import (
    list_change_requests,
    list_household_requests,
)
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.tables import AuditLogRow, table_of
from huishoudboekje.adapters.persistence.user_repo import find_user, update_user
from huishoudboekje.adapters.persistence.view_log_repo import load_views
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.services.night_worklists import night_signals
from huishoudboekje.services.privacy import EXPORT_JSON, export_household, purge
from scheduler.context import NightPaths
from tests.staff_gemeente import camt, import_and_book, staff_web, toeslag
from tests.test_need_to_know import NOORD, ZUID, teams  # noqa: F401
from tests.test_privacy_purge import traces_in_database
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401
from web.staff import need_to_know

REASON = "bril voor Pietje de Vries"


def _ask(env: WebEnv) -> int:
    """Fam. de Vries (HH-0002, Team Zuid) asks for an extra payment."""
    response = env.client("devries").post(
        "/verzoek", data={"kind": "eenmalige_betaling", "amount": "40", "reason": REASON}
    )
    assert response.status_code == 302, response.data
    with UnitOfWork(env.engine) as uow:
        return next(r.id for r in list_household_requests(uow) if r.reason == REASON)


def _status(env: WebEnv, request_id: int) -> str:
    with UnitOfWork(env.engine) as uow:
        return next(r.status for r in list_household_requests(uow) if r.id == request_id)


def test_the_caseload_lists_only_the_own_teams_households(teams: WebEnv) -> None:  # noqa: F811
    page = teams.client("mira").get("/medewerker/").get_data(as_text=True)
    assert NOORD in page
    assert ZUID not in page and "de Vries" not in page
    everyone = teams.client("ada").get("/medewerker/").get_data(as_text=True)
    assert NOORD in everyone and ZUID in everyone


def test_another_teams_request_is_neither_listed_nor_answered(teams: WebEnv) -> None:  # noqa: F811
    request_id = _ask(teams)
    mira = teams.client("mira")  # Team Noord
    assert REASON not in mira.get("/medewerker/verzoeken").get_data(as_text=True)
    assert REASON not in mira.get("/medewerker/werklijsten").get_data(as_text=True)
    refused = mira.post(
        f"/medewerker/verzoeken/{request_id}", data={"besluit": "afwijzen", "answer": "nee"}
    )
    assert refused.status_code == 403
    assert _status(teams, request_id) == "nieuw"
    # its own team answers it
    mats = teams.client("mats")
    assert REASON in mats.get("/medewerker/verzoeken").get_data(as_text=True)
    mats.post(f"/medewerker/verzoeken/{request_id}", data={"besluit": "akkoord"})
    with UnitOfWork(teams.engine) as uow:
        [change] = list_change_requests(uow, status="pending")
    waiting = f"#{change.id} {ZUID}"
    assert waiting in teams.client("mats").get("/medewerker/goedkeuren").get_data(as_text=True)
    tom = teams.client("tom")  # teamleider of Team Noord
    assert waiting not in tom.get("/medewerker/goedkeuren").get_data(as_text=True)
    decided = tom.post(f"/medewerker/goedkeuren/{change.id}", data={"besluit": "goedkeuren"})
    assert decided.status_code == 403
    with UnitOfWork(teams.engine) as uow:
        assert [c.id for c in list_change_requests(uow, status="pending")] == [change.id]
    # with a reason, the other team may (and it is in the view log)
    tom.post(
        f"/medewerker/huishouden/{ZUID}/toegang",
        data={"reden": "spoed", "toelichting": "Mats is ziek"},
    )
    assert waiting in tom.get("/medewerker/goedkeuren").get_data(as_text=True)
    decided = tom.post(f"/medewerker/goedkeuren/{change.id}", data={"besluit": "goedkeuren"})
    assert decided.status_code == 302
    assert _status(teams, request_id) == "goedgekeurd"
    with UnitOfWork(teams.engine) as uow:
        logged = load_views(uow, household=ZUID)
    assert any(v.actor == "tom" and v.reason == "spoed: Mats is ziek" for v in logged)


def test_a_purge_leaves_no_request_reason_in_the_audit_log(web: WebEnv) -> None:  # noqa: F811
    request_id = _ask(web)
    web.client("mira").post(
        f"/medewerker/verzoeken/{request_id}", data={"besluit": "afwijzen", "answer": REASON}
    )
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, ZUID)
        assert household is not None
        save_household(uow, dataclasses.replace(household, end=date(2026, 3, 31)))
        uow.commit()
    report = purge(web.engine, date(2035, 1, 1), actor="test")
    assert [p.code for p in report.purged] == [ZUID]
    audit = table_of(AuditLogRow)
    with web.engine.connect() as connection:
        left = connection.execute(
            select(audit.c.action, audit.c.object_id).where(
                func.lower(cast(audit.c.before, Text)).like("%pietje%")
                | func.lower(cast(audit.c.after, Text)).like("%pietje%")
            )
        ).all()
    assert left == []


def test_the_inzage_export_holds_the_view_log(web: WebEnv) -> None:  # noqa: F811
    """AVG art. 15 and issue 20.4: the export names who looked at the household's data."""
    assert web.client("mira").get(f"/medewerker/huishouden/{NOORD}").status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(export_household(web.engine, NOORD, TODAY, actor="ada")))
    data = json.loads(archive.read(EXPORT_JSON))
    assert [(v["actor"], v["household"]) for v in data["view_log"]] == [("mira", NOORD)]


def test_closing_another_teams_stored_signal_is_refused_whatever_the_form_says(
    teams: WebEnv,  # noqa: F811
) -> None:
    """The form's `huishouden` is only where to go back to: the signal's own household
    decides, so naming the own team's household does not close another team's signal."""
    key = f"review20:{ZUID}"
    signal = Signal(SignalKind.INCOME_LATE, ZUID, Severity.HIGH, "te laat", key)
    with UnitOfWork(teams.engine) as uow:
        upsert_signals(uow, [signal], TODAY, "night")
        uow.commit()
    closed = teams.client("mira").post(
        "/medewerker/signalen/afhandelen", data={"huishouden": NOORD, "key": key, "note": "x"}
    )
    assert closed.status_code == 403
    with UnitOfWork(teams.engine) as uow:
        assert [s.status for s in night_signals(uow) if s.key == key] == ["open"]


@pytest.fixture
def credits(db_url: str, tmp_path: Path) -> Iterator[WebEnv]:
    """Two unknown credits on the worklist of a gemeente with staff member mira."""
    made = staff_web(db_url, tmp_path, date(2026, 2, 21))
    paths = NightPaths.under(tmp_path / "var")
    paths.create()
    feb = date(2026, 2, 20)
    found = [toeslag(feb, "154.00", "0958.610.934", "F1"), toeslag(feb, "400.00", "", "J1")]
    import_and_book(made.engine, paths, feb, camt(tmp_path / "in", feb, "1000.00", found))
    yield made
    made.engine.dispose()


def test_another_team_neither_assigns_a_credit_nor_teaches_its_term(credits: WebEnv) -> None:
    mira = credits.client("mira")
    page = mira.get("/medewerker/werklijsten").get_data(as_text=True)
    first, second = re.findall(r"/medewerker/transacties/(\d+)/toewijzen", page)
    done = mira.post(
        f"/medewerker/transacties/{first}/toewijzen",
        data={"household": NOORD, "income": "zorgtoeslag"},
    )
    assert done.status_code == 302
    # now HH-0001 is Team Noord's and mira moves to Team Zuid
    with UnitOfWork(credits.engine) as uow:
        household = load_household(uow, NOORD)
        assert household is not None
        save_household(uow, dataclasses.replace(household, team="Team Noord"))
        user = find_user(uow, "mira")
        assert user is not None
        update_user(uow, user.id, team="Team Zuid")
        uow.commit()
    refused = mira.post(
        f"/medewerker/transacties/{second}/toewijzen",
        data={"household": NOORD, "income": "zorgtoeslag"},
    )
    assert refused.status_code == 403
    taught = mira.post(f"/medewerker/transacties/{first}/zoekterm", data={"term": "0958610934"})
    assert taught.status_code == 403
    with UnitOfWork(credits.engine) as uow:
        household = load_household(uow, NOORD)
        assert household is not None
        income = next(i for i in household.incomes if i.id == "zorgtoeslag")
    assert not any("958610934" in t.replace(".", "") for t in income.terms)


def test_after_a_purge_the_pages_and_the_plan_still_work(web: WebEnv) -> None:  # noqa: F811
    _ask(web)
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, ZUID)
        assert household is not None
        save_household(uow, dataclasses.replace(household, end=date(2026, 3, 31)))
        uow.commit()
    assert [p.code for p in purge(web.engine, date(2035, 1, 1), actor="test").purged] == [ZUID]
    ada = web.client("ada")
    for path in (
        "/medewerker/",
        f"/medewerker/huishouden/{ZUID}",
        f"/medewerker/huishouden/{ZUID}/grafiek.svg",
        f"/medewerker/huishouden/{ZUID}/bewerken",
        "/medewerker/werklijsten",
        "/medewerker/verzoeken",
        "/medewerker/audit",
        f"/medewerker/inzagelog?huishouden={ZUID}",
    ):
        assert ada.get(path).status_code == 200, path
    url = web.db_url
    assert main(["status", ZUID, "--database", url, "--date", TODAY.isoformat()]) == 0
    assert main(["plan", "--date", TODAY.isoformat(), "--database", url]) == 0


def test_hhb_signals_is_in_the_view_log(
    web: WebEnv,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`hhb signals` prints what is going on with each household: a staff read (20.2)."""
    signal = Signal(SignalKind.INCOME_LATE, ZUID, Severity.HIGH, "te laat", f"review20:{ZUID}")
    with UnitOfWork(web.engine) as uow:
        upsert_signals(uow, [signal], TODAY, "night")
        uow.commit()
    assert main(["signals", "--database", web.db_url, "--json"]) == 0
    assert ZUID in capsys.readouterr().out
    with UnitOfWork(web.engine) as uow:
        logged = [(v.household, v.what, v.via) for v in load_views(uow)]
    assert logged == [(ZUID, "hhb signals", "cli")]


def test_the_audit_log_shows_another_teams_household_only_with_a_reason(
    teams: WebEnv,  # noqa: F811
) -> None:
    """The audit page shows each change's fields (IBANs, payees, a request's reason):
    the same need-to-know as the household's own page."""
    _ask(teams)  # HH-0002's request, its reason in the audit event (object_id: its id)
    with UnitOfWork(teams.engine) as uow:
        record_audit(
            uow,
            actor="mats",
            action="household.update",
            object_type="household",
            object_id=ZUID,
            before={"iban": "NL01OUD0000000001"},
            after={"iban": "NL02NIEUW000000002"},
            at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        uow.commit()
    mira = teams.client("mira")  # Team Noord
    page = mira.get("/medewerker/audit").get_data(as_text=True)
    assert "NL02NIEUW000000002" not in page and REASON not in page
    for who in ("mats", "ada"):
        page = teams.client(who).get("/medewerker/audit").get_data(as_text=True)
        assert "NL02NIEUW000000002" in page and REASON in page, who
    mira.post(
        f"/medewerker/huishouden/{ZUID}/toegang",
        data={"reden": "waarneming", "toelichting": "ik vervang Mats"},
    )
    page = mira.get("/medewerker/audit").get_data(as_text=True)
    assert "NL02NIEUW000000002" in page and REASON in page


def test_a_change_is_not_made_when_its_view_log_row_cannot_be_written(
    teams: WebEnv,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A POST about a household is logged before it acts: when the view log cannot be
    written, the request fails with nothing changed (not: changed, then an error page
    that invites doing it again)."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("view log unavailable")

    mira = teams.client("mira")
    monkeypatch.setattr(need_to_know, "record_view", broken)
    try:
        status = mira.post(
            f"/medewerker/huishouden/{NOORD}/uitnodigen",
            data={"username": "nieuwlid", "display_name": "Nieuw Lid"},
        ).status_code
    except RuntimeError:  # the test app propagates what no error page handles
        status = 500
    assert status == 500
    with UnitOfWork(teams.engine) as uow:
        assert find_user(uow, "nieuwlid") is None


def test_a_purge_leaves_no_member_user_name_anywhere(web: WebEnv) -> None:  # noqa: F811
    """A member's user name is often their own name ("devries"): as the audit log's
    actor of the household's own request and as the request's `created_by` too."""
    request_id = _ask(web)
    web.client("mira").post(
        f"/medewerker/verzoeken/{request_id}", data={"besluit": "afwijzen", "answer": "nee"}
    )
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, ZUID)
        assert household is not None
        save_household(uow, dataclasses.replace(household, end=date(2026, 3, 31)))
        uow.commit()
    assert [p.code for p in purge(web.engine, date(2035, 1, 1), actor="test").purged] == [ZUID]
    assert traces_in_database(web.engine, ("devries", "de vries", "pietje")) == []


def test_the_reason_form_is_not_a_look_at_the_household(teams: WebEnv) -> None:  # noqa: F811
    """The form that asks why shows only the household's team: the household must not
    read on /bekeken that someone looked at its data when nobody did."""
    assert teams.client("mats").get(f"/medewerker/huishouden/{NOORD}/toegang").status_code == 200
    with UnitOfWork(teams.engine) as uow:
        assert load_views(uow, household=NOORD) == ()
    page = teams.client("jansen").get("/bekeken").get_data(as_text=True)
    assert "Niemand keek" in page
