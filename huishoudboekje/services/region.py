"""Several gemeenten in one installation (issue 22): which gemeente's settings, pooled
account and calendar apply to a household, a statement or a payment.

A one-gemeente installation holds gemeente 1 and every household belongs to it, so
everything here gives what `load_gemeente(uow)` gave before. The night's stages ask
`Region` for the gemeente of the household at hand, never for "the" gemeente.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from huishoudboekje.adapters.persistence.repository import (
    GEMEENTE_ROW_ID,
    household_gemeenten,
    load_gemeenten,
    pooled_account_owners,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Gemeente, Household
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.payments import Debtor
from huishoudboekje.services.household_status import plan_settings


@dataclass(frozen=True)
class Region:
    """Every stored gemeente by id, the gemeente of each pooled account IBAN, and the
    gemeente of each household code."""

    gemeenten: dict[int, Gemeente]
    accounts: dict[str, int]  # pooled account IBAN (compact) -> gemeente id
    households: dict[str, int]  # household code -> gemeente id

    @property
    def is_regional(self) -> bool:
        """More than one gemeente."""
        return len(self.gemeenten) > 1

    def gemeente(self, gemeente_id: int) -> Gemeente | None:
        """The gemeente with this id (None before the first `hhb config apply`)."""
        return self.gemeenten.get(gemeente_id)

    def settings(self, gemeente_id: int) -> PlanSettings:
        """The planning settings of the gemeente (its calendar, shortage, ...)."""
        return plan_settings(self.gemeente(gemeente_id))

    def settings_of(self, household: Household) -> PlanSettings:
        """The planning settings of the household's own gemeente."""
        return self.settings(household.gemeente_id)

    def gemeente_of_code(self, code: str) -> int:
        """The gemeente id of the household `code` (the first gemeente when unknown)."""
        return self.households.get(code, GEMEENTE_ROW_ID)

    def gemeente_of_account(self, iban: str) -> int | None:
        """The gemeente whose pooled account this is; None for an account no gemeente has."""
        return self.accounts.get(compact_iban(iban))

    def debtor(self, gemeente_id: int) -> Debtor:
        """The payer of the gemeente's payment files: its first pooled account."""
        gemeente = self.gemeente(gemeente_id)
        if gemeente is None:
            raise RuntimeError(f"gemeente {gemeente_id} is not configured")
        return Debtor(gemeente.account_name, gemeente.account_iban, gemeente.bic)

    def payer(self, gemeente_id: int) -> Debtor | None:
        """`debtor`, or None for a gemeente that is not stored (before the first
        `hhb config apply`): the payer of the gemeente's payment files."""
        return self.debtor(gemeente_id) if self.gemeente(gemeente_id) else None

    def first_payment_day(self, gemeente_id: int, real_day: date) -> date:
        """The earliest execution date a payment file of the gemeente can ask for on
        `real_day`: its first business day from then on (never a date in the past)."""
        return self.settings(gemeente_id).calendar.on_or_after(real_day)

    def by_gemeente(self, households: Iterable[Household]) -> dict[int, list[Household]]:
        """`households` per gemeente id, in id order, each list in the given order."""
        groups: dict[int, list[Household]] = {}
        for household in households:
            groups.setdefault(household.gemeente_id, []).append(household)
        return dict(sorted(groups.items()))


def load_region(uow: UnitOfWork, codes: Sequence[str] | None = None) -> Region:
    """The stored gemeenten, their pooled accounts and which household is whose (every
    household, or only those of `codes`: a worker's batch reads its own, not all)."""
    owners = {compact_iban(iban): owner for iban, owner in pooled_account_owners(uow).items()}
    return Region(load_gemeenten(uow), owners, household_gemeenten(uow, codes))


def compact_iban(iban: str) -> str:
    """An IBAN without spaces, upper case."""
    return "".join(iban.split()).upper()
