"""When the rate is recomputed, and how a new rate is announced one period ahead."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from huishoudboekje.domain.charge_windows import progress_by_charge, remaining
from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.household import Cadence, Household, LeefgeldPolicyKind
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.ids import reserve_contribution_id, signal_key
from huishoudboekje.domain.learned_income import learned_buffer_target, month_start, next_month
from huishoudboekje.domain.leefgeld.budget import Budget, budget, budget_sentence, cadence_of
from huishoudboekje.domain.leefgeld.rate import period_days, step_threshold, target_rate
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import (
    PlanSettings,
    charge_dues,
    planning_since,
    stopped_incomes,
)
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

# an irregular earner's buffer carries this many months of what its regular incomes
# do not cover (`irregular_buffer_target`): B-ZZP, 16 seeds, measured 1.5 / 2 / 2.5 /
# 3 / 4 months; 2.5 had the fewest weeks without leefgeld (docs/benchmarks.md)
DRY_SPELL_BUFFER_MONTHS = Decimal("2.5")


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The recomputed leefgeld state, the signals it raised, and the budget in words."""

    state: LeefgeldState
    signals: tuple[Signal, ...]
    explanation: str


def rules_fingerprint(household: Household, stopped: Iterable[str] = ()) -> str:
    """Changes when anything that affects the rate changes (a rent increase, a stopped
    toeslag, an income that looks stopped or comes back: the ids in `stopped`)."""
    relevant: tuple[object, ...] = (
        household.incomes,
        household.charges,
        household.reserves,
        household.leefgeld,
        household.buffer,
        household.members,
        household.end,
    )
    if stopped := tuple(sorted(stopped)):  # nothing stopped: the fingerprint as before
        relevant = (*relevant, ("stopped", stopped))
    return hashlib.sha256(repr(relevant).encode()).hexdigest()[:16]


def stopped_ids(household: Household, state: HouseholdState, today: date) -> frozenset[str]:
    """The ids of the household's incomes that look stopped on `today`, and (as
    "total:<id>") of its charges whose total is paid: both change the rate."""
    since = planning_since(household, state.planned_since, today)
    incomes = {s.income.id for s in stopped_incomes(household, today, state.receipts, since)}
    return frozenset(incomes | {_PAID_OFF + c for c in paid_off_charges(household, state)})


_PAID_OFF = "total:"  # a paid-off charge's id in the fingerprint's `stopped`


def paid_off_charges(household: Household, state: HouseholdState) -> frozenset[str]:
    """The ids of the charges with a `total` that is paid in full."""
    progress = progress_by_charge(state.charge_progress)
    return frozenset(
        c.id
        for c in household.charges
        if c.total is not None and not remaining(c.total, progress.get(c.id)).is_positive
    )


def needs_recompute(household: Household, state: HouseholdState, today: date) -> bool:
    """A rate is recomputed once a month, and at once when the rules change or an
    income looks stopped (or comes back)."""
    lg = state.leefgeld
    if lg.rate is None or lg.last_recompute is None:
        return True
    if lg.rules_fingerprint != rules_fingerprint(household, stopped_ids(household, state, today)):
        return True
    period = timedelta(days=period_days(cadence_of(household)))
    ending = lg.adjustment_until is not None and today + 2 * period >= lg.adjustment_until
    if lg.adjustment != ZERO and ending:
        return True  # the extra (or the cut) ends: announce that step in time
    return (lg.last_recompute.year, lg.last_recompute.month) != (today.year, today.month)


def _threshold(rate: Money) -> Money:
    """The smallest change worth a step (`rate.step_threshold`)."""
    return step_threshold(rate)


def step_because(
    before: LeefgeldState, after: LeefgeldState, *, up: bool, rules_changed: bool
) -> str:
    """Why the rate steps up or down, as a plain-Dutch clause to follow "omdat".

    `before` is the state the current rate came from, `after` the recomputation
    that announces the step (its buffer, buffer part and cap).
    """
    if up:
        if after.buffer_reached and not before.buffer_reached:
            return "uw buffer nu vol genoeg is"
        if after.adjustment.is_positive and not before.adjustment.is_positive:
            return "er meer geld in uw buffer zit dan nodig is"
        if before.adjustment.is_negative and not after.adjustment.is_negative:
            return "uw buffer weer op peil is"
        if before.capped:
            return "er nu meer geld in uw buffer zit"
    else:
        if after.capped:
            return "er anders niet genoeg geld is voor de vaste lasten van de komende twee maanden"
        if after.adjustment.is_negative and not before.adjustment.is_negative:
            return "uw buffer te klein is geworden en een deel van het geld naar uw buffer gaat"
        if before.adjustment.is_positive and not after.adjustment.is_positive:
            return "het extra geld uit uw buffer op is"
    if rules_changed:
        return "uw inkomen of uw vaste lasten zijn veranderd"
    return "uw leefgeld opnieuw is berekend"


