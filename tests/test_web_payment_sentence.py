"""The Vandaag sentence about the most recent fixed-charge payment follows where
the nightly run's payment stands: paid, on its way, or sent back by the bank."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.nightly_repo import (
    instruction_rows,
    set_instruction_status,
)
from huishoudboekje.adapters.persistence.nightly_tables import PaymentInstructionRow
from huishoudboekje.adapters.persistence.tables import table_of
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.services.night_worklists import HouseholdPayment
from tests.test_web_pages import text
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401
from web.formatting import day
from web.sentences import payment_sentence


def payment(status: InstructionStatus, reason: str = "") -> HouseholdPayment:
    return HouseholdPayment(
        end_to_end_id="HH-0001-huur-20260301",
        charge_id="huur",
        payee_name="Woonstichting Voorbeeld",
        amount=Money("725.40"),
        execution_date=date(2026, 2, 27),
        status=status.value,
        return_reason=reason,
    )


@pytest.mark.parametrize(
    ("status", "kind", "sentence"),
    [
        (InstructionStatus.PAID, "huur", "Uw huur van € 725,40 is betaald."),
        (
            InstructionStatus.INSTRUCTED,
            "energie",
            "Uw energie van € 725,40 wordt betaald op vrijdag 27 februari.",
        ),
        (
            InstructionStatus.IN_FLIGHT,
            "energie",
            "Uw energie van € 725,40 wordt betaald op vrijdag 27 februari.",
        ),
        (
            InstructionStatus.RETURNED,
            "huur",
            "Uw huur van € 725,40 is niet betaald: de bank heeft de betaling teruggestuurd. "
            "Het geld staat weer in uw buffer. Uw medewerker heeft hierover een melding gekregen.",
        ),
        (InstructionStatus.PAID, "onbekend", "Uw rekening van € 725,40 is betaald."),
    ],
)
def test_the_sentence_follows_the_payment_status(
    status: InstructionStatus, kind: str, sentence: str
) -> None:
    before = date(2026, 2, 26)  # the day before the payment's execution date
    assert payment_sentence(payment(status, "AC01"), kind, before).replace("\xa0", " ") == sentence


@pytest.mark.parametrize("status", [InstructionStatus.INSTRUCTED, InstructionStatus.IN_FLIGHT])
@pytest.mark.parametrize("today", [date(2026, 2, 27), date(2026, 3, 2)])
def test_a_payment_on_or_past_its_day_is_sent_until_the_bank_says_more(
    status: InstructionStatus, today: date
) -> None:
    """Its execution date has come, the bank's statement is not read yet: it went."""
    sentence = payment_sentence(payment(status), "huur", today).replace("\xa0", " ")
    assert (
        sentence == "Wij hebben uw huur van € 725,40 op vrijdag 27 februari naar de bank gestuurd."
    )


def test_without_stored_payments_the_journal_says_what_was_paid(web: WebEnv) -> None:
    """A journal from before the nightly run kept its payments (or booked by hand):
    Vandaag falls back on the fixed charges the journal shows."""
    client = web.client("jansen")
    stored = text(client.get("/vandaag").data)
    with UnitOfWork(web.engine) as uow:
        uow.session.execute(delete(table_of(PaymentInstructionRow)))
        uow.commit()
    fallback = text(client.get("/vandaag").data)
    sentence = re.compile(r"Uw (huur|zorgpremie|energie) van € [\d.]+,\d\d is betaald\.")
    found, again = sentence.search(stored), sentence.search(fallback)
    assert found is not None and again is not None, fallback
    assert found[0] == again[0]  # the same charge, as the journal tells it


def test_betaald_says_sent_for_a_payment_past_its_day_and_on_its_way_for_one_to_come(
    web: WebEnv,
) -> None:
    client = web.client("jansen")
    with UnitOfWork(web.engine) as uow:
        rows = instruction_rows(uow)
        past = max(
            (r for r in rows if r.kind == "charge" and r.execution_date <= TODAY),
            key=lambda r: r.execution_date,
        )
        set_instruction_status(uow, past.end_to_end_id, InstructionStatus.IN_FLIGHT)
        uow.commit()
    body = text(client.get("/betaald").data)
    assert f"overgemaakt op {day(past.execution_date)}" in body, body
    assert f"onderweg, wordt betaald op {day(past.execution_date)}" not in body
