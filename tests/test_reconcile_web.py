"""The admin page Afstemming (issue 21.4): the same figures as `hhb reconcile`, admins only."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from huishoudboekje.adapters.persistence.db import open_database
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services.day_reconcile import reconcile_days
from huishoudboekje.services.user_accounts import Role
from tests.demo_once import demo_copy
from tests.web_fixtures import (
    PASSWORD,
    add_test_user,
    enrol_test_totp,
    make_app,
    second_step,
)


def _app(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = demo_copy(tmp_path)
    engine = open_database(url)
    try:
        with UnitOfWork(engine) as uow:
            for username, role in (("ada", Role.ADMIN), ("mira", Role.MEDEWERKER)):
                add_test_user(uow, username, role, now=datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    finally:
        engine.dispose()
    return make_app(url, HHB_TODAY="2026-11-30"), url


def _login(app, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    enrol_test_totp(app.extensions["hhb_engine"], username)  # staff: the second factor
    response = client.post("/inloggen", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert second_step(app, client, username).status_code == 302
    return client


def test_an_admin_sees_the_same_figures_as_the_command(tmp_path: Path) -> None:
    app, url = _app(tmp_path)
    try:
        page = _login(app, "ada").get("/medewerker/afstemming?van=2026-10-12&tot=2026-10-16")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        engine = open_database(url)
        try:
            report = reconcile_days(
                engine, date(2026, 10, 12), date(2026, 10, 16), today=date(2026, 11, 30)
            )
        finally:
            engine.dispose()
        assert len(re.findall(r'<th scope="row">', html)) == len(report.days) == 5
        for day in report.days:
            assert day.status.value in html
            for text in day.explanations:
                assert text.replace("'", "&#39;") in html or text in html
        assert "Alle verschillen in deze periode zijn verklaard." in html
        assert 'href="/medewerker/afstemming"' in html  # in the menu, for an admin
    finally:
        app.extensions["hhb_engine"].dispose()


def test_a_medewerker_may_not_and_a_backwards_range_is_explained(tmp_path: Path) -> None:
    app, _url = _app(tmp_path)
    try:
        mira = _login(app, "mira")
        assert mira.get("/medewerker/afstemming").status_code == 403
        assert 'href="/medewerker/afstemming"' not in mira.get("/medewerker/").get_data(
            as_text=True
        )
        html = _login(app, "ada").get("/medewerker/afstemming?van=2026-11-30&tot=2026-11-01")
        assert "De begindatum ligt na de einddatum" in html.get_data(as_text=True)
    finally:
        app.extensions["hhb_engine"].dispose()
