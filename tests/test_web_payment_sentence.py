"""The Vandaag sentence about the most recent fixed-charge payment follows where
the nightly run's payment stands: paid, on its way, or sent back by the bank."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete

from huishoudboekje.bankbook import InstructionStatus
from huishoudboekje.money import Money
from huishoudboekje.night_worklists import HouseholdPayment
from huishoudboekje.persistence import UnitOfWork
from huishoudboekje.persistence.nightly_tables import PaymentInstructionRow
from huishoudboekje.persistence.tables import table_of
from tests.test_web_pages import text
from tests.web_fixtures import WebEnv, web  # noqa: F401
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
            "Uw energierekening van € 725,40 wordt betaald op vrijdag 27 februari.",
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
    assert payment_sentence(payment(status, "AC01"), kind).replace("\xa0", " ") == sentence


def test_without_stored_payments_the_journal_says_what_was_paid(web: WebEnv) -> None:
    """A journal from before the nightly run kept its payments (or booked by hand):
    Vandaag falls back on the fixed charges the journal shows."""
    client = web.client("jansen")
    stored = text(client.get("/vandaag").data)
    with UnitOfWork(web.engine) as uow:
        uow.session.execute(delete(table_of(PaymentInstructionRow)))
        uow.commit()
    fallback = text(client.get("/vandaag").data)
    sentence = re.compile(
        r"Uw (huur|zorgverzekering|energierekening) van € [\d.]+,\d\d is betaald\."
    )
    found, again = sentence.search(stored), sentence.search(fallback)
    assert found is not None and again is not None, fallback
    assert found[0] == again[0]  # the same charge, as the journal tells it
