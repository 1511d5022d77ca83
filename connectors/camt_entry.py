"""One CAMT `Ntry` (entry) → one draft transaction per `TxDtls`.

An entry is one booking on the account. A batch entry carries several `TxDtls`
(transaction details); each becomes its own transaction, and their amounts must
add up to the entry amount. The same code reads CAMT.052, .053 and .054 in
every version from 001.02 to 001.08: paths differ only where noted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from connectors.camt_values import (
    CamtRejection,
    Children,
    Names,
    checked_sum,
    children,
    clean,
    clean_reference,
    descend,
    domain_code,
    element_text,
    parse_amount,
    parse_bool,
    parse_currency,
    parse_date_choice,
    parse_direction,
    proprietary_code,
    shared,
    structured_info_tags,
    text_at,
)
from huishoudboekje.domain.money import ZERO, Money

BOOKED = "BOOK"
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


@dataclass(slots=True)
class EntryResult:
    """A parsed entry: its signed amount and its transactions (none when not booked)."""

    status: str
    amount: Money = ZERO
    currency: str = ""
    drafts: list[TxDraft] = field(default_factory=list)

    @property
    def is_booked(self) -> bool:
        # 001.02 requires Sts; some generators leave it out: treat that as booked.
        return self.status in ("", BOOKED)


@dataclass(slots=True)
class _EntryHead:
    """Entry-level fields that every transaction of the entry shares or falls back on."""

    amount: Money
    direction: int
    currency: str
    booking_date: date
    value_date: date
    is_reversal: bool
    reference: str
    domain_code: str
    proprietary_code: str
    info: str


def parse_entry(
    entry: etree._Element, names: Names, where: str, own_account: str = ""
) -> EntryResult:
    """Parse one `Ntry`; raise `CamtRejection` naming `where` when it is unusable.

    `own_account` (the statement's account) keeps our own account from being
    taken for the counterparty.
    """
    fields: Children = {}
    details: list[etree._Element] = []
    for child in entry:
        if child.tag == names.NtryDtls:  # 0..n NtryDtls, each with 0..n TxDtls
            details.extend(detail for detail in child if detail.tag == names.TxDtls)
        fields.setdefault(child.tag, child)
    status = element_text(fields.get(names.Sts))
    if status not in ("", BOOKED):
        return EntryResult(status=status)
    head = _entry_head(fields, names, where)
    if details:
        drafts = _split_details(details, head, names, where, own_account)
    else:
        drafts = [_draft_without_details(head)]
    if len(drafts) == 1:
        _fill_from_entry_info(drafts[0], head.info)
    _number_shared_references(drafts)
    return EntryResult(status=status, amount=head.amount, currency=head.currency, drafts=drafts)


def _entry_head(fields: Children, names: Names, where: str) -> _EntryHead:
    amount_element = fields.get(names.Amt)
    if amount_element is None:
        raise CamtRejection("entry has no amount (Amt)", where)
    amount = parse_amount(amount_element.text, where)
    currency = parse_currency(amount_element.get("Ccy"), where)
    direction = parse_direction(_text(fields, names.CdtDbtInd), where)
    booking_date = parse_date_choice(fields.get(names.BookgDt), names, "booking date", where)
    if booking_date is None:
        raise CamtRejection("entry has no booking date (BookgDt)", where)
    value_date = parse_date_choice(fields.get(names.ValDt), names, "value date", where)
    code = fields.get(names.BkTxCd)
    return _EntryHead(
        amount=amount if direction > 0 else -amount,
        direction=direction,
        currency=currency,
        booking_date=booking_date,
        value_date=value_date or booking_date,
        is_reversal=parse_bool(_text(fields, names.RvslInd)),
        reference=clean_reference(_text(fields, names.AcctSvcrRef)),
        domain_code=domain_code(code, names),
        proprietary_code=proprietary_code(code, names),
        info=clean(_text(fields, names.AddtlNtryInf)),
    )


def _text(fields: Children, tag: str) -> str | None:
    element = fields.get(tag)
    return None if element is None else element.text


def _draft_without_details(head: _EntryHead) -> TxDraft:
    return TxDraft(
        amount=head.amount,
        currency=head.currency,
        booking_date=head.booking_date,
        value_date=head.value_date,
        description=head.info,
        bank_reference=head.reference,
        bank_transaction_code=head.domain_code or head.proprietary_code,
        is_reversal=head.is_reversal,
    )


def _split_details(
    details: list[etree._Element],
    head: _EntryHead,
    names: Names,
    where: str,
    own_account: str,
) -> list[TxDraft]:
    fields = [children(detail) for detail in details]
    amounts = [_detail_amount(each, head, names, where) for each in fields]
    if len(details) == 1 and amounts[0] is None:
        amounts = [head.amount]
    missing = [index for index, amount in enumerate(amounts, start=1) if amount is None]
    if missing:
        raise CamtRejection(
            f"batch entry with {len(details)} TxDtls, but TxDtls {missing[0]} has no amount "
            f"in {head.currency}; the entry cannot be split",
            where,
        )
    known = [amount for amount in amounts if amount is not None]
    added = checked_sum(known, where)
    if added != head.amount:
        raise CamtRejection(
            f"the TxDtls amounts add up to {added} but the entry amount is {head.amount}",
            where,
        )
    return [
        _draft_from_detail(each, amount, head, names, own_account)
        for each, amount in zip(fields, known, strict=True)
    ]


def _detail_amount(fields: Children, head: _EntryHead, names: Names, where: str) -> Money | None:
    """The signed booked amount of one TxDtls, or None when it states none in the entry currency.

    001.03+ has `TxDtls/Amt` (+ its own CdtDbtInd); 001.02 only `AmtDtls/TxAmt/Amt`.
    An amount in another currency is the instructed (original) amount, not the booking.
    """
    candidates = (
        fields.get(names.Amt),
        descend(fields.get(names.AmtDtls), names.TxAmt, names.Amt),
    )
    for element in candidates:
        if element is not None and element.get("Ccy") == head.currency:
            amount = parse_amount(element.text, where)
            indicator = _text(fields, names.CdtDbtInd)
            direction = head.direction if indicator is None else parse_direction(indicator, where)
            return amount if direction > 0 else -amount
    return None


def _draft_from_detail(
    fields: Children, amount: Money, head: _EntryHead, names: Names, own_account: str
) -> TxDraft:
    direction = head.direction if not amount else (1 if amount.is_positive else -1)
    refs = children(fields.get(names.Refs))
    code = fields.get(names.BkTxCd)
    draft = TxDraft(
        amount=amount,
        currency=head.currency,
        booking_date=head.booking_date,
        value_date=head.value_date,
        end_to_end_id=clean_reference(_text(refs, names.EndToEndId)),
        bank_reference=clean_reference(_text(refs, names.AcctSvcrRef)) or head.reference,
        # an ISO domain code on either level wins over a proprietary one
        bank_transaction_code=domain_code(code, names)
        or head.domain_code
        or proprietary_code(code, names)
        or head.proprietary_code,
        is_reversal=head.is_reversal,
    )
    _read_party(draft, fields, direction, own_account, names)
    _read_remittance(draft, fields, head, names)
    _read_return(draft, fields.get(names.RtrInf), names)
    return draft


def _read_party(
    draft: TxDraft, fields: Children, direction: int, own_account: str, names: Names
) -> None:
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


def _read_remittance(draft: TxDraft, fields: Children, head: _EntryHead, names: Names) -> None:
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
    draft.description = description or clean(_text(fields, names.AddtlTxInf)) or head.info


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


def _read_return(draft: TxDraft, info: etree._Element | None, names: Names) -> None:
    if info is None:
        return
    draft.is_return = True
    draft.return_reason = clean(text_at(info, names.Rsn, names.Cd)) or clean(
        text_at(info, names.Rsn, names.Prtry)
    )
    # A return carries the EndToEndId of the payment that came back.
    draft.original_end_to_end_id = draft.end_to_end_id


def _fill_from_entry_info(draft: TxDraft, info: str) -> None:
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


def _number_shared_references(drafts: list[TxDraft]) -> None:
    """Within one batch entry, TxDtls that share a bank reference get their index as suffix."""
    if len(drafts) < 2:
        return
    counts = Counter(draft.bank_reference for draft in drafts)
    for index, draft in enumerate(drafts, start=1):
        if draft.bank_reference and counts[draft.bank_reference] > 1:
            draft.reference_suffix = str(index)
