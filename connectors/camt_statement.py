"""One CAMT statement (`Stmt`, `Rpt` or `Ntfctn`) → one `Statement`.

The builder receives the entries one at a time while the file streams by, gives
every transaction its dedupe key and, at the end, checks that the opening
balance plus the booked entries equals the closing balance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

from lxml import etree

from connectors.camt_details import TxDraft
from connectors.camt_entry import EntryResult
from connectors.camt_header import Header, parse_header
from connectors.camt_values import CamtRejection, Names, checked_sum
from connectors.dedupe import Occurrences
from huishoudboekje.domain.banking import (
    BankTransaction,
    Statement,
    content_dedupe_key,
    reference_dedupe_key,
)
from huishoudboekje.domain.money import ZERO, Money


class DedupeKeys:
    """Dedupe keys for one file; each key is unique within the file.

    A bank reference gives `reference_dedupe_key`; if the bank repeats a reference
    (it happens, e.g. Rabobank) the repeat gets an occurrence suffix, so two real
    bookings never collapse into one. Without a reference the content hash counts
    identical bookings per account and day.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._repeats: Counter[str] = Counter()
        self._content = Occurrences[str]()

    def key(self, account: str, draft: TxDraft) -> str:
        """The dedupe key for `draft` on `account`."""
        if draft.bank_reference:
            return self._reference_key(account, draft.bank_reference, draft.reference_suffix)

        def content_key(occurrence: int) -> str:
            return content_dedupe_key(
                account,
                draft.booking_date,
                draft.amount,
                draft.counterparty_iban,
                draft.description,
                occurrence,
            )

        group = content_key(0)
        occurrence = self._content.count(group)
        return group if occurrence == 0 else content_key(occurrence)

    def _reference_key(self, account: str, reference: str, suffix: str) -> str:
        base = reference_dedupe_key(account, reference, suffix)
        key = base
        while key in self._used:
            self._repeats[base] += 1
            key = reference_dedupe_key(account, reference, f"{suffix}#{self._repeats[base] + 1}")
        self._used.add(key)
        return key


class StatementBuilder:
    """Collects one statement's entries while the file streams, then checks and builds it."""

    def __init__(
        self,
        element: etree._Element,
        names: Names,
        where: str,
        *,
        dedupe: DedupeKeys,
        source_format: str,
        extra: tuple[tuple[str, str], ...],
        reconcile: bool,
    ) -> None:
        self.element = element
        self._names = names
        self._where = where
        self._dedupe = dedupe
        self._source_format = source_format
        self._extra = extra
        self._reconcile = reconcile
        self._header: Header | None = None
        self._transactions: list[BankTransaction] = []
        self._totals: dict[str, Money] = {}
        self._first_entry_in: dict[str, int] = {}
        self._entries = 0
        self._skipped: Counter[str] = Counter()

    @property
    def header(self) -> Header:
        """The statement's head, read once the first entry arrives."""
        # Acct and Bal precede the first Ntry, so they are complete by the time it ends.
        if self._header is None:
            self._header = parse_header(self.element, self._names, self._where)
        return self._header

    @property
    def next_entry_where(self) -> str:
        """Location label of the entry that is parsed next ("Stmt 1 Ntry 17")."""
        return f"{self._where} Ntry {self._entries + 1}"

    def add_entry(self, entry: EntryResult) -> None:
        """Add one parsed entry (in document order)."""
        self._entries += 1
        if not entry.is_booked:
            self._skipped[entry.status] += 1
            return
        account = self.header.account
        self._totals[entry.currency] = checked_sum(
            (self._totals.get(entry.currency, ZERO), entry.amount),
            f"{self._where} Ntry {self._entries}",
        )
        self._first_entry_in.setdefault(entry.currency, self._entries)
        for draft in entry.drafts:
            self._transactions.append(_transaction(draft, self._dedupe.key(account, draft)))

    def finish(self) -> Statement:
        """Check the balances (unless told not to) and return the statement."""
        # Read the header again now that the statement is complete: a (schema-invalid)
        # Bal after the entries must not slip past the balance check.
        header = parse_header(self.element, self._names, self._where)
        notes: list[tuple[str, str]] = []
        if self._reconcile:
            notes.append(("balance_check", self._check_balances(header)))
        if self._skipped:
            skipped = ", ".join(
                f"{count} {status}" for status, count in sorted(self._skipped.items())
            )
            notes.append(("skipped_entries", skipped))
        return Statement(
            account_iban=header.account,
            statement_id=header.statement_id,
            transactions=tuple(self._transactions),
            period_start=header.period_start,
            period_end=header.period_end,
            opening_balance=header.opening.amount if header.opening else None,
            closing_balance=header.closing.amount if header.closing else None,
            currency=self._currency(header),
            source_format=self._source_format,
            extra=(*self._extra, *_header_extra(header), *notes),
        )

    def _currency(self, header: Header) -> str:
        if header.account_currency:
            return header.account_currency
        for balance in (header.opening, header.closing):
            if balance is not None:
                return balance.currency
        return next(iter(self._totals), "EUR")

    def _check_balances(self, header: Header) -> str:
        opening, closing = header.opening, header.closing
        if opening is None or closing is None:
            missing = "opening (OPBD/PRCD)" if opening is None else "closing (CLBD)"
            return f"skipped: no {missing} balance"
        currency = opening.currency
        if closing.currency != currency:
            raise CamtRejection(
                f"opening balance is in {currency} but closing balance in {closing.currency}",
                self._where,
            )
        if header.account_currency and header.account_currency != currency:
            raise CamtRejection(
                f"account currency is {header.account_currency} but the balances are in {currency}",
                self._where,
            )
        for other, index in self._first_entry_in.items():
            if other != currency:
                raise CamtRejection(
                    f"entry is in {other} but the statement balances are in {currency}",
                    f"{self._where} Ntry {index}",
                )
        entries = self._totals.get(currency, ZERO)
        # in Decimal: a sum or difference of valid amounts may leave Money's range
        expected = opening.amount.amount + entries.amount
        if expected != closing.amount.amount:
            raise CamtRejection(
                f"balances do not reconcile: opening {opening.amount} + entries {entries} = "
                f"{expected:f}, but closing balance (CLBD) is {closing.amount} "
                f"(difference {closing.amount.amount - expected:f})",
                self._where,
            )
        return "ok"


def _header_extra(header: Header) -> tuple[tuple[str, str], ...]:
    if header.sequence_number:
        return (("electronic_sequence_number", header.sequence_number),)
    return ()


# TxDraft holds every BankTransaction field but the dedupe key (and a reference suffix).
_DRAFT_FIELDS = tuple(f.name for f in fields(BankTransaction) if f.name != "dedupe_key")


def _transaction(draft: TxDraft, dedupe_key: str) -> BankTransaction:
    values = {name: getattr(draft, name) for name in _DRAFT_FIELDS}
    return BankTransaction(**values, dedupe_key=dedupe_key)
