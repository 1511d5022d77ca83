"""The file's schema as pydantic models; each converts itself to a domain record.

Every model forbids unknown fields. Defaults come from the domain records, so
the file and the engine cannot disagree about what an omitted field means.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from huishoudboekje.adapters.config.values import (
    Amount,
    AtLeastOne,
    Bic,
    CadenceName,
    ChargeKindName,
    ConsentDocumentName,
    ConsentScopeValue,
    ContactName,
    Count,
    Day,
    Flag,
    Fraction,
    Iban,
    Identifier,
    IncomeKindName,
    Name,
    OptionalAmount,
    OptionalCount,
    OptionalDay,
    OptionalFraction,
    OptionalIban,
    OptionalIdentifier,
    OptionalName,
    OptionalPositiveAmount,
    OptionalShortageName,
    PolicyName,
    PositiveAmount,
    Postcode,
    Rule,
    ShortageName,
    TermRuleName,
    Terms,
    Text,
    ViewerShownAs,
    WeekdayName,
    fail,
    ranges_apply,
)
from huishoudboekje.adapters.config.values import domain_default as _d
from huishoudboekje.domain.charge_windows import Pause, TemporaryAmount, WindowError, check_windows
from huishoudboekje.domain.consent import Consent, ConsentScope, DocumentKind
from huishoudboekje.domain.household import (
    BufferPolicy,
    Cadence,
    ChargeKind,
    Contact,
    FixedCharge,
    Gemeente,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
    LeefgeldPolicyKind,
    Letterhead,
    PooledAccount,
    PostalAddress,
    Reserve,
    Shortage,
    TermRule,
    code_from_name,
)
from huishoudboekje.domain.limits import whole_problem
from huishoudboekje.domain.schedule import Schedule, ScheduleError

_FREQUENCY = re.compile(r"FREQ=(\w+)")
_DATE_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_SUB_DAILY = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _in_range(cls, value: object, info: ValidationInfo) -> object:
        """Every whole-number field stays inside its range (`domain.limits.WHOLE_RANGES`,
        by field name; fields not listed there get the default range)."""
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and info.field_name
            and ranges_apply()
        ):
            problem = whole_problem(info.field_name, value)
            if problem is not None:
                raise fail(problem)
        return value

    def _values(self, **converted: object) -> dict[str, Any]:
        """The checked values by field name (the domain record's names); `converted`
        replaces those the domain record types differently."""
        names = type(self).model_fields
        return {name: getattr(self, name) for name in names if name not in converted} | converted


class ScheduleModel(_Section):
    """`schedule`: a start date and an RFC 5545 repeat rule."""

    start: Day
    rrule: Rule

    @field_validator("rrule")
    @classmethod
    def _rule_reads(cls, rule: str, info: ValidationInfo) -> str:
        start = info.data.get("start", date(2000, 1, 1))
        frequency = _FREQUENCY.search(rule.upper())
        if frequency is not None and frequency.group(1) in _SUB_DAILY:
            # sub-daily rules make no sense for dates and can take minutes to search
            raise fail(f"FREQ must be one of {', '.join(_DATE_FREQUENCIES)}")
        try:
            schedule = Schedule(start, rule)
            first = schedule.next_on_or_after(start)
        except ScheduleError as exc:
            raise fail(str(exc)) from None
        if first is None:
            raise fail(f"rrule {rule!r} gives no dates on or after {start.isoformat()}")
        return rule

    def to_domain(self) -> Schedule:
        """The checked values as the domain record `Schedule`."""
        return Schedule(self.start, self.rrule)


class IncomeModel(_Section):
    """`households[].incomes[]`: one expected income."""

    id: Identifier
    kind: IncomeKindName
    amount: PositiveAmount
    schedule: ScheduleModel
    payer_iban: OptionalIban = _d(IncomeStream, "payer_iban")
    payer_name: Text = _d(IncomeStream, "payer_name")
    terms: Terms = _d(IncomeStream, "terms")
    margin: Fraction = _d(IncomeStream, "margin")
    window_days: Count = _d(IncomeStream, "window_days")
    irregular: Flag = _d(IncomeStream, "irregular")
    reference: Text = _d(IncomeStream, "reference")
    match: TermRuleName = _d(IncomeStream, "match").value

    def to_domain(self) -> IncomeStream:
        """The checked values as the domain record `IncomeStream`."""
        return IncomeStream(
            **self._values(
                kind=IncomeKind(self.kind),
                schedule=self.schedule.to_domain(),
                match=TermRule(self.match),
            )
        )


class PauseModel(_Section):
    """`households[].charges[].pause[]`: a window (by due date) with no payment."""

    first: Day = Field(alias="from")
    until: Day

    @field_validator("until")
    @classmethod
    def _not_before_from(cls, until: date, info: ValidationInfo) -> date:
        first = info.data.get("first")
        if first is not None and until < first:
            raise fail(f"until {until.isoformat()} is before from {first.isoformat()}")
        return until

    def to_domain(self) -> Pause:
        return Pause(self.first, self.until)


class TemporaryModel(PauseModel):
    """`households[].charges[].temporary[]`: a window (by due date) with another amount."""

    amount: PositiveAmount

    def to_domain(self) -> TemporaryAmount:  # type: ignore[override]
        return TemporaryAmount(self.first, self.until, self.amount)


class ChargeModel(_Section):
    """`households[].charges[]`: one fixed charge to pay."""

    id: Identifier
    kind: ChargeKindName
    payee_name: Name
    payee_iban: Iban
    amount: PositiveAmount
    schedule: ScheduleModel
    reference: Text = _d(FixedCharge, "reference")
    priority: OptionalCount = _d(FixedCharge, "priority")
    lead_days: Count = _d(FixedCharge, "lead_days")
    valid_from: OptionalDay = _d(FixedCharge, "valid_from")
    valid_until: OptionalDay = _d(FixedCharge, "valid_until")
    reserve: Identifier | None = _d(FixedCharge, "reserve")
    payee_bic: Bic = _d(FixedCharge, "payee_bic")
    pause: list[PauseModel] = []
    temporary: list[TemporaryModel] = []
    total: OptionalPositiveAmount = _d(FixedCharge, "total")

    @field_validator("pause", "temporary")
    @classmethod
    def _no_overlap(cls, windows: list[PauseModel]) -> list[PauseModel]:
        try:
            check_windows(w.to_domain() for w in windows)
        except WindowError as exc:
            raise fail(str(exc)) from None
        return windows

    def to_domain(self) -> FixedCharge:
        """The checked values as the domain record `FixedCharge`."""
        return FixedCharge(
            **self._values(
                kind=ChargeKind(self.kind),
                schedule=self.schedule.to_domain(),
                pause=tuple(p.to_domain() for p in self.pause),
                temporary=tuple(t.to_domain() for t in self.temporary),
            )
        )


class ReserveModel(_Section):
    """`households[].reserves[]`: money set aside for a known future cost."""

    id: Identifier
    monthly: OptionalAmount = None  # None: not given (the domain default applies)
    target: OptionalAmount = _d(Reserve, "target")
    percent_of_toeslag: OptionalFraction = _d(Reserve, "percent_of_toeslag")
    description: Text = _d(Reserve, "description")
    valid_until: OptionalDay = _d(Reserve, "valid_until")

    def to_domain(self) -> Reserve:
        """The checked values as the domain record `Reserve`."""
        monthly = self.monthly if self.monthly is not None else _d(Reserve, "monthly")
        return Reserve(**self._values(monthly=monthly))


class LeefgeldModel(_Section):
    """`households[].leefgeld`: how leefgeld is paid."""

    policy: PolicyName = _d(LeefgeldPolicy, "policy").value
    cadence: CadenceName = _d(LeefgeldPolicy, "cadence").value
    weekday: WeekdayName = _d(LeefgeldPolicy, "weekday")
    floor: OptionalAmount = _d(LeefgeldPolicy, "floor")
    amount: OptionalAmount = _d(LeefgeldPolicy, "amount")
    buildup_months: AtLeastOne = _d(LeefgeldPolicy, "buildup_months")

    def to_domain(self) -> LeefgeldPolicy:
        """The checked values as the domain record `LeefgeldPolicy`."""
        return LeefgeldPolicy(
            **self._values(policy=LeefgeldPolicyKind(self.policy), cadence=Cadence(self.cadence))
        )


class BufferModel(_Section):
    """`households[].buffer`: the vat target and the advance limit."""

    target: Amount = _d(BufferPolicy, "target")
    advance_limit: Amount = _d(BufferPolicy, "advance_limit")
    repay_months: AtLeastOne = _d(BufferPolicy, "repay_months")

    def to_domain(self) -> BufferPolicy:
        """The checked values as the domain record `BufferPolicy`."""
        return BufferPolicy(**self._values())


class AddressModel(_Section):
    """`households[].address`: where letters by post go."""

    street: Name
    postcode: Postcode
    city: Name
    attention: OptionalName = _d(PostalAddress, "attention")

    def to_domain(self) -> PostalAddress:
        """The checked values as the domain record `PostalAddress`."""
        return PostalAddress(**self._values())


class ConsentModel(_Section):
    """`households[].consent` (issue 19.3): the household's signed consent."""

    signed_on: Day
    signed_by: Name
    scope: ConsentScopeValue = ConsentScope()
    document: ConsentDocumentName = DocumentKind.PAPER.value

    def to_domain(self) -> Consent:
        """The checked values as the domain record `Consent`."""
        scope = self.scope if isinstance(self.scope, ConsentScope) else ConsentScope()
        return Consent(self.signed_on, self.signed_by, scope, DocumentKind(self.document))


class HouseholdModel(_Section):
    """`households[]`: one household and its rules."""

    code: Identifier
    name: Name
    iban: Iban
    bic: Bic = _d(Household, "bic")
    members: AtLeastOne = _d(Household, "members")
    start: Day = _d(Household, "start")
    end: OptionalDay = _d(Household, "end")
    leefgeld: LeefgeldModel = LeefgeldModel()
    buffer: BufferModel = BufferModel()
    incomes: list[IncomeModel] = []
    charges: list[ChargeModel] = []
    reserves: list[ReserveModel] = []
    shortage: OptionalShortageName = None  # None: the gemeente's setting
    team: OptionalName = _d(Household, "team")
    caseworker: OptionalName = _d(Household, "caseworker")
    contact: ContactName = _d(Household, "contact").value
    address: AddressModel | None = Field(default=None, validate_default=True)
    consent: ConsentModel | None = None

    @field_validator("address")
    @classmethod
    def _address_for_post(
        cls, value: AddressModel | None, info: ValidationInfo
    ) -> AddressModel | None:
        if value is None and info.data.get("contact") == Contact.POST.value:
            raise fail("contact: post needs an address (street, postcode, city)")
        return value

    def to_domain(self) -> Household:
        """The checked values as the domain record `Household`."""
        return Household(
            **self._values(
                shortage=None if self.shortage is None else Shortage(self.shortage),
                contact=Contact(self.contact),
                address=None if self.address is None else self.address.to_domain(),
                consent=None if self.consent is None else self.consent.to_domain(),
                leefgeld=self.leefgeld.to_domain(),
                buffer=self.buffer.to_domain(),
                incomes=tuple(i.to_domain() for i in self.incomes),
                charges=tuple(c.to_domain() for c in self.charges),
                reserves=tuple(r.to_domain() for r in self.reserves),
            )
        )


class LetterheadModel(_Section):
    """`gemeente.letterhead`: the sender, return address and contact on letters."""

    sender: OptionalName = _d(Letterhead, "sender")
    return_address: list[OptionalName] = list(_d(Letterhead, "return_address"))
    phone: OptionalName = _d(Letterhead, "phone")
    email: OptionalName = _d(Letterhead, "email")
    website: OptionalName = _d(Letterhead, "website")

    def to_domain(self) -> Letterhead:
        """The checked values as the domain record `Letterhead`."""
        return Letterhead(**self._values(return_address=tuple(self.return_address)))


class PooledAccountModel(_Section):
    """`gemeente.extra_accounts[]`: a pooled account besides the first (issue 22)."""

    iban: Iban
    name: Name
    bic: Bic = _d(PooledAccount, "bic")

    def to_domain(self) -> PooledAccount:
        """The checked values as the domain record `PooledAccount`."""
        return PooledAccount(**self._values())


class GemeenteModel(_Section):
    """`gemeente`: the municipality and its pooled account."""

    code: OptionalIdentifier = _d(Gemeente, "code")
    name: Name
    account_iban: Iban
    account_name: Name
    bic: Bic = _d(Gemeente, "bic")
    extra_accounts: list[PooledAccountModel] = []
    max_days_early: Count = _d(Gemeente, "max_days_early")
    extra_closing_days: list[Day] = list(_d(Gemeente, "extra_closing_days"))
    max_learned_buffer: PositiveAmount = _d(Gemeente, "max_learned_buffer")
    irregular_step_months: Count = _d(Gemeente, "irregular_step_months")
    shortage: ShortageName = _d(Gemeente, "shortage").value
    letterhead: LetterheadModel = LetterheadModel()
    retention_years: Count = _d(Gemeente, "retention_years")
    document_retention_months: Count = _d(Gemeente, "document_retention_months")
    viewer_shown_as: ViewerShownAs = _d(Gemeente, "viewer_shown_as")
    consent_required: Flag = _d(Gemeente, "consent_required")

    def to_domain(self) -> Gemeente:
        """The checked values as the domain record `Gemeente` (a code equal to the one made
        from the name is held as "", see `Gemeente.code`)."""
        return Gemeente(
            **self._values(
                code="" if self.code == code_from_name(self.name) else self.code,
                extra_accounts=tuple(
                    sorted((a.to_domain() for a in self.extra_accounts), key=lambda a: a.iban)
                ),
                extra_closing_days=tuple(self.extra_closing_days),
                letterhead=self.letterhead.to_domain(),
                shortage=Shortage(self.shortage),
            )
        )


class RegionGemeenteModel(GemeenteModel):
    """`gemeenten[]`: one gemeente of a regional installation, with its households
    (issue 22); its `code` is required."""

    code: Identifier
    households: list[HouseholdModel] = []

    def to_domain(self) -> Gemeente:
        """The gemeente alone (its households: `households`)."""
        return GemeenteModel.model_construct(
            **{name: getattr(self, name) for name in GemeenteModel.model_fields}
        ).to_domain()


class ConfigModel(_Section):
    """The whole file: one `gemeente` with top-level `households`, or (issue 22) a list
    `gemeenten`, each with its own households. Which one is given, and that not both
    are, is checked on the raw data (`reader._cross_checks`)."""

    gemeente: GemeenteModel | None = None
    gemeenten: list[RegionGemeenteModel] | None = None
    households: list[HouseholdModel] = []

    def to_configuration(self, source: str) -> Configuration:
        """The checked file as a `Configuration`."""
        if self.gemeenten is None:
            assert self.gemeente is not None  # checked on the raw data
            gemeente = self.gemeente.to_domain()
            households = tuple(h.to_domain() for h in self.households)
            return Configuration(gemeente, households, source)
        gemeenten = tuple(g.to_domain() for g in self.gemeenten)
        households = tuple(
            replace(h.to_domain(), gemeente_id=place)
            for place, region in enumerate(self.gemeenten, start=1)
            for h in region.households
        )
        return Configuration(gemeenten[0], households, source, gemeenten[1:], regional=True)


@dataclass(frozen=True, slots=True)
class Configuration:
    """A checked configuration: the gemeente(n) and the households, in file order.

    A one-gemeente file has `gemeente` only. A regional one (issue 22, `regional`)
    has its first gemeente in `gemeente` and the others in `others`; every
    household's `gemeente_id` is its gemeente's place in `gemeenten` (1 = the first),
    which `hhb config apply` turns into the stored id by the gemeente's code."""

    gemeente: Gemeente
    households: tuple[Household, ...]
    source: str = ""
    others: tuple[Gemeente, ...] = ()
    regional: bool = False

    @property
    def gemeenten(self) -> tuple[Gemeente, ...]:
        """Every gemeente in the file, in file order."""
        return (self.gemeente, *self.others)

    def gemeente_of(self, household: Household) -> Gemeente:
        """The gemeente `household` belongs to in this configuration."""
        return self.gemeenten[household.gemeente_id - 1]


def model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The schema class that describes the mapping at `loc` (for 'allowed fields')."""
    current: Any = ConfigModel
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: object) -> object:
    origin = typing.get_origin(annotation)
    if origin is list or origin is Union or origin is types.UnionType:
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
    return annotation
