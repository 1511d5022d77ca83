"""Why the bank sent a payment back: SEPA return reason codes in plain Dutch.

A returned credit transfer carries an ISO 20022 reason code (CAMT `RtrInf/Rsn/Cd`,
MT940 `/RTRN/`). Staff see the code and these words; households see the words.
"""

from __future__ import annotations

# The codes Dutch banks use for returned SEPA credit transfers (EPC guidance).
REASONS_NL: dict[str, str] = {
    "AC01": "het rekeningnummer klopt niet",
    "AC04": "de rekening is opgeheven",
    "AC06": "de rekening is geblokkeerd",
    "AC13": "de rekening is van een soort die deze betaling niet aanneemt",
    "AG01": "de bank staat deze betaling op deze rekening niet toe",
    "AG02": "de bank kon de betaling niet verwerken",
    "AM05": "de betaling was dubbel",
    "BE04": "het adres van de ontvanger ontbreekt",
    "CNOR": "de bank van de ontvanger is niet bereikbaar",
    "CUST": "de ontvanger heeft gevraagd de betaling terug te sturen",
    "DNOR": "de bank van de gemeente is niet bereikbaar voor de ontvangende bank",
    "FF01": "het betaalbestand klopte niet",
    "FOCR": "de betaling is op verzoek van de gemeente teruggedraaid",
    "MD07": "de rekeninghouder is overleden",
    "MS02": "de ontvanger heeft de betaling geweigerd",
    "MS03": "de bank heeft geen reden gegeven",
    "RC01": "de bankcode (BIC) klopt niet",
    "RR01": "er ontbreken gegevens die de wet vraagt",
    "RR02": "de naam of het adres van de gemeente ontbreekt",
    "RR03": "de naam of het adres van de ontvanger ontbreekt",
    "RR04": "de bank mag deze betaling volgens de regels niet uitvoeren",
    "TM01": "de betaling kwam te laat bij de bank aan",
}
UNKNOWN = "de bank heeft geen reden gegeven"

# Codes that say the receiving account itself cannot take money: paying the same
# account again would come back again, so a retry needs another IBAN first.
ACCOUNT_PROBLEMS = frozenset({"AC01", "AC04", "AC06", "AC13", "AG01", "MD07"})


def reason_nl(code: str) -> str:
    """The reason in plain Dutch ("de rekening is opgeheven"); an unknown code is named."""
    code = code.strip().upper()
    if not code or code == "ONBEKEND":
        return UNKNOWN
    return REASONS_NL.get(code, f"de bank gaf reden {code}")


def needs_other_account(code: str) -> bool:
    """True when the code says the account itself is the problem (closed, wrong, blocked)."""
    return code.strip().upper() in ACCOUNT_PROBLEMS
