"""The hand-over and the household's answer through the web (issue 19.4, 19.7): a
medewerker hands a household over with a note, the new one sees it (page and
caseload marker) until "Gelezen"; a staff change to the rent becomes a proposal the
household agrees to with its own login; a post household's answer is recorded by
staff; another household cannot answer."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    save_household,
)
from huishoudboekje.adapters.persistence.team_repo import proposals
from huishoudboekje.domain.household import Contact, PostalAddress
from huishoudboekje.domain.money import Money
from huishoudboekje.services.signal_deadlines import signal_deadlines
from tests.test_web_four_eyes import RENT_PATH, rent_form
from tests.web_fixtures import TODAY, WebEnv, make_app, web  # noqa: F401

NOTE = "Mevrouw Jansen belt liever op dinsdag. De huurverhoging van april loopt nog."
WHY = "Uw huur gaat omhoog. De woningcorporatie heeft ons een brief gestuurd."


@pytest.fixture
def asking(web: WebEnv) -> Iterator[WebEnv]:  # noqa: F811
    """The demo gemeente that asks households (HHB_ASK_HOUSEHOLD=1); HH-0001 is mira's."""
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0001")
        assert household is not None
        save_household(uow, dataclasses.replace(household, caseworker="mira"))
        uow.commit()
    app = make_app(web.db_url, HHB_ASK_HOUSEHOLD="1")
    yield WebEnv(app, app.extensions["hhb_engine"], web.db_url)
    app.extensions["hhb_engine"].dispose()


def _rent(env: WebEnv) -> Money:
    with UnitOfWork(env.engine) as uow:
        household = load_household(uow, "HH-0001")
    assert household is not None
    return next(c.amount for c in household.charges if c.id == "huur")


def test_hand_over_with_a_note_seen_until_read(asking: WebEnv) -> None:
    mira = asking.client("mira")
    form = mira.get("/medewerker/huishouden/HH-0001/overdragen").get_data(as_text=True)
    assert 'value="mats"' in form and "Notitie voor de nieuwe medewerker" in form
    short = mira.post(
        "/medewerker/huishouden/HH-0001/overdragen", data={"medewerker": "mats", "notitie": "x"}
    )
    assert short.status_code == 400 and "niets overgedragen" in short.get_data(as_text=True)
    done = mira.post(
        "/medewerker/huishouden/HH-0001/overdragen", data={"medewerker": "mats", "notitie": NOTE}
    )
    assert done.status_code == 302
    mats = asking.client("mats")
    caseload = mats.get("/medewerker/?wie=alle").get_data(as_text=True)
    assert "overgedragen aan u" in caseload
    page = mats.get("/medewerker/huishouden/HH-0001").get_data(as_text=True)
    assert "Overgedragen door Mira" in page and NOTE in page and "Gelezen</button>" in page
    [handover_id] = re.findall(r"/overdracht/(\d+)/gelezen", page)
    # only the new medewerker marks it read
    mira.post(f"/medewerker/huishouden/HH-0001/overdracht/{handover_id}/gelezen")
    assert "overgedragen aan u" in mats.get("/medewerker/?wie=alle").get_data(as_text=True)
    mats.post(f"/medewerker/huishouden/HH-0001/overdracht/{handover_id}/gelezen")
    assert "overgedragen aan u" not in mats.get("/medewerker/?wie=alle").get_data(as_text=True)
    page = mats.get("/medewerker/huishouden/HH-0001").get_data(as_text=True)
    assert "Gelezen op" in page and NOTE in page
    # mira is no longer the household's medewerker: she cannot hand it over again
    again = mira.post(
        "/medewerker/huishouden/HH-0001/overdragen", data={"medewerker": "tom", "notitie": NOTE}
    )
    assert again.status_code == 400


def test_the_household_agrees_with_its_own_login(asking: WebEnv) -> None:
    mira = asking.client("mira")
    no_why = mira.post(RENT_PATH, data=rent_form(amount="745,40"))
    assert no_why.status_code == 400 and "Schrijf waarom" in no_why.get_data(as_text=True)
    mira.post(RENT_PATH, data=rent_form(amount="745,40") | {"waarom": WHY})
    assert _rent(asking) == Money("725.40")  # not yet
    jansen = asking.client("jansen")
    assert "Uw medewerker wil iets veranderen" in jansen.get("/vandaag").get_data(as_text=True)
    page = jansen.get("/wijzigingen").get_data(as_text=True)
    assert (
        "€ 745,40 (was € 725,40)" in page
        and WHY in page
        and "4 maart 2026, als u akkoord bent" in page
    )
    [pid] = re.findall(r'action="/wijzigingen/(\d+)"', page)
    # another household cannot answer it
    other = asking.client("devries").post(f"/wijzigingen/{pid}", data={"antwoord": "akkoord"})
    assert other.status_code == 302 and _rent(asking) == Money("725.40")
    answered = jansen.post(f"/wijzigingen/{pid}", data={"antwoord": "akkoord"})
    assert answered.status_code == 302
    assert _rent(asking) == Money("745.40")
    done = jansen.get("/wijzigingen").get_data(as_text=True)
    assert "Er zijn nu geen voorgestelde wijzigingen" in done and "Veranderd op" in done
    staff = mira.get("/medewerker/huishouden/HH-0001").get_data(as_text=True)
    assert "akkoord, zelf online" in staff


