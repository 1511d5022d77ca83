"""One CAMT `Ntry` (entry) → one draft transaction per `TxDtls`.

An entry is one booking on the account. A batch entry carries several `TxDtls`
(transaction details); each becomes its own transaction, and their amounts must
add up to the entry amount. The same code reads CAMT.052, .053 and .054 in
every version from 001.02 to 001.08: paths differ only where noted. What a
TxDtls says beyond its amount (parties, remittance, return) is read in
`connectors.camt_details`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from connectors.camt_details import (
    TxDraft,
    child_text,
    fill_from_entry_info,
    read_party,
    read_remittance,
    read_return,
)
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
)
from huishoudboekje.domain.money import ZERO, Money

BOOKED = "BOOK"


@dataclass(slots=True)
class EntryResult:
    """A parsed entry: its signed amount and its transactions (none when not booked)."""

    status: str
    amount: Money = ZERO
    currency: str = ""
    drafts: list[TxDraft] = field(default_factory=list)

    @property
    def is_booked(self) -> bool:
        """Whether the entry is booked (only booked entries become transactions)."""
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
    entry: etree._Element,
    names: Names,
    where: str,
    own_account: str = "",
    *,
    value_date_will_do: bool = False,
) -> EntryResult:
    """Parse one `Ntry`; raise `CamtRejection` naming `where` when it is unusable.

    `value_date_will_do`: an entry without a booking date takes its value date
    (camt.054 notifications often carry only that); otherwise it is refused.

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
    head = _entry_head(fields, names, where, value_date_will_do)
    if details:
        drafts = _split_details(details, head, names, where, own_account)
    else:
        drafts = [_draft_without_details(head)]
    if len(drafts) == 1:
        fill_from_entry_info(drafts[0], head.info)
    _number_shared_references(drafts)
    return EntryResult(status=status, amount=head.amount, currency=head.currency, drafts=drafts)


def _entry_head(fields: Children, names: Names, where: str, value_date_will_do: bool) -> _EntryHead:
    amount_element = fields.get(names.Amt)
    if amount_element is None:
        raise CamtRejection("entry has no amount (Amt)", where)
    amount = parse_amount(amount_element.text, where)
    currency = parse_currency(amount_element.get("Ccy"), where)
    direction = parse_direction(child_text(fields, names.CdtDbtInd), where)
    booking_date = parse_date_choice(fields.get(names.BookgDt), names, "booking date", where)
    value_date = parse_date_choice(fields.get(names.ValDt), names, "value date", where)
    if booking_date is None and value_date_will_do:
        booking_date = value_date
    if booking_date is None:
        missing = " or value date (ValDt)" if value_date_will_do else ""
        raise CamtRejection(f"entry has no booking date (BookgDt){missing}", where)
    code = fields.get(names.BkTxCd)
    return _EntryHead(
        amount=amount if direction > 0 else -amount,
        direction=direction,
        currency=currency,
        booking_date=booking_date,
        value_date=value_date or booking_date,
        is_reversal=parse_bool(child_text(fields, names.RvslInd)),
        reference=clean_reference(child_text(fields, names.AcctSvcrRef)),
        domain_code=domain_code(code, names),
        proprietary_code=proprietary_code(code, names),
        info=clean(child_text(fields, names.AddtlNtryInf)),
    )


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
            indicator = child_text(fields, names.CdtDbtInd)
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
        end_to_end_id=clean_reference(child_text(refs, names.EndToEndId)),
        bank_reference=clean_reference(child_text(refs, names.AcctSvcrRef)) or head.reference,
        # an ISO domain code on either level wins over a proprietary one
        bank_transaction_code=domain_code(code, names)
        or head.domain_code
        or proprietary_code(code, names)
        or head.proprietary_code,
        is_reversal=head.is_reversal,
    )
    read_party(draft, fields, direction, own_account, names)
    read_remittance(draft, fields, names, head.info)
    read_return(draft, fields.get(names.RtrInf), names)
    return draft


def _number_shared_references(drafts: list[TxDraft]) -> None:
    """Within one batch entry, TxDtls that share a bank reference get their index as suffix."""
    if len(drafts) < 2:
        return
    counts = Counter(draft.bank_reference for draft in drafts)
    for index, draft in enumerate(drafts, start=1):
        if draft.bank_reference and counts[draft.bank_reference] > 1:
            draft.reference_suffix = str(index)
