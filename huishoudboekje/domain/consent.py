"""Consent (issue 19.3): the signed agreement with which a household hands over the
management of its incomes and bills, for a period, with a scope.

A consent says when it was signed, by whom, which incomes and which charges it
covers (`None`: all of them, also rules added later), and how the signed document
is kept: uploaded (a PDF stored with it) or on paper in the dossier. A withdrawn
consent keeps its record; `withdrawn_on` is the last day it applies.

`is_planned_with` is the rule of the night: when the gemeente requires consent
(`Gemeente.consent_required`), a household without a consent that applies is not
planned (no charges paid, no leefgeld), except to settle after its end date. The
checks of an uploaded document that need no library (`document_problem`) live here
too; that pypdf can open it is the adapter's check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024  # 5 MB
MAX_SIGNER = 200
MAX_WITHDRAW_REASON = 450  # the exit keeps it as "toestemming ingetrokken: …" (500)
# why a household is not planned, as staff read it on its page, the caseload and the signal
NO_CONSENT_TEXT = "Geen toestemming vastgelegd: de nacht plant dit huishouden niet."


class DocumentKind(StrEnum):
    """How the signed consent is kept."""

    UPLOAD = "upload"  # a PDF stored in the database
    PAPER = "paper"  # "op papier getekend, in dossier"

    @property
    def label_nl(self) -> str:
        if self is DocumentKind.UPLOAD:
            return "getekend document geüpload"
        return "op papier getekend, in dossier"


@dataclass(frozen=True, slots=True)
class ConsentScope:
    """Which incomes and charges (by rule id) the household hands over; None: all."""

    incomes: tuple[str, ...] | None = None
    charges: tuple[str, ...] | None = None

    @property
    def is_all(self) -> bool:
        return self.incomes is None and self.charges is None


ALL = ConsentScope()


@dataclass(frozen=True, slots=True)
class Consent:
    """A recorded consent of one household."""

    signed_on: date
    signed_by: str
    scope: ConsentScope = ALL
    document: DocumentKind = DocumentKind.PAPER
    withdrawn_on: date | None = None

    def applies_on(self, day: date) -> bool:
        """Signed on or before `day` and not withdrawn before it."""
        if day < self.signed_on:
            return False
        return self.withdrawn_on is None or day <= self.withdrawn_on


def is_planned_with(
    consent: Consent | None, end: date | None, night: date, *, required: bool
) -> bool:
    """Whether the night may plan a household with this consent and end date: always when
    consent is not required; else when a consent applies, or to settle after the end."""
    if not required:
        return True
    if consent is not None and consent.applies_on(night):
        return True
    return end is not None and night > end


def scope_problem(scope: ConsentScope, incomes: set[str], charges: set[str]) -> str | None:
    """A Dutch sentence when the scope names a rule the household does not have."""
    for ids, known, word in (
        (scope.incomes, incomes, "inkomen"),
        (scope.charges, charges, "vaste last"),
    ):
        for rule_id in ids or ():
            if rule_id not in known:
                return f"De toestemming noemt {word} {rule_id!r}, maar die bestaat niet."
    return None


def document_problem(data: bytes, max_bytes: int) -> str | None:
    """A Dutch sentence when `data` cannot be a signed consent: empty, too large, or
    not a PDF (it must start with %PDF-); None when it may be one."""
    if not data:
        return "Het bestand is leeg. Kies het getekende document (PDF)."
    if len(data) > max_bytes:
        return (
            f"Het bestand is te groot ({_megabytes(len(data))}); "
            f"het mag hoogstens {_megabytes(max_bytes)} zijn."
        )
    if not data.startswith(PDF_MAGIC):
        return "Dit is geen PDF-bestand. Upload het getekende document als PDF."
    return None


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f} MB".replace(".", ",")


def scope_sentence(scope: ConsentScope, incomes: dict[str, str], charges: dict[str, str]) -> str:
    """The scope in plain Dutch, naming rules by their label (id when unknown)."""
    if scope.is_all:
        return "alle inkomsten en alle vaste lasten"
    parts = []
    for ids, labels, everything, word in (
        (scope.incomes, incomes, "alle inkomsten", "inkomsten"),
        (scope.charges, charges, "alle vaste lasten", "vaste lasten"),
    ):
        if ids is None:
            parts.append(everything)
        elif not ids:
            parts.append(f"geen {word}")
        else:
            parts.append(f"{word}: " + ", ".join(labels.get(i, i) for i in ids))
    return "; ".join(parts)
