"""Stage `extras`: approved household requests (verzoeken) become payments, after
`plan` and before `export` (`services.night_extras`)."""

from __future__ import annotations

from huishoudboekje.services.night_extras import ExtrasResult
from huishoudboekje.services.night_extras import pay_extra_requests as pay_approved
from scheduler.context import NightContext


def pay_extra_requests(ctx: NightContext) -> ExtrasResult:
    """Pay tonight's approved requests where the vat allows; returns counts."""
    return pay_approved(ctx)
