"""Households and their rules: frozen records, validated at the edge (see `config.py`).

Vocabulary (GUIDE §3): a household (huishouden) has income streams
(inkomstenbronnen), fixed charges (vaste lasten), reserves (reserveringen), a
leefgeld policy and a buffer policy. Changes go through `dataclasses.replace`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from huishoudboekje.domain.charge_windows import Pause, TemporaryAmount
from huishoudboekje.domain.consent import Consent
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.schedule import Schedule


class IncomeKind(StrEnum):
    LOON = "loon"
    BIJSTAND = "bijstand"
    WW = "ww"
    ZORGTOESLAG = "zorgtoeslag"
    HUURTOESLAG = "huurtoeslag"
    KINDGEBONDEN_BUDGET = "kindgebonden_budget"
    KINDERBIJSLAG = "kinderbijslag"
    ALIMENTATIE = "alimentatie"
    OVERIG = "overig"

    @property
    def is_toeslag(self) -> bool:
        return self in {
            IncomeKind.ZORGTOESLAG,
            IncomeKind.HUURTOESLAG,
            IncomeKind.KINDGEBONDEN_BUDGET,
        }

    @property
    def label_nl(self) -> str:
        """The kind as a Dutch sentence starts it: "Loon", "WW", "Kindgebonden budget"."""
        if self is IncomeKind.WW:
            return "WW"
        if self is IncomeKind.OVERIG:
            return "Inkomen"
        return self.value.replace("_", " ").capitalize()


class TermRule(StrEnum):
    """How an income's `terms` must appear in a credit's description (`match:` in the file)."""

    ANY = "any"  # the terms count as evidence, each weighted by how specific it is
    ALL = "all"  # every term must appear (the Utrecht Huishoudboekje's rule)


class ChargeKind(StrEnum):
    HUUR = "huur"
    ENERGIE = "energie"
    WATER = "water"
    ZORGPREMIE = "zorgpremie"
    STADSVERWARMING = "stadsverwarming"
    GEMEENTELIJKE_BELASTINGEN = "gemeentelijke_belastingen"
    OVERIG = "overig"


# Default payment priority when money is short (lower number pays first).
DEFAULT_PRIORITY: dict[ChargeKind, int] = {
    ChargeKind.HUUR: 10,
    ChargeKind.ENERGIE: 20,
    ChargeKind.WATER: 30,
    ChargeKind.ZORGPREMIE: 40,
    ChargeKind.STADSVERWARMING: 50,
    ChargeKind.GEMEENTELIJKE_BELASTINGEN: 60,
    ChargeKind.OVERIG: 90,
}


class Shortage(StrEnum):
    """What the charges phase does when the money does not cover every charge due."""

    # strict priority with reservation: a held-back charge keeps its claim, so no
    # lower charge due on the same day or later is paid before it (the default)
    STRICT = "strict"
    PAY_WHAT_FITS = "pay_what_fits"  # pay every charge that still fits, in priority order


class LeefgeldPolicyKind(StrEnum):
    SMOOTHED = "smoothed"
    FIXED = "fixed"
    MONTHLY_FIRST = "monthly_first"


class Cadence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


SETTLEMENT_DAYS = timedelta(days=90)  # afwikkeling after the participation ends


@dataclass(frozen=True, slots=True)
class IncomeStream:
    """Expected income. `margin` is a fraction (0.05 for 5%) of the expected amount.

    `reference` is the payer's number for this household (toeslagnummer, cliëntnummer);
    like the household's code it identifies the household in a description. `match`
    says whether any of `terms` counts (weighted by how specific it is) or all must appear.
    """

    id: str
    kind: IncomeKind
    amount: Money
    schedule: Schedule
    payer_iban: str = ""
    payer_name: str = ""
    terms: tuple[str, ...] = ()
    margin: Decimal = Decimal("0.05")
    window_days: int = 5  # how many days late an income may arrive before it is "te laat"
    # turnover, flex work, a WW paid on varying days: the expected amount is learned
    # from the receipts (`domain.learned_income`), the configured one is a start value
    irregular: bool = False
    reference: str = ""
    match: TermRule = TermRule.ANY


@dataclass(frozen=True, slots=True)
class FixedCharge:
    """A payment rule: pay `amount` to the payee on every date of `schedule`."""

    id: str
    kind: ChargeKind
    payee_name: str
    payee_iban: str
    amount: Money
    schedule: Schedule
    reference: str = ""  # betalingskenmerk (structured) or free text
    priority: int | None = None
    lead_days: int = 0
    valid_from: date | None = None
    valid_until: date | None = None
    reserve: str | None = None  # id of a reserve this charge is paid from first
    payee_bic: str = ""
    # issue 17: windows (by due date, inclusive) in which nothing is paid or another
    # amount, and a total after which the charge stops by itself (domain.charge_windows)
    pause: tuple[Pause, ...] = ()
    temporary: tuple[TemporaryAmount, ...] = ()
    total: Money | None = None

    @property
    def effective_priority(self) -> int:
        return self.priority if self.priority is not None else DEFAULT_PRIORITY[self.kind]

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_until is not None and day > self.valid_until)


@dataclass(frozen=True, slots=True)
class Reserve:
    """Money set aside each month for a known future charge or risk.

    Either a fixed `monthly` amount, or `percent_of_toeslag` (0.10 for 10%) of the
    household's expected toeslag income each month; saved until `target`, and
    only on days up to and including `valid_until` (what is held stays held).
    """

    id: str
    monthly: Money = ZERO
    target: Money | None = None
    percent_of_toeslag: Decimal | None = None
    description: str = ""
    valid_until: date | None = None

    def is_valid_on(self, day: date) -> bool:
        """Whether money is still set aside on `day`."""
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True, slots=True)
class LeefgeldPolicy:
    policy: LeefgeldPolicyKind = LeefgeldPolicyKind.SMOOTHED
    cadence: Cadence = Cadence.WEEKLY
    weekday: str = "friday"
    floor: Money | None = None  # per cadence period; None = default from members
    amount: Money | None = None  # for policy `fixed`
    buildup_months: int = 6  # opbouwfase: fill the buffer target in about this many months


DEFAULT_BUFFER_TARGET = Money("1200.00")


@dataclass(frozen=True, slots=True)
class BufferPolicy:
    target: Money = DEFAULT_BUFFER_TARGET
    advance_limit: Money = ZERO
    repay_months: int = 6  # an advance is repaid in about this many monthly instalments


class Contact(StrEnum):
    """How the household wants its monthly overview: on its own pages, or by post."""

    ONLINE = "online"
    POST = "post"


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """A Dutch postal address for letters by post (window envelope)."""

    street: str  # street and number: "Lange Nieuwstraat 12 bis"
    postcode: str  # "3512 PN"
    city: str  # "Utrecht"
    attention: str = ""  # an extra first line, e.g. "t.a.v. mevrouw J. de Vries"

    def lines(self) -> tuple[str, ...]:
        """The address lines under the name, as printed: postcode and city in one line
        (two spaces between them, as PostNL asks)."""
        first = (self.attention,) if self.attention else ()
        return (*first, self.street, f"{self.postcode}  {self.city.upper()}")


@dataclass(frozen=True, slots=True)
class Household:
    code: str
    name: str
    iban: str
    members: int = 1
    start: date = date(2000, 1, 1)
    end: date | None = None
    leefgeld: LeefgeldPolicy = field(default_factory=LeefgeldPolicy)
    buffer: BufferPolicy = field(default_factory=BufferPolicy)
    incomes: tuple[IncomeStream, ...] = ()
    charges: tuple[FixedCharge, ...] = ()
    reserves: tuple[Reserve, ...] = ()
    bic: str = ""
    shortage: Shortage | None = None  # None: the gemeente's setting
    # the caseload (issue 19): the team and the medewerker (user name) it belongs to;
    # empty when not (yet) assigned
    team: str = ""
    caseworker: str = ""
    # how the household gets its monthly overview, and where letters go
    contact: Contact = Contact.ONLINE
    address: PostalAddress | None = None
    # issue 19.3: the newest recorded consent (`domain.consent`). Stored in a table of
    # its own with its history, not with the rules, and left out of comparisons: a
    # consent recorded meanwhile does not make a pending rule change stale
    consent: Consent | None = field(default=None, compare=False)
    # issue 22: the gemeente the household belongs to (`gemeente.id`; 1 in a
    # one-gemeente installation). In a `Configuration` it is the gemeente's place in
    # the file (1 = the first); stored, it is the gemeente's id. Left out of
    # comparisons, like the consent: a household rebuilt from its rules (a form, a
    # four-eyes request) is the same household; only `hhb config apply` moves one.
    gemeente_id: int = field(default=1, compare=False)

    def is_active_on(self, day: date) -> bool:
        if day < self.start:
            return False
        return not (self.end is not None and day > self.end)

    def is_planned_on(self, day: date) -> bool:
        """Active, or ended less than SETTLEMENT_DAYS ago: the nightly plan still
        settles an advance and passes on money that arrives for the household."""
        if self.is_active_on(day):
            return True
        return self.end is not None and self.end < day <= self.end + SETTLEMENT_DAYS

    def floor_per_period(self) -> Money:
        """Leefgeld floor for one cadence period (food-bank style default)."""
        if self.leefgeld.floor is not None:
            return self.leefgeld.floor
        weekly = Money("45.00") + Money("11.00") * self.members
        monthly_first = self.leefgeld.policy is LeefgeldPolicyKind.MONTHLY_FIRST
        if self.leefgeld.cadence is Cadence.WEEKLY and not monthly_first:  # monthly_first: monthly
            return weekly
        return Money.round(weekly.amount * 52 / 12)


# the most a buffer target learned from irregular incomes may grow to, unless the
# gemeente sets its own (issue 17.4): six times the default buffer target, about
# three months of a ZZP household's turnover (docs/benchmarks.md, issue 17)
MAX_LEARNED_BUFFER = Money("7200.00")


@dataclass(frozen=True, slots=True)
class Letterhead:
    """What the gemeente prints at the top and bottom of a letter."""

    sender: str = ""  # "Gemeente Utrecht, Budgetbeheer"
    return_address: tuple[str, ...] = ()  # ("Postbus 16200", "3500 CE Utrecht")
    phone: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class PooledAccount:
    """A pooled account (derdengeldenrekening) of a gemeente at the bank."""

    iban: str
    name: str
    bic: str = ""


def code_from_name(name: str) -> str:
    """'Den Haag' → 'den-haag': the code of a gemeente whose file gives none (ASCII,
    lower case, at most 40 characters; the same rule as migration 0016)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "gemeente"


