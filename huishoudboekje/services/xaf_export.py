"""`hhb export xaf`: the pooled account's ledger of one fiscal year as an XAF 3.2 auditfile.

One unit of work reads: the gemeente (header and company), the SQL totals of the
year's postings, the opening balance per general-ledger account, the households
(by code only) and the payees, and then the entries page by page while they are
written (`adapters.xaf.writer`). The file is written next to the target, validated
against the shipped XAF 3.2 schema while its totals are added up again
(`adapters.xaf.check`), and only when it is valid and its totals equal the
ledger's does it replace the target. So a half-written or invalid auditfile is
never left under the name asked for.

Privacy: households appear as `customerSupplier` with their code only (no name, no
IBAN); descriptions are neutral texts by kind of entry, never the bank line's text
(which may carry a name). Payees the pool paid (landlords, energy companies, ...)
are suppliers with name and IBAN; a payment to the household itself (leefgeld, an
extra payment) goes to its code.
The view log (issue 21.5): `XafSummary.households` lists the codes in the file; the
command records them (`cli/export_cmd.py`, as `hhb config export` does).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from huishoudboekje.adapters.persistence.gemeente_scope import supplier_payees_of
from huishoudboekje.adapters.persistence.ledger_export import (
    TO_HOUSEHOLD,
    NumberedEntry,
    Payee,
    entry_pages,
    household_codes,
    kind_balances,
    payees,
    posting_totals,
    supplier_payees,
)
from huishoudboekje.adapters.persistence.repository import load_gemeente
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.xaf.check import AuditfileInvalidError, validate_auditfile
from huishoudboekje.adapters.xaf.writer import (
    XafCompany,
    XafHeader,
    XafJournal,
    XafLine,
    XafParty,
    XafTotals,
    XafTransaction,
    write_auditfile,
)
from huishoudboekje.domain.export_text import entry_label, payee_id
from huishoudboekje.domain.gl_accounts import CHART, gl_account
from huishoudboekje.domain.ledger import AccountKind, JournalEntry
from huishoudboekje.domain.money import Money
from huishoudboekje.services.database import Engine
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.gemeente_ledger import scoped_balances, scoped_pages, scoped_totals
from huishoudboekje.services.gemeente_scope import (
    REGIONAL,
    GemeenteScope,
    gemeente_settings,
    scope_codes,
)

SOFTWARE = "Huishoudboekje"
VERSION = "0.1.0"
HOUSEHOLD_ACCOUNTS = frozenset({AccountKind.VAT, AccountKind.RESERVE, AccountKind.ADVANCE})


class ExportError(UserError):
    """An export that cannot be made (no gemeente configured, a bad year or path)."""


@dataclass(frozen=True, slots=True)
class XafSummary:
    """What was written: for the command's output and (later) the view log."""

    path: Path
    year: int
    transactions: int
    lines: int
    debit: Money
    credit: Money
    households: tuple[str, ...] = ()  # listed by code: for the view log


def export_xaf(
    engine: Engine, year: int, target: Path, *, created: date, scope: GemeenteScope = REGIONAL
) -> XafSummary:
    """Write the auditfile of `year` to `target` (validated, or not written at all):
    of one gemeente's entries, its own administration under its own name, when `scope`
    is one gemeente's (issue 22)."""
    if not 1900 <= year <= 9999:
        raise ExportError(f"jaar {year} is geen geldig boekjaar")
    header = XafHeader(year, date(year, 1, 1), date(year, 12, 31), created, SOFTWARE, VERSION)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as out:
            totals, households = _write(engine, header, out, scope)
        found = validate_auditfile(partial)
        written = (found.lines, found.debit, found.credit)
        stated = (found.stated_lines, found.stated_debit, found.stated_credit)
        if written != (totals.lines, totals.debit, totals.credit) or written != stated:
            raise AuditfileInvalidError(
                "de totalen in het bestand wijken af van het grootboek (is er tijdens het "
                "exporteren geboekt? probeer het dan opnieuw)"
            )
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"kan {target} niet schrijven: {exc.strerror or exc}") from exc
    except BaseException:  # a refusal, an invalid file, a database error: no file left
        partial.unlink(missing_ok=True)
        raise
    return XafSummary(
        target, year, found.transactions, found.lines, found.debit, found.credit, households
    )


