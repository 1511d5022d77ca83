"""The pure rules of consent (issue 19.3): when the night may plan a household, which
documents can be a signed consent, scopes and their sentences."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.adapters.pdf_check import pdf_opens
from huishoudboekje.domain.consent import (
    Consent,
    ConsentScope,
    document_problem,
    is_planned_with,
    scope_problem,
    scope_sentence,
)
from tests.consent_support import signed_pdf

SIGNED = date(2026, 3, 1)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


@given(night=days, withdrawn=st.none() | days, end=st.none() | days)
def test_the_night_plans_with_a_consent_that_applies_or_to_settle(
    night: date, withdrawn: date | None, end: date | None
) -> None:
    consent = Consent(SIGNED, "J. Jansen", withdrawn_on=withdrawn)
    planned = is_planned_with(consent, end, night, required=True)
    applies = night >= SIGNED and (withdrawn is None or night <= withdrawn)
    settling = end is not None and night > end
    assert planned == (applies or settling)
    assert is_planned_with(None, end, night, required=True) == settling
    assert is_planned_with(None, end, night, required=False)  # not required: always


def test_a_consent_applies_from_its_day_to_its_withdrawal() -> None:
    consent = Consent(SIGNED, "J.", withdrawn_on=SIGNED + timedelta(days=30))
    assert not consent.applies_on(SIGNED - timedelta(days=1))
    assert consent.applies_on(SIGNED) and consent.applies_on(SIGNED + timedelta(days=30))
    assert not consent.applies_on(SIGNED + timedelta(days=31))


def test_which_bytes_can_be_a_signed_consent() -> None:
    pdf = signed_pdf()
    assert document_problem(pdf, 5 * 1024 * 1024) is None and pdf_opens(pdf)
    assert document_problem(b"", 100) == "Het bestand is leeg. Kies het getekende document (PDF)."
    assert "geen PDF-bestand" in (document_problem(b"GIF89a", 100) or "")
    too_big = document_problem(b"%PDF-" + b"x" * 2 * 1024 * 1024, 1024 * 1024)
    assert too_big == "Het bestand is te groot (2,0 MB); het mag hoogstens 1,0 MB zijn."
    assert not pdf_opens(b"%PDF-1.4\nnot really")  # the magic alone is not enough
    assert not pdf_opens(pdf[: len(pdf) // 3])  # cut off


def test_scopes_name_only_existing_rules_and_read_as_dutch() -> None:
    scope = ConsentScope(("loon",), ("huur", "gas"))
    assert scope_problem(scope, {"loon"}, {"huur"}) == (
        "De toestemming noemt vaste last 'gas', maar die bestaat niet."
    )
    assert scope_problem(ConsentScope(), set(), set()) is None
    assert scope_sentence(ConsentScope(), {}, {}) == "alle inkomsten en alle vaste lasten"
    partial = scope_sentence(ConsentScope(None, ()), {}, {})
    assert partial == "alle inkomsten; geen vaste lasten"
    assert scope_sentence(ConsentScope(("loon",), None), {"loon": "Loon"}, {}) == (
        "inkomsten: Loon; alle vaste lasten"
    )