@dataclass(frozen=True, slots=True)
class Gemeente:
    name: str
    account_iban: str
    account_name: str
    bic: str = ""
    # issue 22: the short code a regional installation names the gemeente by, "" when
    # it is the one made from the name (`effective_code`; the stored column always has
    # it), and the pooled accounts it has besides the first (`account_iban`), sorted by
    # IBAN. Payments go out from the first; statements of any of them are the gemeente's.
    code: str = ""
    extra_accounts: tuple[PooledAccount, ...] = ()
    max_days_early: int = 3
    extra_closing_days: tuple[date, ...] = ()
    # issue 17.4: the most a buffer target learned from irregular incomes may grow to,
    # and how often (months) the leefgeld of a household with one may step
    max_learned_buffer: Money = MAX_LEARNED_BUFFER
    irregular_step_months: int = 3
    shortage: Shortage = Shortage.STRICT
    letterhead: Letterhead = field(default_factory=Letterhead)
    # issue 20: how long personal data is kept after participation ends
    # (`domain.retention`): financial records in whole fiscal years, documents in months
    retention_years: int = 7
    document_retention_months: int = 12
    # issue 20: a household sees who looked at its data by their role ("role") or by
    # their name ("name")
    viewer_shown_as: str = "role"
    # issue 19.3: a household without a consent that applies is not planned by the
    # night; false (the default of a file without it) keeps an existing install as it was
    consent_required: bool = False

    @property
    def effective_code(self) -> str:
        """The gemeente's code: the one given, else the one made from its name."""
        return self.code or code_from_name(self.name)

    @property
    def pooled_accounts(self) -> tuple[PooledAccount, ...]:
        """Every pooled account of the gemeente, the first (`account_iban`) first."""
        first = PooledAccount(self.account_iban, self.account_name, self.bic)
        return (first, *self.extra_accounts)