def _write(
    engine: Engine, header: XafHeader, out: BinaryIO, scope: GemeenteScope = REGIONAL
) -> tuple[XafTotals, tuple[str, ...]]:
    """Read the ledger and write the auditfile to `out`; returns the stated totals and
    the household codes listed."""
    with UnitOfWork(engine) as uow:
        gemeente = load_gemeente(uow) if scope.regional else gemeente_settings(uow, scope)
        if gemeente is None:
            raise ExportError("er is nog geen gemeente ingesteld (eerst hhb config apply)")
        if scope.regional:
            sums = posting_totals(uow, header.start, header.end)
            totals = XafTotals(sums.lines, sums.debit, sums.credit)
            opening = kind_balances(uow, header.start)
            households = tuple(household_codes(uow))
            suppliers = supplier_payees(uow)
        else:  # one gemeente's own administration (issue 22)
            totals = XafTotals(*scoped_totals(uow, scope, header.start, header.end))
            opening = scoped_balances(uow, scope, header.start)
            households = tuple(sorted(scope_codes(uow, scope) or ()))
            suppliers = supplier_payees_of(uow, households)
        parties = [XafParty(code, "O") for code in households]
        parties += [XafParty(payee_id(iban), "S", name, iban) for iban, name in suppliers]
        write_auditfile(
            out,
            header,
            XafCompany(gemeente.account_iban, gemeente.name),
            _unique(parties),
            CHART,
            [(gl_account(k), opening[k]) for k in (a.kind for a in CHART) if opening.get(k)],
            totals,
            _journals(uow, header, scope),
        )
    return totals, households


def _unique(parties: list[XafParty]) -> list[XafParty]:
    """One party per id (the schema keys them): the first wins."""
    seen: set[str] = set()
    kept = []
    for party in parties:
        if party.id[:35] not in seen:
            seen.add(party.id[:35])
            kept.append(party)
    return kept


def _journals(
    uow: UnitOfWork, header: XafHeader, scope: GemeenteScope = REGIONAL
) -> Iterator[XafJournal]:
    yield XafJournal(
        "BANK",
        "Bankboek derdengeldenrekening",
        "B",
        _transactions(uow, header, scope, bank=True),
    )
    yield XafJournal(
        "MEMO",
        "Memoriaal: vatten, reserveringen, voorschotten, opdrachten",
        "M",
        _transactions(uow, header, scope, bank=False),
    )


def _transactions(
    uow: UnitOfWork, header: XafHeader, scope: GemeenteScope, *, bank: bool
) -> Iterator[XafTransaction]:
    pages = (
        entry_pages(uow, header.start, header.end, bank=bank)
        if scope.regional
        else scoped_pages(uow, scope, header.start, header.end, bank=bank)
    )
    for page in pages:
        wanted = sorted({dict(e.entry.meta).get("end_to_end_id", "") for e in page} - {""})
        paid = payees(uow, wanted)
        for numbered in page:
            yield transaction(numbered, paid)


def transaction(numbered: NumberedEntry, paid: dict[str, Payee]) -> XafTransaction:
    """One journal entry as an XAF transaction: a line per posting."""
    entry = numbered.entry
    lines = tuple(
        XafLine(
            gl_account(posting.account).id,
            entry.id,
            entry.day,
            posting.account.name,
            posting.amount,
            _party(entry, posting.account.kind, posting.account.household, paid),
        )
        for posting in entry.postings
    )
    return XafTransaction(
        str(numbered.seq), entry_label(entry), entry.day.month, entry.day, lines, entry.kind
    )


def _party(entry: JournalEntry, kind: AccountKind, household: str, paid: dict[str, Payee]) -> str:
    if kind in HOUSEHOLD_ACCOUNTS:
        return household
    if kind is AccountKind.IN_FLIGHT:
        payee = paid.get(dict(entry.meta).get("end_to_end_id", ""))
        if payee is not None:
            return party_of(payee)
    return ""


def party_of(payee: Payee) -> str:
    """The customerSupplier a payment went to: the household itself for its leefgeld
    and its extra payments (by code), else the payee as a supplier."""
    if payee.kind in TO_HOUSEHOLD:
        return payee.household
    return payee_id(payee.iban)