def _does_not_close(household: Household, b: Budget, today: date) -> tuple[Signal, ...]:
    """A signal when the expected income does not cover the charges and the floor."""
    if b.closes or household.leefgeld.policy is LeefgeldPolicyKind.FIXED:
        return ()
    message = (
        "De begroting sluit niet: het verwachte inkomen dekt de vaste lasten en het "
        f"minimum leefgeld ({eur(b.floor)}) niet. " + budget_sentence(b)
    )
    key = signal_key(household.code, "begroting", f"{today:%Y-%m}")
    return (Signal(SignalKind.BUDGET_DOES_NOT_CLOSE, household.code, Severity.HIGH, message, key),)


def recompute(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    next_release: date,
) -> RateDecision:
    """Recompute the rate; a change takes effect one release after `next_release`."""
    since = planning_since(household, state.planned_since, today)
    b = _rate_budget(household, state, today, next_release, settings)
    signals = _does_not_close(household, b, today)
    stopped = frozenset(s.income.id for s in b.stopped) | {
        _PAID_OFF + c for c in paid_off_charges(household, state)
    }
    fingerprint = rules_fingerprint(household, stopped)
    planned = _with_learned_target(household, b, settings)
    target = target_rate(planned, state, today, settings, b, next_release)
    rate = target.rate
    explanation = budget_sentence(b) + " " + target.why
    lg = state.leefgeld
    base = replace(
        lg,
        buffer_reached=target.reached,
        adjustment=target.adjustment.amount,
        adjustment_until=target.adjustment.until,
        last_recompute=today,
        rules_fingerprint=fingerprint,
        reason=explanation,
        capped=target.capped,
    )
    current = lg.rate_on(next_release)
    if current is None:
        new = replace(
            base,
            rate=rate,
            rate_since=today,
            next_rate=None,
            next_rate_from=None,
            next_rate_because="",
        )
        return RateDecision(new, signals, explanation)
    if lg.next_rate is not None and abs(rate - lg.next_rate) < _threshold(lg.next_rate):
        return RateDecision(base, signals, explanation)  # already announced
    # only a step down to keep the charges paid is forced; the step back up waits for
    # the quarterly limit like any other (issue 17.4: "unless the buffer would run out")
    forced = rate < current and target.capped
    if _held(household, lg, since, today, settings, exempt=forced):
        return RateDecision(base, signals, explanation)  # an announced step stays announced
    if abs(rate - current) < _threshold(current):
        unannounced = replace(base, next_rate=None, next_rate_from=None, next_rate_because="")
        return RateDecision(unannounced, signals, explanation)
    because = _income_because(household, lg, b, stopped, up=rate > current)
    new, announced = _announce(
        household.code, lg, base, rate, current, next_release, target.why, because
    )
    return RateDecision(new, (*signals, announced), explanation)


def _budget(
    household: Household,
    state: HouseholdState,
    today: date,
    reserves_held: dict[str, Money] | None = None,
) -> Budget:
    """The budget the rate is recomputed from: with the receipts, so stopped incomes
    are left out and irregular ones count at their learned amount. `reserves_held`:
    what the reserves hold (default: today)."""
    return budget(
        household,
        today,
        state.advance_used,
        dict(state.reserves) if reserves_held is None else reserves_held,
        receipts=state.receipts,
        since=planning_since(household, state.planned_since, today),
        paid_off=paid_off_charges(household, state),
    )


