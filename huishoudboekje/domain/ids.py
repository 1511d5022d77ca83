"""Every id the engine builds: EndToEndIds, journal entry ids and signal keys.

They are idempotency keys: a night run twice, or a plan made again, builds the
same ids, so the journal, the instructions and the signals recognise what is
already there. They are stored and sent to the bank, so a format here never
changes: an id built today must equal the one built a year ago.

EndToEndIds (pain.001) hold at most 35 characters; ours use only A-Z, a-z, 0-9
and "-", a subset of the SEPA character set every bank accepts.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from huishoudboekje.domain.kept import kept
from huishoudboekje.domain.payments import MAX_END_TO_END_ID

MAX_E2E_LENGTH = MAX_END_TO_END_ID  # pain.001 allows no more

_NOT_IN_E2E = re.compile(r"[^A-Za-z0-9-]")

# subjects of the planner's own instructions and bookings (a charge's subject is its id)
LEEFGELD = "LG"
ARREARS = "NB"  # "nabetaling": leefgeld held back earlier, paid now
REMAINDER = "RESTANT"  # what is left at the end of a participation

EXTRA_E2E_PREFIX = "HHB-EXTRA-"
EXTRA_CHARGE_PREFIX = "verzoek-"
BANK_ENTRY = "bank"  # the first part of the entry id of a bank transaction
OPENING_ENTRY = "beginsaldo"


# ------------------------------------------------------------ EndToEndIds


def e2e_safe(text: str) -> str:
    """`text` with only the characters an EndToEndId may hold here (A-Z, a-z, 0-9, -)."""
    return _NOT_IN_E2E.sub("", text)


@kept(maxsize=65536, per_household=True)  # asked again by every forecast of the same plan
def instruction_id(household: str, subject: str, day: date) -> str:
    """A stable EndToEndId: readable when it fits in 35 characters, else hashed."""
    readable = f"{e2e_safe(f'{household}-{subject}')}-{day.year:04d}{day.month:02d}{day.day:02d}"
    if len(readable) <= MAX_E2E_LENGTH:
        return readable
    digest = hashlib.sha256(f"{household}|{subject}|{day}".encode()).hexdigest()[:12].upper()
    return f"{e2e_safe(household)[: MAX_E2E_LENGTH - 22]}-{digest}-{day:%Y%m%d}"


def pays_charge(end_to_end_id: str, household: str, charge_id: str) -> bool:
    """Whether `end_to_end_id` reads as the id of a payment of that charge: only a readable
    id whose household code and charge id lost no characters to `e2e_safe` does."""
    return end_to_end_id.startswith(f"{household}-{charge_id}-")


def readable_release_prefix(household: str) -> str:
    """What the readable EndToEndId of every leefgeld release of `household` starts
    with (the nominal day follows as YYYYMMDD), whether or not those ids fit."""
    return f"{e2e_safe(f'{household}-{LEEFGELD}')}-"


def charge_instruction_id(household: str, charge_id: str, due: date) -> str:
    """The EndToEndId of a fixed charge's payment due on `due`."""
    return instruction_id(household, charge_id, due)


def release_id(household: str, nominal: date) -> str:
    """The EndToEndId of the leefgeld release of nominal day `nominal`."""
    return instruction_id(household, LEEFGELD, nominal)


def arrears_id(household: str, day: date) -> str:
    """The EndToEndId of leefgeld held back earlier and paid on `day`."""
    return instruction_id(household, ARREARS, day)


def remainder_id(household: str, day: date) -> str:
    """The EndToEndId of what is paid out when the participation ends."""
    return instruction_id(household, REMAINDER, day)


def reserve_contribution_id(household: str, reserve_id: str, day: date) -> str:
    """The entry id of the month's contribution to a reserve (one per calendar month)."""
    return instruction_id(household, f"RS-{reserve_id}", date(day.year, day.month, 1))


def extra_end_to_end_id(request_id: int, attempt: int = 1) -> str:
    """The stable EndToEndId of a request's payment (≤ 35 characters); a later
    attempt (after a return) gets its own: HHB-EXTRA-7, HHB-EXTRA-7-2, …"""
    base = f"{EXTRA_E2E_PREFIX}{request_id}"
    return base if attempt <= 1 else f"{base}-{attempt}"


def extra_charge_id(request_id: int) -> str:
    """The `charge_id` every payment of a request carries: links payment and request."""
    return f"{EXTRA_CHARGE_PREFIX}{request_id}"


