"""The ids the engine builds (domain.ids): stored and sent to the bank, so they never change."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain import ids
from huishoudboekje.domain.kept import forget_kept_results
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import PaymentInstruction

SEPA_E2E = re.compile(r"[A-Za-z0-9-]{1,35}")
codes = st.text(min_size=1, max_size=40)
subjects = st.text(min_size=1, max_size=40)
days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


def reference_instruction_id(household: str, subject: str, day: date) -> str:
    """The EndToEndId as the engine has always built it (before issue 15), restated."""
    clean = re.sub(r"[^A-Za-z0-9-]", "", f"{household}-{subject}")
    readable = f"{clean}-{day:%Y%m%d}"
    if len(readable) <= 35:
        return readable
    digest = hashlib.sha256(f"{household}|{subject}|{day}".encode()).hexdigest()[:12].upper()
    prefix = re.sub(r"[^A-Za-z0-9-]", "", household)[:13]
    return f"{prefix}-{digest}-{day:%Y%m%d}"


@given(codes, subjects, days)
def test_instruction_ids_are_built_as_they_always_were(household: str, subject: str, day: date):
    built = ids.instruction_id(household, subject, day)
    assert built == reference_instruction_id(household, subject, day)
    forget_kept_results()
    assert ids.instruction_id(household, subject, day) == built  # not an artefact of the cache


@given(codes, subjects, days)
def test_instruction_ids_fit_in_a_sepa_end_to_end_id(household: str, subject: str, day: date):
    for built in (
        ids.instruction_id(household, subject, day),
        ids.charge_instruction_id(household, subject, day),
        ids.release_id(household, day),
        ids.arrears_id(household, day),
        ids.remainder_id(household, day),
        ids.reserve_contribution_id(household, subject, day),
    ):
        assert SEPA_E2E.fullmatch(built), built


@given(st.integers(min_value=1, max_value=10**15), st.integers(min_value=1, max_value=999))
def test_extra_end_to_end_ids_fit_and_differ_per_attempt(request_id: int, attempt: int):
    built = ids.extra_end_to_end_id(request_id, attempt)
    assert SEPA_E2E.fullmatch(built)
    assert built != ids.extra_end_to_end_id(request_id, attempt + 1)
    assert built != ids.extra_end_to_end_id(request_id + 1, attempt)


@given(st.integers(min_value=0, max_value=10**18))
def test_the_request_of_an_extra_charge_id_is_read_back(request_id: int):
    assert ids.request_of_charge_id(ids.extra_charge_id(request_id)) == request_id


@given(st.from_regex(r"[A-Za-z0-9-]{1,20}", fullmatch=True), days)
def test_a_readable_release_id_is_its_prefix_and_the_nominal_day(household: str, nominal: date):
    built = ids.release_id(household, nominal)
    prefix = ids.readable_release_prefix(household)
    if len(prefix) + 8 <= ids.MAX_E2E_LENGTH:
        assert built == f"{prefix}{nominal:%Y%m%d}"
        assert date.fromisoformat(f"{built[-8:-4]}-{built[-4:-2]}-{built[-2:]}") == nominal
    else:
        assert not built.startswith(prefix)


@given(st.from_regex(r"[A-Za-z0-9-]{1,10}", fullmatch=True), subjects, days)
def test_a_readable_charge_id_names_its_charge(household: str, charge_id: str, due: date):
    built = ids.charge_instruction_id(household, charge_id, due)
    fits = len(f"{household}-{charge_id}-YYYYMMDD") <= ids.MAX_E2E_LENGTH
    if fits and ids.e2e_safe(charge_id) == charge_id:
        assert ids.pays_charge(built, household, charge_id)
    assert not ids.pays_charge(built, household + "X", charge_id)


@given(codes, days, days)
def test_different_days_give_different_ids(household: str, one: date, other: date):
    if one != other:
        assert ids.release_id(household, one) != ids.release_id(household, other)


def test_ids_are_the_stored_ones():
    """Examples of every id, as the journal, the bank files and the signals hold them."""
    day = date(2026, 3, 1)
    assert ids.charge_instruction_id("HH-0001", "huur", day) == "HH-0001-huur-20260301"
    assert ids.release_id("HH-0001", date(2026, 3, 6)) == "HH-0001-LG-20260306"
    assert ids.arrears_id("HH-0001", day) == "HH-0001-NB-20260301"
    assert ids.remainder_id("HH-0001", day) == "HH-0001-RESTANT-20260301"
    assert ids.reserve_contribution_id("HH-0001", "kleding", date(2026, 3, 17)) == (
        "HH-0001-RS-kleding-20260301"
    )
    long = ids.instruction_id(
        "GEMEENTE-UTRECHT-HH-0001234", "energie_vattenfall", date(2026, 12, 31)
    )
    assert long == "GEMEENTE-UTRE-3422BB3EF967-20261231"
    odd = ids.instruction_id("HH 0002/ä", "zorg.verzekering", date(2027, 1, 4))
    assert odd == "HH0002-zorgverzekering-20270104"
    assert ids.extra_end_to_end_id(7) == "HHB-EXTRA-7"
    assert ids.extra_end_to_end_id(7, 2) == "HHB-EXTRA-7-2"
    assert ids.extra_charge_id(7) == "verzoek-7"

    e2e = "HH-0001-huur-20260301"
    assert ids.instructed_entry_id(e2e) == "HH-0001-huur-20260301:opdracht"
    assert ids.executed_entry_id(e2e) == "HH-0001-huur-20260301:uitgevoerd"
    assert ids.reserve_draw_entry_id(e2e) == "HH-0001-huur-20260301:reserve"
    assert ids.advance_draw_entry_id(e2e) == "HH-0001-huur-20260301:voorschot"
    assert ids.repayment_entry_id("HH-0001", "aflossing", day, 12345) == (
        "HH-0001:aflossing:2026-03-01:12345"
    )
    assert ids.reserve_release_entry_id("HH-0001-RESTANT-20260301", "kleding") == (
        "HH-0001-RESTANT-20260301:reserve:kleding"
    )
    assert ids.bank_entry_id("abc") == "bank:abc"
    assert ids.assignment_entry_id("abc") == "bank:abc:toegewezen"
    iban = "NL91ABNA0417164300"
    assert ids.opening_entry_id(iban) == "beginsaldo:NL91ABNA0417164300"
    assert ids.opening_entry_id(iban, day, "2026/3") == (
        "beginsaldo:NL91ABNA0417164300:2026-03-01:2026/3"
    )
    assert ids.simulated_income_entry_id("HH-0001", day, "loon", 2) == (
        "HH-0001:inkomen:2026-03-01:loon:2"
    )
    assert ids.start_balance_entry_id("HH-0001") == "HH-0001:startsaldo"

    assert ids.signal_key("HH-0001", "voorschot:x") == "HH-0001:voorschot:x"
    assert ids.signal_key("", "saldo_verschil", iban, "7") == f":saldo_verschil:{iban}:7"
    assert ids.missing_statement_key(iban, "7") == f":ontbrekend_afschrift:{iban}:7"
    assert ids.unmatched_key("k") == ":onbekend:k"
    assert ids.unmatched_ageing_key("k") == ":onbekend_oud:k"
    assert ids.payment_returned_key("HH-0001", e2e) == f"HH-0001:teruggekomen:{e2e}"
    assert ids.waiting_request_key("HH-0001", 7) == "HH-0001:verzoek:7"


@given(codes, subjects, days)
def test_a_payment_instruction_accepts_every_built_id(household: str, subject: str, day: date):
    e2e = ids.instruction_id(household, subject, day)
    iban = "NL91ABNA0417164300"
    instruction = PaymentInstruction(
        e2e, household, "charge", subject, "Woonstad", iban, "", Money("1.00"), day, "", "", ""
    )
    assert instruction.end_to_end_id