def _rate_budget(
    household: Household,
    state: HouseholdState,
    today: date,
    next_release: date,
    settings: PlanSettings,
) -> Budget:
    """The budget a new rate is recomputed from: the reserves as they will be when
    it is first paid (`reserves_when_paid`). Its `reserve_amounts`, which the
    forecasts behind the rate set aside month by month, stay today's: a
    contribution still to come is made, and the forecast must count it."""
    today_budget = _budget(household, state, today)
    projected = reserves_when_paid(household, state, today, next_release, settings)
    if projected == dict(state.reserves):
        return today_budget
    b = _budget(household, state, today, projected)
    return replace(b, reserve_amounts=today_budget.reserve_amounts)


def reserves_when_paid(
    household: Household,
    state: HouseholdState,
    today: date,
    next_release: date,
    settings: PlanSettings,
) -> dict[str, Money]:
    """What each reserve will hold on the first release a rate recomputed today is paid
    at: today's balance, plus the monthly contributions still to come before that
    release (up to the target), less the charges paid from the reserve before it.

    The rate counts a reserve's contribution only while the reserve still fills. A
    reserve that becomes full before the new rate is first paid is left out now,
    not a month later: otherwise the rate announced at the end of the opbouwfase
    was followed a month later by a second step of the reserve's € 20 (B-CAD:
    € 459 -> € 662 -> € 682 a month in January and February). A reserve whose own
    charge (the yearly energy settlement) empties it before that release is not
    full then, so its contribution stays in the rate (else: a step up, and a step
    down when the settlement is paid). While a charge is held back no
    contribution is made (`planner.phases.reserves`), so nothing is projected.
    """
    held = dict(state.reserves)
    if not any(r.target is not None for r in household.reserves):
        return held
    if state.shortage_room is not None:  # a charge waits: no contribution tonight
        return held
    first_paid = next_release  # the first rate is paid from the next release on
    if state.leefgeld.rate is not None:  # a new rate: one release after it
        first_paid = _release_after(household, next_release)
    monthly = dict(budget(household, today).reserve_amounts)
    # (day, order, reserve, amount): charges are paid before contributions in a
    # night (phases 1 and 3), so on the same day a charge comes first
    events: list[tuple[date, int, str, Money]] = []
    for res in household.reserves:
        if res.target is None:
            continue
        month = month_start(today)
        while month < first_paid:
            made = reserve_contribution_id(household.code, res.id, month) in state.instructed
            day = max(month, today)
            if not made and res.is_valid_on(day):
                events.append((day, 1, res.id, monthly.get(res.id, ZERO)))
            month = next_month(month)
    targets = {r.id: r.target for r in household.reserves if r.target is not None}
    since = state.takes_over_from(today)
    cal = settings.calendar
    for due in charge_dues(household, today, first_paid + timedelta(days=31), settings):
        if due.charge.reserve not in targets or due.id in state.instructed or due.due < since:
            continue
        instructed_on = cal.add_business_days(due.execution, -settings.instruct_ahead)
        if instructed_on < first_paid:
            events.append((max(instructed_on, today), 0, due.charge.reserve, -due.charge.amount))
    for _day, _order, rid, amount in sorted(events, key=lambda e: (e[0], e[1])):
        balance = held.get(rid, ZERO)
        target = targets[rid]
        if amount.is_negative:
            held[rid] = max(balance + amount, ZERO)
        else:
            held[rid] = min_money(balance + amount, max(target, balance))
    return held


def _release_after(household: Household, release: date) -> date:
    """The nominal day of the release after the one of `release`."""
    if cadence_of(household) is Cadence.MONTHLY:
        return next_month(release)
    return release + timedelta(days=7)


def buffer_target_in_force(
    household: Household, state: HouseholdState, today: date, settings: PlanSettings
) -> Money:
    """The buffer target the rate aims for on `today`: the configured one, or for a
    household with an irregular income the learned one (`irregular_buffer_target`)."""
    return _with_learned_target(household, _budget(household, state, today), settings).buffer.target