def request_of_charge_id(charge_id: str) -> int | None:
    """The request id of an extra payment's `charge_id`, or None."""
    rest = charge_id.removeprefix(EXTRA_CHARGE_PREFIX)
    return int(rest) if rest != charge_id and rest.isdigit() else None


# ------------------------------------------------------- journal entry ids
# Entry ids and signal keys are parts joined by ":"; the first part says whose it is.


def _joined(*parts: str) -> str:
    return ":".join(parts)


def instructed_entry_id(end_to_end_id: str) -> str:
    """The entry that moves an instructed amount from the vat to in flight."""
    return _joined(end_to_end_id, "opdracht")


def executed_entry_id(end_to_end_id: str) -> str:
    """The entry of an instruction the (simulated) bank executed."""
    return _joined(end_to_end_id, "uitgevoerd")


def reserve_draw_entry_id(charge_due_id: str) -> str:
    """The entry that pays a charge occurrence's share from its reserve."""
    return _joined(charge_due_id, "reserve")


def reserve_release_entry_id(remainder: str, reserve_id: str) -> str:
    """The entry that returns a reserve to the vat when the participation ends."""
    return _joined(remainder, "reserve", reserve_id)


def advance_draw_entry_id(charge_due_id: str) -> str:
    """The entry that draws on the advance for a charge occurrence."""
    return _joined(charge_due_id, "voorschot")


def repayment_entry_id(household: str, what: str, day: date, owed_cents: int) -> str:
    """The entry of an advance repayment (`what`: regular or at the end) on `day`
    while `owed_cents` were owed, so a second repayment that day is its own entry."""
    return _joined(household, what, day.isoformat(), str(owed_cents))


def bank_entry_id(dedupe_key: str) -> str:
    """The journal entry id of a bank transaction (its dedupe key makes it idempotent)."""
    return _joined(BANK_ENTRY, dedupe_key)


def assignment_entry_id(dedupe_key: str) -> str:
    """The entry of staff assigning an unmatched credit to a household."""
    return _joined(bank_entry_id(dedupe_key), "toegewezen")


def split_entry_id(dedupe_key: str, part: int) -> str:
    """Part `part` (1, 2, ...) of staff splitting an unmatched credit over households."""
    return _joined(bank_entry_id(dedupe_key), "verdeeld", str(part))


def opening_entry_id(account_iban: str, day: date | None = None, statement_id: str = "") -> str:
    """The one-time beginsaldo of the pooled account (`account_iban` normalised); with
    `day` and `statement_id`, the correction for a statement older than the first one."""
    if day is None:
        return _joined(OPENING_ENTRY, account_iban)
    return _joined(OPENING_ENTRY, account_iban, day.isoformat(), statement_id)


def simulated_income_entry_id(household: str, day: date, income_id: str, index: int) -> str:
    """The entry of the `index`-th income a simulation books on `day`."""
    return _joined(household, "inkomen", day.isoformat(), income_id, str(index))


def start_balance_entry_id(household: str) -> str:
    """The entry of a simulated household's starting balance."""
    return _joined(household, "startsaldo")


# ----------------------------------------------------------- signal keys


def signal_key(household: str, topic: str, *details: str) -> str:
    """The key of a signal: raising it again (a later night, a new plan) updates the
    stored one instead of adding another. `household` is "" for the pooled account."""
    return _joined(household, topic, *details)


def missing_statement_key(account: str, statement_id: str) -> str:
    """The key of the "ontbrekend afschrift" signal raised about `statement_id`."""
    return signal_key("", "ontbrekend_afschrift", account, statement_id)


def unmatched_key(dedupe_key: str) -> str:
    """The key of the "onbekende transactie" signal about a bank transaction."""
    return signal_key("", "onbekend", dedupe_key)


def unmatched_ageing_key(dedupe_key: str) -> str:
    """The key of the signal that an unmatched transaction has waited too long."""
    return signal_key("", "onbekend_oud", dedupe_key)


def payment_returned_key(household: str, end_to_end_id: str) -> str:
    """The key of the "betaling teruggekomen" signal about `end_to_end_id`."""
    return signal_key(household, "teruggekomen", end_to_end_id)


def waiting_request_key(household: str, request_id: int) -> str:
    """The key of the signal that an approved extra request waits for money."""
    return signal_key(household, "verzoek", str(request_id))
