"""Neutral texts for exports that leave the sociale dienst (the XAF auditfile).

A bank line's own text may carry a person's name ("Toeslag J. Jansen"), so an
export for the accountant describes an entry by its kind and the household codes
it touches, never by that text; the entry id (docRef) leads back to the journal.
"""

from __future__ import annotations

from huishoudboekje.domain.ledger import JournalEntry

KIND_LABELS = {
    "income": "Inkomen ontvangen",
    "opening": "Beginsaldo derdengeldenrekening",
    "executed": "Betaling uitgevoerd door de bank",
    "returned": "Betaling teruggekomen",
    "unmatched": "Bijschrijving op de tussenrekening",
    "unknown_debit": "Afschrijving zonder opdracht (tussenrekening)",
    "assigned": "Toegewezen vanaf de tussenrekening",
    "advance": "Voorschot opgenomen",
    "repayment": "Voorschot terugbetaald",
    "reserve": "Reservering",
    "reserve_release": "Reservering terug naar het vat",
    "instruct_charge": "Betaalopdracht vaste last",
    "instruct_leefgeld": "Betaalopdracht leefgeld",
    "instruct_extra": "Betaalopdracht extra betaling",
}
DEFAULT_LABEL = "Boeking"
UNKNOWN_PAYEE = "ONBEKEND"


def entry_label(entry: JournalEntry) -> str:
    """`Huur betaald (HH-0001)`-style: the kind's label and the household codes."""
    label = KIND_LABELS.get(entry.kind, entry.kind.replace("_", " ").capitalize() or DEFAULT_LABEL)
    codes = sorted({p.account.household for p in entry.postings if p.account.household})
    return f"{label} ({', '.join(codes)})" if codes else label


def payee_id(iban: str) -> str:
    """A payee's supplier id: its IBAN without spaces, upper case (at most 34 characters)."""
    compact = "".join(iban.split()).upper()
    return compact[:35] or UNKNOWN_PAYEE
