"""Dutch wording for the configuration's (English) validation messages, for staff forms.

The rules and their messages live in `huishoudboekje.adapters.config` (operators read them in
English on the command line); staff see the same problems in Dutch beside the field.
Every message the configuration can produce has a pattern here:
tests/test_web_messages.py finds each message in the configuration's source and
fails when one has no Dutch. A message that still slips through is shown as
"Deze invoer klopt niet (…)", so the page stays Dutch.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Template = str | Callable[[re.Match[str]], str]

# schwifty's reasons (lower-cased by the configuration) for an IBAN or BIC it refuses
_IBAN_REASONS: tuple[tuple[str, str], ...] = (
    (r"invalid checksum digits", "de controlecijfers kloppen niet; staat er een tikfout in?"),
    (r"invalid iban length", "het aantal tekens klopt niet"),
    (r"unknown country-code '(.*)'", r"onbekende landcode \1"),
    (r"invalid characters in iban.*", "er staan tekens in die niet in een IBAN horen"),
    (r"invalid bban structure.*", "de tekens na de landcode hebben niet de goede opbouw"),
    (r"invalid national checksum", "het rekeningnummer zelf klopt niet"),
)
_BIC_REASONS: tuple[tuple[str, str], ...] = (
    (r"invalid length '(\d+)'", r"een BIC heeft 8 of 11 tekens, niet \1"),
    (
        r"invalid structure.*",
        "de opbouw klopt niet (4 letters bank, 2 letters land, 2 tekens plaats)",
    ),
    (r"invalid country code '(.*)'", r"onbekende landcode \1"),
)


def _reason(reasons: tuple[tuple[str, str], ...], text: str, fallback: str) -> str:
    for pattern, dutch_text in reasons:
        found = re.fullmatch(pattern, text, re.IGNORECASE)
        if found:
            return found.expand(dutch_text)
    return fallback


def _iban(found: re.Match[str]) -> str:
    reason = _reason(_IBAN_REASONS, found[2], "controleer het nummer")
    return f'IBAN "{found[1]}" klopt niet: {reason}.'


def _bic(found: re.Match[str]) -> str:
    reason = _reason(_BIC_REASONS, found[2], "controleer de code")
    return f'BIC "{found[1]}" klopt niet: {reason}.'


# the choices' codes as the forms show them (kinds are Dutch already: "kindgebonden budget")
_CHOICES_NL = {
    "smoothed": "stabiel",
    "fixed": "vast bedrag",
    "monthly_first": "hele maand op de eerste werkdag",
    "weekly": "per week",
    "monthly": "per maand",
    "monday": "maandag",
    "tuesday": "dinsdag",
    "wednesday": "woensdag",
    "thursday": "donderdag",
    "friday": "vrijdag",
    "saturday": "zaterdag",
    "sunday": "zondag",
}


def _choice(found: re.Match[str]) -> str:
    allowed = (c.strip() for c in found[3].split(","))
    words = ", ".join(_CHOICES_NL.get(c, c.replace("_", " ")) for c in allowed)
    return f'Onbekende keuze "{found[2]}"; kies uit: {words}.'


_DUTCH: tuple[tuple[re.Pattern[str], Template], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        # ------------------------------------------------ single values (config/values.py)
        (r'^IBAN "(.*)" is not valid \((.*)\)$', _iban),
        (r'^BIC "(.*)" is not valid \((.*)\)$', _bic),
        (r'^"(.*)" is not an amount.*$', r'"\1" is geen bedrag; schrijf het zoals 725,40.'),
        (r"^expected an amount.*$", "Vul een bedrag in, zoals 725,40."),
        (
            r'^use a quoted string like "5%" or "0\.05", not a number$',
            'Schrijf een percentage als tekst, zoals "5%" of "0.05".',
        ),
        (
            r'^use a quoted string like "(.*)", not a number$',
            r'Schrijf het bedrag als tekst, zoals "\1".',
        ),
        (
            r'^"(.*)": an amount here cannot be negative$',
            r'"\1": dit bedrag kan niet negatief zijn.',
        ),
        (r"^must be more than 0\.00$", "Het bedrag moet meer dan € 0,00 zijn."),
        (r"^expected a percentage; .*$", "Vul een percentage in, zoals 5%."),
        (r'^"(.*)" is not a percentage.*$', r'"\1" is geen percentage; schrijf het zoals 5%.'),
        (r'^"(.*)" is more than 100%$', r'"\1" is meer dan 100%.'),
        (
            r"^give a date without a time.*$",
            "Vul alleen een datum in, zonder tijd, zoals 2026-01-01.",
        ),
        (
            r'^"(.*)" is not a valid date.*$',
            r'"\1" is geen geldige datum; schrijf hem als 2026-01-01.',
        ),
        (r"^expected a date like 2026-01-01, got None$", "Vul een datum in, zoals 2026-01-01."),
        (r"^expected a date.*$", "Vul een datum in, zoals 2026-01-01."),
        (
            r"^(expected text, but the value is empty|must not be empty"
            r"|this field is required but missing)$",
            "Dit veld is verplicht.",
        ),
        (
            r"^YAML reads yes/no/true/false/on/off as a yes-or-no; put the text in quotes$",
            "Zet deze tekst tussen aanhalingstekens (anders wordt hij als ja of nee gelezen).",
        ),
        (
            r'^expected text; put it in quotes, like "(.*)"$',
            r'Zet deze tekst tussen aanhalingstekens, zoals "\1".',
        ),
        (r"^expected text$", "Vul hier tekst in."),
        (r"^expected a whole number, got None$", "Dit veld is verplicht."),
        (r"^expected a whole number.*$", "Vul een heel getal in."),
        (r"^expected true or false.*$", "Vul true (ja) of false (nee) in."),
        (r"^must be (\d+) or more$", r"Moet \1 of meer zijn."),
        (
            r"^is (\d+) characters long; at most (\d+) are allowed$",
            r"Te lang: \1 tekens, hoogstens \2.",
        ),
        (r'^unknown (.*) "(.*)"; allowed values: (.*)$', _choice),
        (
            r'^"(.*)" is not a valid code.*$',
            r'"\1" kan niet: gebruik letters, cijfers, "-", "_" of "." '
            r"(geen spaties, hoogstens 40 tekens).",
        ),
        (
            r"^expected a list of words.*$",
            "Vul zoekwoorden in, gescheiden door komma's, zoals salaris, loon.",
        ),
        # ------------------------------------ repeat rules (config/schema.py, schedule.py)
        (
            r"^FREQ must be one of .*$",
            "Een herhaling gaat per dag, week, maand of jaar "
            "(FREQ=DAILY, WEEKLY, MONTHLY of YEARLY).",
        ),
        (
            r"^put the start date in 'start', not DTSTART in the rule$",
            "Zet de eerste datum in het veld Eerste keer, niet als DTSTART in de herhaling.",
        ),
        (
            r"^rrule (.*) is not valid: .*$",
            r"De herhaling \1 klopt niet; schrijf hem zoals FREQ=MONTHLY;BYMONTHDAY=1.",
        ),
        (r"^rrule (.*) must be a single RRULE$", r"De herhaling \1 mag maar één RRULE zijn."),
        (
            r"^rrule (.*) gives no dates on or after (.*)$",
            r"De herhaling \1 geeft geen datums vanaf \2.",
        ),
        # -------------------------------------- the file and cross-field checks (reader.py)
        (r"^cannot read the file: .*$", "Het bestand kan niet worden gelezen."),
        (r"^the file is empty$", "Het bestand is leeg."),
        (r"^this is not valid YAML: .*$", "Dit is geen geldige YAML."),
        (
            r'^"(.*)" is given twice \(first on line (\d+)\)$',
            r'"\1" staat er twee keer in (eerst op regel \2).',
        ),
        (r'^unknown field "(.*?)".*$', r'Onbekend veld "\1".'),
        (r"^expected a mapping.*$", 'Hier horen velden met een waarde ("veld: waarde").'),
        (r"^expected a list.*$", 'Hier hoort een lijst (regels die beginnen met "- ").'),
        # issue 22: a file with several gemeenten (never from a web form; for completeness)
        (
            r"^this field is required but missing \(or give a list gemeenten: .*$",
            "Dit veld ontbreekt (of geef een lijst gemeenten: voor meerdere gemeenten).",
        ),
        (
            r"^give either gemeente: \(one gemeente\) or gemeenten: \(a list\), not both$",
            "Geef óf gemeente: (één gemeente) óf gemeenten: (een lijst), niet allebei.",
        ),
        (
            r"^with gemeenten:, each household goes under its own gemeente.*$",
            "Met gemeenten: staat elk huishouden onder zijn eigen gemeente.",
        ),
        (
            r"^the list is empty; give at least one gemeente$",
            "De lijst is leeg; geef minstens één gemeente.",
        ),
        (
            r"^pooled account (\S+) is used twice .*$",
            r"Derdengeldenrekening \1 staat er twee keer in; afschriften gaan naar de gemeente "
            "van deze rekening.",
        ),
        (
            r'^household code "(.*)" is used twice .*unique in the whole installation.*$',
            r'Huishoudcode "\1" bestaat al bij een andere gemeente; een huishoudcode is uniek '
            "in de hele installatie.",
        ),
        (r'^(.*) "(.*)" is used twice.*$', r'"\2" bestaat al bij dit huishouden.'),
        (
            r"^give either monthly or percent_of_toeslag \(exactly one of them\)$",
            "Vul óf een bedrag per maand in, óf een percentage van de toeslagen "
            "(precies één van de twee).",
        ),
        (
            r"^reserve \"(.*)\" is not one of this household's reserves$",
            r'Reservering "\1" bestaat niet bij dit huishouden.',
        ),
        (
            r"^policy fixed needs an amount$",
            "Bij leefgeld met een vast bedrag hoort een bedrag: vul het vaste leefgeld in.",
        ),
        (
            r"^amount is only used with policy fixed$",
            "Een vast leefgeldbedrag hoort alleen bij een vast bedrag: "
            "maak dit veld leeg of kies vast bedrag.",
        ),
        (
            r"^(end|valid_until) (.*) is before (start|valid_from) (.*)$",
            r"De einddatum \2 ligt vóór de begindatum \4.",
        ),
        (
            r"^until (.*) is before from (.*)$",
            r"De einddatum \1 ligt vóór de begindatum \2.",
        ),
        (
            r"^(.*)\.\.(.*) overlaps (.*)\.\.(.*)$",
            r"De periodes \1 tot en met \2 en \3 tot en met \4 overlappen.",
        ),
        # ------------------------------- consent (issue 19.3)
        (
            r'^give "all" or a mapping with the ids of incomes and charges$',
            'Schrijf "all" (alles), of noem de inkomsten en vaste lasten.',
        ),
        (
            r"^(income|charge) \"(.*)\" is not one of this household's (incomes|charges)$",
            r'"\2" bestaat niet bij de inkomsten of vaste lasten van dit huishouden.',
        ),
        # ------------------------------- contact and postal address (issue 19/21)
        (
            r"^contact: post needs an address \(street, postcode, city\)$",
            "Voor post is een adres nodig: straat en huisnummer, postcode en plaats.",
        ),
        (
            r'^"(.*)" is not a Dutch postcode; write it as 1234 AB$',
            r'"\1" is geen Nederlandse postcode. Schrijf die als 1234 AB.',
        ),
        # ------------------------------- ranges and limits (domain/limits.py, issue 18)
        (
            r"^must be at most (\d+) \(allowed: (\d+) to (\d+)\)$",
            r"Mag ten hoogste \1 zijn (toegestaan: \2 tot en met \3).",
        ),
        (
            r"^(\S+) is outside the allowed dates \((\S+) to (\S+)\)$",
            r"\1 valt buiten de toegestane datums (\2 tot en met \3).",
        ),
        (
            r'^"(.*)" must be below 1000000\.00 \(one million euro\)$',
            r'"\1" is te hoog: een bedrag blijft onder € 1.000.000,00.',
        ),
        (
            r'^"(.*)" uses the digit (.*); write amounts with the digits 0-9 only$',
            r'"\1" bevat het teken "\2"; schrijf bedragen met de cijfers 0 tot en met 9.',
        ),
        (
            r"^contains the invisible character (.*); control and text-direction "
            r"characters are not allowed$",
            r'Bevat het onzichtbare teken "\1"; stuurtekens en tekens die de '
            r"schrijfrichting omdraaien kunnen niet.",
        ),
        (
            r"^is the gemeente's pooled account \(account_iban\); a household needs its own "
            r"account$",
            "Dit is de derdengeldenrekening van de gemeente; een huishouden heeft een eigen "
            "rekening.",
        ),
        (
            r"^(.*) \(limit (.*); raise it with (HHB_LIMIT_\w+)\)$",
            r'Het bestand is te groot of te ingewikkeld (grens \2, in te stellen met "\3").',
        ),
    )
)

# the configuration's field names, for a problem shown away from its field
_FIELDS_NL = {
    "advance_limit": "voorschotlimiet",
    "amount": "bedrag",
    "bic": "BIC",
    "buffer": "buffer",
    "buildup_months": "opbouwmaanden",
    "cadence": "hoe vaak",
    "charges": "vaste last",
    "code": "code",
    "description": "omschrijving",
    "end": "deelname tot en met",
    "floor": "minimum leefgeld",
    "from": "van",
    "iban": "IBAN",
    "id": "naam",
    "incomes": "inkomen",
    "kind": "soort",
    "lead_days": "dagen eerder betalen",
    "leefgeld": "leefgeld",
    "margin": "marge",
    "members": "aantal personen",
    "monthly": "per maand",
    "name": "naam",
    "pause": "pauze",
    "payee_bic": "BIC ontvanger",
    "payee_iban": "IBAN ontvanger",
    "payee_name": "ontvanger",
    "payer_iban": "IBAN betaler",
    "payer_name": "betaler",
    "percent_of_toeslag": "percentage van toeslagen",
    "policy": "soort leefgeld",
    "priority": "voorrang",
    "reference": "betalingskenmerk",
    "repay_months": "terugbetalen in maanden",
    "reserve": "reservering",
    "reserves": "reservering",
    "rrule": "herhaling",
    "schedule": "schema",
    "start": "deelname vanaf",
    "target": "doelbedrag",
    "temporary": "tijdelijk bedrag",
    "terms": "zoekwoorden",
    "total": "totaalbedrag",
    "until": "tot en met",
    "valid_from": "geldig vanaf",
    "valid_until": "tot en met",
    "weekday": "dag",
    "window_days": "dagen speling",
}
_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def translation(message: str) -> str | None:
    """The Dutch version of a configuration message, or None when there is none."""
    for pattern, template in _DUTCH:
        if pattern.match(message):
            return pattern.sub(template, message)
    return None


def dutch(message: str) -> str:
    """The Dutch version of a configuration message (never the English alone)."""
    found = translation(message)
    return found if found is not None else f"Deze invoer klopt niet ({message})."


def where_nl(path: str) -> str:
    """A configuration path in words: "charges[1].schedule.rrule" → "vaste last 2, schema,
    herhaling" (for a problem that is not beside a field of the form)."""
    words: list[str] = []
    previous = ""
    for part in path.split("."):
        found = _PART.fullmatch(part)
        if found is None:
            words.append(part)
            continue
        name = _FIELDS_NL.get(found[1], found[1])
        if previous == "schedule" and found[1] == "start":
            name = "eerste keer"
        words.append(name if found[2] is None else f"{name} {int(found[2]) + 1}")
        previous = found[1]
    return ", ".join(words)
