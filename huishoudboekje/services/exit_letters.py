"""Hand-over letters (issue 19.6): one to each payer of an income ("Wilt u vanaf
[datum] betalen op rekening [eigen IBAN] t.n.v. [naam]?") and one to each payee of
a fixed charge ("Vanaf [datum] betaalt [naam] zelf"), on the gemeente's letterhead,
as HTML and as PDF (WeasyPrint through `adapters.pdf`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from sqlalchemy import Engine

from huishoudboekje.adapters.pdf import html_to_pdf
from huishoudboekje.adapters.persistence import load_gemeente_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.handover import ItemKind, long_day_nl
from huishoudboekje.domain.household import FixedCharge, Gemeente, Household, IncomeStream
from huishoudboekje.services.exit_checklist import ExitChecklist, ExitError, exit_checklist

LETTER_CSS = """
@page { size: A4; margin: 25mm 22mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; }
.letterhead { border-bottom: 1px solid #444; padding-bottom: 4mm; margin-bottom: 12mm; }
.sender { font-size: 14pt; font-weight: bold; }
.small { font-size: 8.5pt; color: #333; }
.to { margin-bottom: 10mm; }
.subject { font-weight: bold; margin: 8mm 0 6mm; }
"""


class UnknownLetterError(ExitError, LookupError):
    """No letter of that kind for that income or charge."""


@dataclass(frozen=True, slots=True)
class Letter:
    filename: str
    html: str


def group_iban(iban: str) -> str:
    """`NL91ABNA0417164300` as `NL91 ABNA 0417 1643 00`."""
    bare = iban.replace(" ", "").upper()
    return " ".join(bare[i : i + 4] for i in range(0, len(bare), 4))


def _letterhead(gemeente: Gemeente) -> tuple[str, str]:
    """The letterhead as HTML, and the sender's name to sign with."""
    head = gemeente.letterhead
    sender = head.sender or f"Gemeente {gemeente.name}"
    contact = [c for c in (head.phone, head.email, head.website) if c]
    parts = [f'<div class="sender">{escape(sender)}</div>']
    if head.return_address:
        parts.append(f'<div class="small">{escape(" · ".join(head.return_address))}</div>')
    if contact:
        parts.append(f'<div class="small">{escape(" · ".join(contact))}</div>')
    return f'<div class="letterhead">{"".join(parts)}</div>', sender


def _household_address(household: Household) -> list[str]:
    return [] if household.address is None else list(household.address.lines())


def _page(gemeente: Gemeente, to: list[str], today: date, subject: str, body: list[str]) -> str:
    head, sender = _letterhead(gemeente)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title><style>{LETTER_CSS}</style></head><body>"
        f"{head}"
        f'<div class="to">{"<br>".join(escape(line) for line in to)}</div>'
        f"<p>{escape(long_day_nl(today))}</p>"
        f'<p class="subject">Betreft: {escape(subject)}</p>'
        "<p>Geachte heer, mevrouw,</p>"
        f"{paragraphs}"
        f"<p>Met vriendelijke groet,</p><p>{escape(sender)}</p>"
        "</body></html>"
    )


def payer_letter(
    gemeente: Gemeente,
    household: Household,
    stream: IncomeStream,
    found: ExitChecklist,
    today: date,
) -> Letter:
    """The letter asking the payer of `stream` to pay the household itself."""
    payer = stream.payer_name or stream.kind.label_nl
    own = f"{group_iban(household.iban)} t.n.v. {household.name}"
    body = [
        f"{household.name} doet mee aan budgetbeheer van de gemeente {gemeente.name}. "
        f"U betaalt {stream.kind.label_nl.lower()} nu op rekening "
        f"{group_iban(gemeente.account_iban)} t.n.v. {gemeente.account_name}.",
        f"De deelname stopt. De laatste dag is {long_day_nl(found.last_day)}.",
        f"Wilt u vanaf {long_day_nl(found.handover)} betalen op rekening {own}?",
    ]
    if stream.reference:
        body.append(f"Uw kenmerk voor {household.name}: {stream.reference}.")
    subject = f"{stream.kind.label_nl} van {household.name}: nieuw rekeningnummer"
    html = _page(gemeente, [payer], today, subject, body)
    return Letter(f"brief-{household.code}-inkomen-{stream.id}.pdf", html)


def payee_letter(
    gemeente: Gemeente, household: Household, charge: FixedCharge, found: ExitChecklist, today: date
) -> Letter:
    """The letter telling the payee of `charge` that the household pays itself."""
    body = [
        f"Tot nu toe betaalde de gemeente {gemeente.name} namens {household.name} uw "
        f"rekening van {eur(charge.amount)}"
        + (f" (kenmerk {charge.reference})." if charge.reference else "."),
        f"De deelname aan budgetbeheer stopt. De laatste dag is {long_day_nl(found.last_day)}.",
        f"Vanaf {long_day_nl(found.handover)} betaalt {household.name} zelf.",
    ]
    address = _household_address(household)
    if address:
        body.append(f"Wilt u de rekeningen vanaf dan sturen naar: {', '.join(address)}?")
    else:
        body.append(f"Wilt u de rekeningen vanaf dan naar {household.name} sturen?")
    subject = f"{household.name}: betaalt vanaf {long_day_nl(found.handover)} zelf"
    html = _page(gemeente, [charge.payee_name], today, subject, body)
    return Letter(f"brief-{household.code}-vaste-last-{charge.id}.pdf", html)


def exit_letter(uow: UnitOfWork, code: str, kind: ItemKind, rule_id: str, today: date) -> Letter:
    """The letter for the payer (`ItemKind.INCOME`) or payee (`ItemKind.CHARGE`) of
    `rule_id`. Raises `UnknownHouseholdError`, or `UnknownLetterError` when no exit
    is planned or there is no such income or charge on the checklist."""
    found = exit_checklist(uow, code, today)
    if found is None:
        raise UnknownLetterError("Voor dit huishouden is geen einde van de deelname gepland.")
    gemeente = load_gemeente_of(uow, code)  # its own gemeente's letterhead (issue 22)
    if gemeente is None:
        raise UnknownLetterError("De gemeente is nog niet ingesteld.")
    key = f"{kind.value}:{rule_id}"
    if found.line(key) is None:
        raise UnknownLetterError("Voor dit onderdeel is er geen brief.")
    household = found.household
    if kind is ItemKind.INCOME:
        stream = next(s for s in household.incomes if s.id == rule_id)
        return payer_letter(gemeente, household, stream, found, today)
    charge = next(c for c in household.charges if c.id == rule_id)
    return payee_letter(gemeente, household, charge, found, today)


def exit_letter_pdf(
    engine: Engine, code: str, kind: ItemKind, rule_id: str, today: date
) -> tuple[str, bytes]:
    """The letter as a PDF: (file name, bytes)."""
    with UnitOfWork(engine) as uow:
        letter = exit_letter(uow, code, kind, rule_id, today)
    return letter.filename, html_to_pdf(letter.html)