def test_contact_first_shows_on_the_worklist(asking: WebEnv) -> None:
    mira = asking.client("mira")
    mira.post(RENT_PATH, data=rent_form(amount="745,40") | {"waarom": WHY})
    jansen = asking.client("jansen")
    [pid] = re.findall(
        r'action="/wijzigingen/(\d+)"', jansen.get("/wijzigingen").get_data(as_text=True)
    )
    jansen.post(f"/wijzigingen/{pid}", data={"antwoord": "contact", "bericht": "Bel mij maar"})
    lists = mira.get("/medewerker/werklijsten").get_data(as_text=True)
    assert "huishouden wil eerst contact" in lists
    page = mira.get("/medewerker/huishouden/HH-0001").get_data(as_text=True)
    assert "wil eerst contact, zelf online" in page and "Bel mij maar" in page
    # the signal with its deadline (tests/test_team_proposals.py) is the medewerker's
    with UnitOfWork(asking.engine) as uow:
        [signal] = [s for s in signal_deadlines(uow, TODAY) if s.kind == "contact_gevraagd"]
    assert signal.owner == "mira" and "Bel mij maar" in signal.message


def test_staff_record_the_answer_of_a_household_by_post(asking: WebEnv) -> None:
    with UnitOfWork(asking.engine) as uow:
        household = load_household(uow, "HH-0001")
        assert household is not None
        save_household(
            uow,
            dataclasses.replace(
                household,
                contact=Contact.POST,
                address=PostalAddress("Lange Nieuwstraat 12", "3512 PN", "Utrecht"),
            ),
        )
        uow.commit()
    mira = asking.client("mira")
    mira.post(RENT_PATH, data=rent_form(amount="745,40") | {"waarom": WHY})
    page = mira.get("/medewerker/huishouden/HH-0001").get_data(as_text=True)
    assert "per post en kan niet zelf klikken" in page
    [pid] = re.findall(r"/voorstel/(\d+)/antwoord", page)
    mats = asking.client("mats")
    mats.post(
        f"/medewerker/huishouden/HH-0001/voorstel/{pid}/antwoord",
        data={"antwoord": "akkoord", "via": "telefonisch", "toelichting": "belde om 10 uur"},
    )
    assert _rent(asking) == Money("745.40")
    page = mira.get("/medewerker/huishouden/HH-0001").get_data(as_text=True)
    assert "akkoord, telefonisch (vastgelegd door Mats)" in page
    with UnitOfWork(asking.engine) as uow:
        [event] = load_audit_events(uow, action="household.proposal_akkoord")
        assert event.actor == "mats" and event.after["message"] == "belde om 10 uur"
        assert [p.status for p in proposals(uow)] == ["toegepast"]


def test_urgent_change_applies_and_the_household_reads_why(asking: WebEnv) -> None:
    mira = asking.client("mira")
    mira.post(
        RENT_PATH,
        data=rent_form(amount="745,40") | {"spoed": "1", "spoed_reden": "Anders volgt uitzetting"},
    )
    assert _rent(asking) == Money("745.40")
    page = asking.client("jansen").get("/wijzigingen").get_data(as_text=True)
    assert "Met spoed veranderd op" in page and "Anders volgt uitzetting" in page
    today = asking.client("jansen").get("/vandaag").get_data(as_text=True)
    assert "Uw medewerker heeft met spoed iets veranderd" in today
    assert "Waarom met spoed: Anders volgt uitzetting" in today


def test_the_monthly_letter_mentions_a_pending_proposal(asking: WebEnv) -> None:
    with UnitOfWork(asking.engine) as uow:
        household = load_household(uow, "HH-0001")
        assert household is not None
        address = PostalAddress("Lange Nieuwstraat 12", "3512 PN", "Utrecht")
        save_household(uow, dataclasses.replace(household, contact=Contact.POST, address=address))
        uow.commit()
    mira = asking.client("mira")
    url = "/medewerker/huishouden/HH-0001/brief.pdf?maand=2026-02"
    before = PdfReader(io.BytesIO(mira.get(url).data))
    assert "Wij willen iets veranderen" not in "".join(p.extract_text() for p in before.pages)
    mira.post(RENT_PATH, data=rent_form(amount="745,40") | {"waarom": WHY})
    pdf = PdfReader(io.BytesIO(mira.get(url).data))
    text = " ".join("".join(p.extract_text() for p in pdf.pages).split())
    assert "Wij willen iets veranderen" in text
    assert "€ 745,40 (was € 725,40)" in text and "pas in als u akkoord bent" in text


def test_four_eyes_and_the_household_through_the_web(asking: WebEnv) -> None:
    mira = asking.client("mira")
    mira.post(RENT_PATH, data=rent_form(amount="825,40") | {"waarom": WHY})  # € 100 more
    approvals = asking.client("tom").get("/medewerker/goedkeuren").get_data(as_text=True)
    assert "ook aan het huishouden voorgelegd" in approvals
    [request_id] = re.findall(r'action="/medewerker/goedkeuren/(\d+)"', approvals)
    jansen = asking.client("jansen")
    [pid] = re.findall(
        r'action="/wijzigingen/(\d+)"', jansen.get("/wijzigingen").get_data(as_text=True)
    )
    jansen.post(f"/wijzigingen/{pid}", data={"antwoord": "akkoord"})
    assert "teamleider het ook goed vindt" in jansen.get("/wijzigingen").get_data(as_text=True)
    assert _rent(asking) == Money("725.40")
    tom = asking.client("tom")  # logged in just now: no second login to approve
    tom.post(f"/medewerker/goedkeuren/{request_id}", data={"besluit": "goedkeuren"})
    assert _rent(asking) == Money("825.40")
