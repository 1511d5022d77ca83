"""The general-ledger chart an accountant sees: one account per kind of ledger account.

The engine's ledger keeps an account per household (`vat:HH-0001`, `reserve:HH-0001:
energie`, `advance:HH-0001`). An accountant signing off the pooled account
(derdengeldenrekening) needs one line per kind: the households' vats together, the
reserves together, and so on; which household a line belongs to is the line's
`custSupID` (its code, never its name). Used by the XAF auditfile and the journal
spreadsheet, so both name an account the same way (docs/reports.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from huishoudboekje.domain.ledger import DEBIT_NORMAL, Account, AccountKind


@dataclass(frozen=True, slots=True)
class GlAccount:
    """One general-ledger account: its number, Dutch name and natural side."""

    id: str
    description: str
    kind: AccountKind

    @property
    def debit_normal(self) -> bool:
        """True for assets (bank, advances): their balance is a debit."""
        return self.kind in DEBIT_NORMAL


# Numbered as a Dutch chart of accounts would (1xxx assets and liabilities of the
# pool, 0xxx the gemeente's own capital); the numbers are stable, accountants file them.
CHART: tuple[GlAccount, ...] = (
    GlAccount(
        "0900", "Fonds gemeente (eigen middelen in de pool, voorschotfonds)", AccountKind.FUND
    ),
    GlAccount("1100", "Bank: derdengeldenrekening", AccountKind.BANK),
    GlAccount("1300", "Voorschotten aan huishoudens (vordering)", AccountKind.ADVANCE),
    GlAccount("1800", "Tussenrekening: nog niet toegewezen bedragen", AccountKind.SUSPENSE),
    GlAccount(
        "1900", "Betalingen onderweg (opgedragen, nog niet op afschrift)", AccountKind.IN_FLIGHT
    ),
    GlAccount("2100", "Vatten huishoudens (tegoed van huishoudens)", AccountKind.VAT),
    GlAccount("2200", "Reserveringen huishoudens", AccountKind.RESERVE),
)
_BY_KIND = {account.kind: account for account in CHART}


def gl_account(account: Account | AccountKind) -> GlAccount:
    """The general-ledger account a ledger account (or kind) is booked on."""
    kind = account if isinstance(account, AccountKind) else account.kind
    return _BY_KIND[kind]
