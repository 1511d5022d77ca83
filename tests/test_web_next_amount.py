"""Vandaag explains, in one plain sentence, why the next leefgeld is not the usual amount.

The scenario of test_web_freshness: staff move HH-0001's leefgeld day from Friday
to Monday (and its rent up), an income comes in, then the gemeente makes Monday
9 March a closing day, so the next release moves to Friday 6 March. The new rate
announced with the edit starts with that release: the page says why it is more
than the household has been getting.
"""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.planner import Difference
from huishoudboekje.services.household_status import household_status
from tests.test_web_freshness import book_income, close_monday_9_march, staff_edit
from tests.test_web_pages import text
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401
from web.formatting import money

NEXT = re.compile(r"Uw volgende leefgeld (€ [\d.]+,\d\d) op ")
RATE = re.compile(r"(?:Uw leefgeld is|Vanaf \w+ \d+ \w+ is uw leefgeld) (€ [\d.]+,\d\d) per week")
EXPLAINED = "Dit is "


def amounts(client: FlaskClient) -> tuple[str, str, str]:
    body = text(client.get("/vandaag").data)
    next_amount, rate = NEXT.search(body), RATE.search(body)
    assert next_amount is not None and rate is not None, body
    return next_amount[1], rate[1], body


def plain(amount: Money) -> str:
    return money(amount).replace("\xa0", " ")


def test_the_usual_amount_needs_no_explanation(web: WebEnv) -> None:
    next_amount, rate, body = amounts(web.client("jansen"))
    assert next_amount == rate
    assert f"Uw leefgeld is {rate} per week" in body
    assert EXPLAINED not in body
    staff = text(web.client("mira").get("/medewerker/huishouden/HH-0001").data)
    assert "Het huishouden leest" not in staff
    assert "meer dan" not in body and "minder dan" not in body


def test_a_new_rate_on_a_moved_leefgeld_day_is_explained(web: WebEnv) -> None:
    client = web.client("jansen")
    with UnitOfWork(web.engine) as uow:
        staff_edit(uow)
        book_income(uow)
        close_monday_9_march(uow)
        uow.commit()
    with UnitOfWork(web.engine) as uow:
        nxt = household_status(uow, "HH-0001", TODAY).plan.next_release
    assert nxt is not None and nxt.usual is not None
    assert nxt.day == date(2026, 3, 6)
    assert nxt.difference is Difference.STEP
    assert nxt.amount > nxt.usual

    next_amount, rate, body = amounts(client)
    # what to spend per day follows the new rate, from the day it starts
    assert next_amount == rate == plain(nxt.amount)
    assert f"Vanaf vrijdag 6 maart is uw leefgeld {rate} per week" in body
    per_day = plain(Money.round(nxt.amount.amount / 7))
    assert f"Dat is ongeveer {per_day} per dag" in body
    assert "op vrijdag 6 maart" in body
    gap = plain(nxt.amount - nxt.usual)
    sentence = f"Dit is {gap} meer dan uw leefgeld tot nu toe, omdat {nxt.because}."
    assert sentence in body, body
    # the figures come from the data, the reason is the engine's own
    assert nxt.because == "er nu meer geld in uw buffer zit"
    # staff read the same sentence on the household's page (to answer a call about it)
    staff = text(web.client("mira").get("/medewerker/huishouden/HH-0001").data)
    assert f"Het huishouden leest: “{sentence}”" in staff, staff
