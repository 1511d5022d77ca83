"""What one CAMT `TxDtls` says beyond its amount: parties, remittance, return.

`connectors.camt_entry` splits an entry into `TxDraft`s; the readers here fill
a draft's counterparty (name, IBAN, BIC), description and structured
reference, and its return information, from the same element names in every
CAMT version from 001.02 to 001.08.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from connectors.camt_values import (
    Children,
    Names,
    children,
    clean,
    clean_reference,
    descend,
    shared,
    structured_info_tags,
    text_at,
)
from huishoudboekje.domain.money import Money

# A remittance line at least this long is taken as a chunk of a longer text that
# the bank cut at its 140-character limit, so the next line continues it directly
# (banks cut mid-word: "Positi" + "e na transactie").
USTRD_CHUNK_LENGTH = 120


@dataclass(slots=True)
class TxDraft:
    """A transaction before the statement gives it an account-scoped dedupe key."""

    amount: Money
    currency: str
    booking_date: date
    value_date: date
    counterparty_name: str = ""
    counterparty_iban: str = ""
    counterparty_bic: str = ""
    description: str = ""
    structured_reference: str = ""
    end_to_end_id: str = ""
    bank_reference: str = ""
    reference_suffix: str = ""
    bank_transaction_code: str = ""
    is_reversal: bool = False
    is_return: bool = False
    return_reason: str = ""
    original_end_to_end_id: str = ""


def child_text(fields: Children, tag: str) -> str | None:
    """The text of the child `tag` among `fields`; None when there is no such child."""
    element = fields.get(tag)
    return None if element is None else element.text


def read_party(
    draft: TxDraft, fields: Children, direction: int, own_account: str, names: Names
) -> None:
    """Fill the counterparty's IBAN, name and BIC; never take `own_account` for it."""
    # The counterparty pays us on a credit (Dbtr) and is paid on a debit (Cdtr).
    party, account, agent = (
        (names.Dbtr, names.DbtrAcct, names.DbtrAgt)
        if direction > 0
        else (names.Cdtr, names.CdtrAcct, names.CdtrAgt)
    )
    parties = children(fields.get(names.RltdPties))
    number = _account_number(parties.get(account), names)
    if own_account and number == own_account:
        # some banks keep the parties of the original payment on a return
        party, account, agent = (
            (names.Cdtr, names.CdtrAcct, names.CdtrAgt)
            if direction > 0
            else (names.Dbtr, names.DbtrAcct, names.DbtrAgt)
        )
        number = _account_number(parties.get(account), names)
    draft.counterparty_iban = shared(number)
    found = parties.get(party)
    if found is not None:
        # 001.08 wraps the party in <Pty>; earlier versions do not.
        name = text_at(found, names.Nm)
        draft.counterparty_name = shared(
            clean(name if name is not None else text_at(found, names.Pty, names.Nm))
        )
    institution = descend(fields.get(names.RltdAgts), agent, names.FinInstnId)
    if institution is not None:
        # BIC up to 001.06, BICFI from 001.07.
        bic = text_at(institution, names.BIC) or text_at(institution, names.BICFI)
        draft.counterparty_bic = shared(clean(bic).upper())


def _account_number(account: etree._Element | None, names: Names) -> str:
    identification = descend(account, names.Id)
    number = text_at(identification, names.IBAN) or text_at(identification, names.Othr, names.Id)
    return clean(number).replace(" ", "").upper()


def read_remittance(draft: TxDraft, fields: Children, names: Names, fallback: str) -> None:
    """Fill description and structured reference; `fallback` (the entry's info) when empty."""
    remittance = fields.get(names.RmtInf)
    description = ""
    if remittance is not None:
        lines = [line.text or "" for line in remittance if line.tag == names.Ustrd]
        description = join_unstructured(lines)
        for block in remittance:
            if block.tag == names.Strd:
                reference = clean(text_at(block, names.CdtrRefInf, names.Ref))
                if reference:
                    draft.structured_reference = reference
                    break
    draft.description = description or clean(child_text(fields, names.AddtlTxInf)) or fallback


def join_unstructured(lines: list[str]) -> str:
    """Join `Ustrd` lines: cut chunks of one long text directly, separate lines with a space."""
    text = ""
    previous: str | None = None
    for line in lines:
        if previous is not None and len(previous) < USTRD_CHUNK_LENGTH:
            text += " "
        text += line
        previous = line
    return clean(text)


def read_return(draft: TxDraft, info: etree._Element | None, names: Names) -> None:
    """Mark the draft as a return with its reason when the TxDtls has `RtrInf`."""
    if info is None:
        return
    draft.is_return = True
    draft.return_reason = clean(text_at(info, names.Rsn, names.Cd)) or clean(
        text_at(info, names.Rsn, names.Prtry)
    )
    # A return carries the EndToEndId of the payment that came back.
    draft.original_end_to_end_id = draft.end_to_end_id


def fill_from_entry_info(draft: TxDraft, info: str) -> None:
    """For a single booking, take what TxDtls lacks from `/NAME/…/IBAN/…` in AddtlNtryInf."""
    tags = structured_info_tags(info)
    if not tags:
        return
    if not draft.counterparty_name:
        draft.counterparty_name = tags.get("NAME", "")
    if not draft.counterparty_iban:
        draft.counterparty_iban = tags.get("IBAN", "").replace(" ", "").upper()
    if not draft.counterparty_bic:
        draft.counterparty_bic = tags.get("BIC", "").upper()
    if not draft.end_to_end_id:
        draft.end_to_end_id = clean_reference(tags.get("EREF"))
    if not draft.is_return and tags.get("RTRN"):
        draft.is_return = True
        draft.return_reason = tags["RTRN"]
        draft.original_end_to_end_id = draft.end_to_end_id
