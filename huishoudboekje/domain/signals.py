"""Signals: things sociale dienst staff must look at. Values, never exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    HIGH = "high"


class SignalKind(StrEnum):
    INCOME_LATE = "inkomen_te_laat"
    INCOME_AMOUNT_OFF = "inkomen_afwijkend_bedrag"
    INCOME_AFTER_END = "inkomen_na_einde"
    INCOME_STOPPED = "inkomen_gestopt"
    VAT_BELOW_FLOOR = "buffer_onder_minimum"
    PROJECTED_SHORTFALL = "verwacht_tekort"
    PAYMENT_HELD_BACK = "betaling_achtergehouden"
    PAYMENT_LATE = "betaling_te_laat"
    PAYMENT_RETURNED = "betaling_teruggekomen"
    PAYMENT_AMOUNT_OFF = "betaling_bedrag_afwijkend"
    LEEFGELD_REDUCED = "leefgeld_verlaagd"
    BUDGET_DOES_NOT_CLOSE = "begroting_sluit_niet"
    LEEFGELD_STEP = "leefgeld_wijziging"
    ADVANCE_DRAWN = "voorschot_opgenomen"
    UNMATCHED_TRANSACTION = "onbekende_transactie"
    MISSING_STATEMENT = "ontbrekend_afschrift"
    BALANCE_MISMATCH = "saldo_verschil"
    PARTICIPATION_ENDING = "deelname_eindigt"
    FILE_REJECTED = "bestand_geweigerd"
    NIGHT_PROBLEM = "verwerking_mislukt"
    HANDOVER_TALK = "overdrachtsgesprek"  # issue 19.6: the statushouder's talk in month 5
    NO_CONSENT = "geen_toestemming"  # issue 19.3: not planned until a consent is recorded
    CONTACT_REQUESTED = "contact_gevraagd"  # issue 19.7: a household wants contact first


@dataclass(frozen=True, slots=True)
class Signal:
    """Something to look at. `key` identifies it across nights so it is raised once."""

    kind: SignalKind
    household: str
    severity: Severity
    message: str  # plain Dutch, for staff
    key: str
    data: tuple[tuple[str, str], ...] = field(default=())

    def data_dict(self) -> dict[str, str]:
        return dict(self.data)

    def as_dict(self) -> dict[str, str]:
        return {
            "household": self.household,
            "kind": self.kind.value,
            "severity": self.severity.value,
            "message": self.message,
        }