def irregular_buffer_target(configured: Money, b: Budget, maximum: Money) -> Money:
    """The buffer target of a household with an irregular income.

    The larger of two needs, each capped by the gemeente's `maximum` (a configured
    target above it stays):
    - the income the longest gap seen would have brought (`learned_buffer_target`);
    - DRY_SPELL_BUFFER_MONTHS months of what the regular incomes do not cover: the
      charges, the reserves and leefgeld at the sustainable rate (never below the
      floor). The rate is capped by the vat as if no irregular income came for two
      months (`rate.dry_spell_rate`); a vat at this target sits half a month above
      the line where that cap starts to lower the rate, so the buffer part, not the
      cap, steers it (docs/benchmarks.md, issue 17 point 3).
    """
    gap = learned_buffer_target(configured, b.learned, maximum)
    regular = b.monthly_income - sum((x.monthly for x in b.learned), ZERO)
    rate = max(b.sustainable, b.floor)
    monthly_rate = rate if b.cadence is Cadence.MONTHLY else Money.round(rate.amount * 52 / 12)
    uncovered = b.monthly_charges + b.monthly_reserves + monthly_rate - regular
    dry = Money.round(uncovered.amount * DRY_SPELL_BUFFER_MONTHS)
    return max(gap, min_money(dry, maximum))


def _with_learned_target(household: Household, b: Budget, settings: PlanSettings) -> Household:
    """`household` with its buffer target learned from its irregular streams
    (`irregular_buffer_target`); unchanged without them."""
    if not b.learned:
        return household
    target = irregular_buffer_target(household.buffer.target, b, settings.max_learned_buffer)
    if target == household.buffer.target:
        return household
    return replace(household, buffer=replace(household.buffer, target=target))


def _held(
    household: Household,
    lg: LeefgeldState,
    since: date,
    today: date,
    settings: PlanSettings,
    *,
    exempt: bool,
) -> bool:
    """Whether a household with an irregular income keeps its rate for now: its rate
    steps at most once per `settings.irregular_step_months` (issue 17.4), counted from
    the last step taken or announced, unless it is `exempt`: it must come down
    because the charges would otherwise not be paid (`rate.dry_spell_rate`: also
    when no irregular income comes in for two months). The step back up after
    such a cap waits for the limit too: with the dry-spell cap it came every few
    weeks and made the rate flap (docs/benchmarks.md, issue 17 point 3). The first
    step after the start rate is free: the start rate is the floor of an empty
    vat, not a promise."""
    if exempt or not any(i.irregular for i in household.incomes):
        return False
    last = lg.next_rate_from if lg.next_rate is not None else lg.rate_since
    if last is None or lg.rate_since is None or lg.rate_since <= since:
        return False
    total = last.year * 12 + last.month - 1 + settings.irregular_step_months
    until = date(total // 12, total % 12 + 1, min(last.day, 28))
    return today < until


def _income_because(
    household: Household, lg: LeefgeldState, b: Budget, stopped: frozenset[str], *, up: bool
) -> str:
    """Why the step, when it is an income that stopped or came back ("" otherwise)."""
    names = {i.id: i.kind.label_nl.lower() for i in household.incomes}
    if not up:
        for s in b.stopped:
            if lg.rules_fingerprint == rules_fingerprint(household, stopped - {s.income.id}):
                return f"{names[s.income.id]} niet meer binnenkomt"
        return ""
    for income in household.incomes:
        if income.id in stopped:
            continue
        if lg.rules_fingerprint == rules_fingerprint(household, stopped | {income.id}):
            return f"{names[income.id]} weer binnenkomt"
    return ""


def _announce(
    code: str,
    lg: LeefgeldState,
    base: LeefgeldState,
    rate: Money,
    current: Money,
    next_release: date,
    why: str,
    because: str = "",
) -> tuple[LeefgeldState, Signal]:
    """Announce a step from `current` to `rate`, taking effect after `next_release`."""
    step_from = next_release + timedelta(days=1)
    changed = lg.rules_fingerprint not in ("", base.rules_fingerprint)
    because = because or step_because(lg, base, up=rate > current, rules_changed=changed)
    new = replace(base, next_rate=rate, next_rate_from=step_from, next_rate_because=because)
    word = "omhoog" if rate > current else "omlaag"
    announced = Signal(
        SignalKind.LEEFGELD_STEP,
        code,
        Severity.INFO,
        f"Leefgeld gaat {word} van {eur(current)} naar {eur(rate)} vanaf de uitbetaling "
        f"na {day_nl(next_release)}. {why}",
        key=signal_key(code, "leefgeld_stap", step_from.isoformat(), str(rate)),
        data=(("rate", str(rate)), ("from", step_from.isoformat()), ("previous", str(current))),
    )
    return new, announced
