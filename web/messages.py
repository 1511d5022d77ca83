"""Dutch wording for the configuration's (English) validation messages, for staff forms.

The rules and their messages live in `huishoudboekje.config` (operators read them in
English on the command line); staff see the same problems in Dutch beside the field.
A message without a translation is shown as it is.
"""

from __future__ import annotations

import re

_DUTCH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r'^IBAN "(.*)" is not valid \((.*)\)$', r'IBAN "\1" klopt niet (\2).'),
        (r'^BIC "(.*)" is not valid \((.*)\)$', r'BIC "\1" klopt niet (\2).'),
        (r'^"(.*)" is not an amount.*$', r'"\1" is geen bedrag; schrijf het zoals 725,40.'),
        (r"^expected an amount.*$", "Vul een bedrag in, zoals 725,40."),
        (
            r'^"(.*)": an amount here cannot be negative$',
            r'"\1": dit bedrag kan niet negatief zijn.',
        ),
        (r"^must be more than 0\.00$", "Het bedrag moet meer dan € 0,00 zijn."),
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
        (r"^expected a whole number, got None$", "Dit veld is verplicht."),
        (r"^expected a whole number.*$", "Vul een heel getal in."),
        (r"^must be (\d+) or more$", r"Moet \1 of meer zijn."),
        (
            r"^is (\d+) characters long; at most (\d+) are allowed$",
            r"Te lang: \1 tekens, hoogstens \2.",
        ),
        (r'^unknown (.*) "(.*)"; allowed values: (.*)$', r'Onbekende keuze "\2"; kies uit: \3.'),
        (
            r'^"(.*)" is not a valid code.*$',
            r'"\1" kan niet: gebruik letters, cijfers, "-", "_" of "." '
            r"(geen spaties, hoogstens 40 tekens).",
        ),
        (r'^(.*) "(.*)" is used twice.*$', r'"\2" bestaat al bij dit huishouden.'),
        (r'^"(.*)" is not a percentage.*$', r'"\1" is geen percentage; schrijf het zoals 5%.'),
        (r'^"(.*)" is more than 100%$', r'"\1" is meer dan 100%.'),
        (
            r"^rrule (.*) gives no dates on or after (.*)$",
            r"De herhaling \1 geeft geen datums vanaf \2.",
        ),
        (r"^(end|valid_until) (.*) is before (start|valid_from) (.*)$", r"\2 ligt vóór \4."),
    )
)


def dutch(message: str) -> str:
    """The Dutch version of a configuration message (or the message itself)."""
    for pattern, template in _DUTCH:
        if pattern.match(message):
            return pattern.sub(template, message)
    return message
