"""The household pages show what is stored now: nothing read for one request is reused
for the next, so a staff edit, a new night and new gemeente settings are visible on
the very next request of an app that has been serving all along."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from flask.testing import FlaskClient

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    append_journal_entries,
    load_gemeente,
    load_household,
    save_gemeente,
)
from huishoudboekje.domain.ledger import BANK, transfer, vat
from huishoudboekje.domain.money import Money
from huishoudboekje.services.household_status import household_status
from huishoudboekje.services.rule_changes import propose_household
from tests.test_web_pages import text
from tests.web_fixtures import PASSWORD, TODAY, WebEnv, make_app, web  # noqa: F401
from web.formatting import money

PAGES = ("/vandaag", "/betaald", "/overzicht")
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def pages(client: FlaskClient) -> dict[str, str]:
    return {path: text(client.get(path).data) for path in PAGES}


def assert_fresh(web: WebEnv, client: FlaskClient, before: dict[str, str]) -> dict[str, str]:
    """The long-running app's next pages equal those of an app started just now."""
    after = pages(client)
    fresh_app = make_app(web.db_url)
    try:
        fresh = fresh_app.test_client()
        response = fresh.post("/inloggen", data={"username": "jansen", "password": PASSWORD})
        assert response.status_code == 302
        assert after == pages(fresh)
    finally:
        fresh_app.extensions["hhb_engine"].dispose()
    assert after != before
    return after


def staff_edit(uow: UnitOfWork) -> None:
    """Staff raise HH-0001's rent by €10 and move its leefgeld day from Friday to
    Monday (applied at once: below the four-eyes threshold)."""
    household = load_household(uow, "HH-0001")
    assert household is not None
    rent = dataclasses.replace(household.charges[0], amount=Money("735.40"))
    leefgeld = dataclasses.replace(household.leefgeld, weekday="monday")
    edited = dataclasses.replace(
        household, charges=(rent, *household.charges[1:]), leefgeld=leefgeld
    )
    assert propose_household(uow, actor="mira", after=edited, now=NOW, summary="test").applied


def book_income(uow: UnitOfWork) -> None:
    """A night books an income of €123,45 into HH-0001's vat (not committed)."""
    income = transfer(
        f"HH-0001:inkomen:{TODAY.isoformat()}:loon:0",
        TODAY,
        "Inkomen loon",
        debit=BANK,
        credit=vat("HH-0001"),
        amount=Money("123.45"),
        kind="income",
    )
    assert append_journal_entries(uow, [income]) == 1


def close_monday_9_march(uow: UnitOfWork) -> None:
    """The gemeente makes Monday 9 March a closing day (not committed)."""
    gemeente = load_gemeente(uow)
    assert gemeente is not None
    closed = (*gemeente.extra_closing_days, date(2026, 3, 9))
    save_gemeente(uow, dataclasses.replace(gemeente, extra_closing_days=closed), at=NOW)


def test_every_change_is_visible_on_the_very_next_request(web: WebEnv) -> None:
    client = web.client("jansen")
    first = pages(client)
    assert "op vrijdag 6 maart" in first["/vandaag"]
    assert "€ 725,40" in first["/betaald"]

    # a staff edit: rent up by €10 and leefgeld on Monday instead of Friday
    with UnitOfWork(web.engine) as uow:
        staff_edit(uow)
    edited_pages = assert_fresh(web, client, first)
    assert "op maandag 9 maart" in edited_pages["/vandaag"]
    assert "€ 735,40" in edited_pages["/betaald"]

    # a new night: an income booked into the vat
    with UnitOfWork(web.engine) as uow:
        book_income(uow)
        uow.commit()
    after_night = assert_fresh(web, client, edited_pages)
    with UnitOfWork(web.engine) as uow:  # what `hhb status` says now
        buffer = household_status(uow, "HH-0001", TODAY).state.vat
    sentence = f"Nu in uw buffer: {money(buffer)}".replace("\xa0", " ")
    assert sentence in after_night["/vandaag"]
    assert sentence not in edited_pages["/vandaag"]

    # new gemeente settings: the next leefgeld day becomes a closing day
    with UnitOfWork(web.engine) as uow:
        close_monday_9_march(uow)
        uow.commit()
    after_gemeente = assert_fresh(web, client, after_night)
    assert "op maandag 9 maart" not in after_gemeente["/vandaag"]
    assert "op vrijdag 6 maart" in after_gemeente["/vandaag"]  # the business day before
