"""The planner: a pure function of a household's rules, its state and a date.

`plan(household, state, today)` decides, in this order (GUIDE §4):
1. repay an open advance (voorschot) from the vat;
2. pay the fixed charges due now, on time, in priority order when money is short,
   drawing on the approved advance when the vat is short;
3. set money aside for reserves;
4. release leefgeld at the steady rate, only as far as every charge in the
   coming weeks stays covered, and never from the advance.
It returns payment instructions, balanced journal entries, signals, a decision
with a plain-Dutch reason for everything, and the household's new state. No
database, clock, environment or logging in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from huishoudboekje.domain import ledger
from huishoudboekje.domain.advance import due_this_month, month_key
from huishoudboekje.domain.dutch_text import MONTHS_NL, day_nl, eur
from huishoudboekje.domain.forecast import Forecast, project
from huishoudboekje.domain.household import Cadence, Household
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.ids import (
    advance_draw_entry_id,
    arrears_id,
    instructed_entry_id,
    remainder_id,
    repayment_entry_id,
    reserve_contribution_id,
    reserve_draw_entry_id,
    reserve_release_entry_id,
    signal_key,
)
from huishoudboekje.domain.ledger import IN_FLIGHT, JournalEntry, transfer
from huishoudboekje.domain.leefgeld import budget, cadence_of, needs_recompute, recompute
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import (
    WEEK_DAYS,
    ChargeDue,
    PlanSettings,
    Release,
    charge_dues,
    is_received,
    release_dates,
    release_share,
    uncovered_days,
)
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

CHARGE_LOOKBACK_DAYS = 90
RELEASE_LOOKBACK_DAYS = 6
SIGNAL_LOOKBACK_DAYS = 45
MINIMUM_CATCH_UP = Money("5.00")  # smaller catch-ups wait until the whole rest fits


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing the planner decided, with the reason in plain Dutch."""

    kind: str  # charge | leefgeld | reserve | advance | repayment
    subject: str  # charge id, reserve id or "leefgeld"
    day: date
    amount: Money
    status: str  # betaald | achtergehouden | verlaagd | ingehouden | gereserveerd | ...
    reason: str


class Difference(StrEnum):
    """Why the next release is not the household's usual amount."""

    STEP = "stap"  # the announced new rate starts with this release
    PARTIAL = "deel"  # the leefgeld day changed: part of this week was paid already


@dataclass(frozen=True, slots=True)
class NextRelease:
    day: date
    amount: Money
    reason: str
    # what the household has been getting per period (None before the first rate)
    usual: Money | None = None
    difference: Difference | None = None  # set whenever amount differs from usual
    because: str = ""  # why it differs: a plain-Dutch clause to follow "omdat"


@dataclass(frozen=True, slots=True)
class Plan:
    household: str
    today: date
    instructions: tuple[PaymentInstruction, ...]
    entries: tuple[JournalEntry, ...]
    signals: tuple[Signal, ...]
    decisions: tuple[Decision, ...]
    state: HouseholdState
    next_release: NextRelease | None
    # the 60-day forecast of the outlook check, when it was made on the final state
    # (callers that show a forecast reuse it instead of projecting again)
    outlook: Forecast | None = None


@dataclass
class _Work:
    """Mutable scratchpad of one `plan()` call; never escapes it."""

    household: Household
    state: HouseholdState
    today: date
    settings: PlanSettings
    instructions: list[PaymentInstruction] = field(default_factory=list)
    entries: list[JournalEntry] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    outlook: tuple[HouseholdState, Forecast] | None = None

    @property
    def code(self) -> str:
        return self.household.code

    @property
    def advance_room(self) -> Money:
        return max(self.household.buffer.advance_limit - self.state.advance_used, ZERO)

    @property
    def ahead(self) -> date:
        """The last execution date instructed tonight."""
        return self.settings.calendar.add_business_days(self.today, self.settings.instruct_ahead)

    def mark(self, instruction_key: str) -> None:
        self.state = replace(self.state, instructed=self.state.instructed | {instruction_key})

    def signal(self, kind: SignalKind, severity: Severity, message: str, key: str) -> None:
        self.signals.append(
            Signal(kind, self.code, severity, message, key=signal_key(self.code, key))
        )

    # -- 1. advance repayment --------------------------------------------
    def repay_advance(self) -> None:
        owed = self.state.advance_used
        if not owed.is_positive:
            return
        due = due_this_month(
            self.household, self.state.advance_month, self.state.advance_due, owed, self.today
        )
        amount = min_money(due, max(self.state.vat, ZERO))
        self.state = replace(
            self.state,
            advance_month=month_key(self.today),
            advance_due=due,  # the booking takes off what is repaid now
        )
        self._book_repayment(amount, "aflossing", "Aflossing voorschot", ".")

    def _book_repayment(self, amount: Money, key: str, description: str, why: str) -> None:
        """Move `amount` from the vat to repay the advance, with its entry and decision."""
        if not amount.is_positive:
            return
        owed = self.state.advance_used
        self.entries.append(
            transfer(
                repayment_entry_id(self.code, key, self.today, owed.to_cents()),
                self.today,
                description,
                debit=ledger.vat(self.code),
                credit=ledger.advance(self.code),
                amount=amount,
                kind="repayment",
            )
        )
        self.state = replace(
            self.state,
            vat=self.state.vat - amount,
            advance_used=owed - amount,
            advance_due=max(self.state.advance_due - amount, ZERO),
        )
        self.decisions.append(
            Decision(
                "repayment",
                "voorschot",
                self.today,
                amount,
                "afgelost",
                f"{eur(amount)} van het voorschot is terugbetaald{why}",
            )
        )

    # -- 2. fixed charges ---------------------------------------------------
    def pay_charges(self) -> None:
        # Select by execution date; `charge_dues` keeps only dues inside the participation,
        # so a rent due on the first day is paid even when it executes the day before.
        dues = self._open_dues(self.ahead)
        if not dues:
            return
        needed = sum((self._vat_need(d) for d in dues), ZERO)
        if needed > max(self.state.vat, ZERO) + self.advance_room:
            # Money is short: pay in priority order, skipping what does not fit.
            dues.sort(key=lambda d: (d.charge.effective_priority, d.execution, d.charge.id))
        for due in dues:
            if not self._pay(due):
                self._hold_back(due)

    def _open_dues(self, last: date) -> list[ChargeDue]:
        """Charge dues executing up to `last` not paid yet, held-back ones included."""
        first = self.today - timedelta(days=CHARGE_LOOKBACK_DAYS)
        since = self.state.takes_over_from(self.today)
        return [
            d
            for d in charge_dues(self.household, first, max(last, first), self.settings)
            if d.id not in self.state.instructed and d.due >= since
        ]

    def _vat_need(self, due: ChargeDue) -> Money:
        from_reserve = (
            min_money(self.state.reserve(due.charge.reserve), due.charge.amount)
            if due.charge.reserve
            else ZERO
        )
        return due.charge.amount - from_reserve

    def _pay(self, due: ChargeDue) -> bool:
        charge = due.charge
        from_reserve = due.charge.amount - self._vat_need(due)
        need = charge.amount - from_reserve
        from_vat = min_money(max(self.state.vat, ZERO), need)
        from_advance = need - from_vat
        if from_advance > self.advance_room:
            return False
        execution = max(due.execution, self.settings.calendar.on_or_after(self.today))
        if from_reserve.is_positive and charge.reserve:
            self.entries.append(
                transfer(
                    reserve_draw_entry_id(due.id),
                    self.today,
                    f"Reservering {charge.reserve} voor {charge.kind.value}",
                    debit=ledger.reserve(self.code, charge.reserve),
                    credit=ledger.vat(self.code),
                    amount=from_reserve,
                    kind="reserve_release",
                )
            )
            self.state = replace(
                self.state,
                reserves=self.state.with_reserve(
                    charge.reserve, self.state.reserve(charge.reserve) - from_reserve
                ),
                vat=self.state.vat + from_reserve,
            )
        if from_advance.is_positive:
            self._draw_advance(due, from_advance)
        reason = f"{charge.kind.value.capitalize()} {eur(charge.amount)} aan {charge.payee_name}"
        reason += f", betaald op {day_nl(execution)}"
        if execution > due.due:
            reason += f" (te laat: de vervaldag was {day_nl(due.due)})"
            self.signal(
                SignalKind.PAYMENT_LATE,
                Severity.HIGH,
                f"{charge.kind.value} {eur(charge.amount)} wordt te laat betaald "
                f"({day_nl(execution)} in plaats van {day_nl(due.due)}).",
                f"te_laat:{due.id}",
            )
        self._instruct(
            due.id,
            "charge",
            charge.id,
            charge.payee_name,
            charge.payee_iban,
            charge.payee_bic,
            charge.amount,
            execution,
            reference=charge.reference,
            remittance=f"{charge.kind.value} {MONTHS_NL[due.due.month - 1]} {due.due.year}",
            reason=reason,
        )
        self.decisions.append(
            Decision("charge", charge.id, execution, charge.amount, "betaald", reason)
        )
        return True

    def _draw_advance(self, due: ChargeDue, amount: Money) -> None:
        self.entries.append(
            transfer(
                advance_draw_entry_id(due.id),
                self.today,
                f"Voorschot voor {due.charge.kind.value}",
                debit=ledger.advance(self.code),
                credit=ledger.vat(self.code),
                amount=amount,
                kind="advance",
            )
        )
        used = self.state.advance_used + amount
        # start the repayment schedule now, exactly as tomorrow's repay_advance()
        # would, so that planning the same night twice changes nothing
        due_now = due_this_month(
            self.household, self.state.advance_month, self.state.advance_due, used, self.today
        )
        self.state = replace(
            self.state,
            vat=self.state.vat + amount,
            advance_used=used,
            advance_month=month_key(self.today),
            advance_due=due_now,
        )
        text = f"Voorschot van {eur(amount)} om de {due.charge.kind.value} op tijd te betalen."
        self.decisions.append(
            Decision("advance", due.charge.id, self.today, amount, "opgenomen", text)
        )
        self.signal(SignalKind.ADVANCE_DRAWN, Severity.WARNING, text, f"voorschot:{due.id}")

    def _hold_back(self, due: ChargeDue) -> None:
        charge = due.charge
        reason = (
            f"Er is nu niet genoeg geld om de {charge.kind.value} van {eur(charge.amount)} "
            f"(vervaldag {day_nl(due.due)}) te betalen. De sociale dienst is gewaarschuwd en "
            "betaalt zodra er geld binnenkomt."
        )
        self.decisions.append(
            Decision("charge", charge.id, due.execution, charge.amount, "achtergehouden", reason)
        )
        self.signal(
            SignalKind.PAYMENT_HELD_BACK,
            Severity.HIGH,
            f"Betaling achtergehouden: {charge.kind.value} {eur(charge.amount)} aan "
            f"{charge.payee_name}, vervaldag {day_nl(due.due)}. Buffer {eur(self.state.vat)}, "
            f"voorschotruimte {eur(self.advance_room)}.",
            f"achtergehouden:{due.id}",
        )

    def _instruct_leefgeld(
        self,
        e2e: str,
        subject: str,
        amount: Money,
        execution: date,
        *,
        remittance: str,
        reason: str,
    ) -> None:
        """Pay the household's own account (leefgeld, arrears, the remainder at the end)."""
        household = self.household
        self._instruct(
            e2e,
            "leefgeld",
            subject,
            household.name,
            household.iban,
            household.bic,
            amount,
            execution,
            remittance=remittance,
            reason=reason,
        )

    def _instruct(
        self,
        e2e: str,
        kind: str,
        subject: str,
        name: str,
        iban: str,
        bic: str,
        amount: Money,
        execution: date,
        *,
        reference: str = "",
        remittance: str = "",
        reason: str = "",
    ) -> None:
        structured = reference if reference.isdigit() and len(reference) == 16 else ""
        free_text = remittance if structured else (reference or remittance)
        self.instructions.append(
            PaymentInstruction(
                end_to_end_id=e2e,
                household=self.code,
                kind=kind,
                charge_id=subject,
                payee_name=name,
                payee_iban=iban,
                payee_bic=bic,
                amount=amount,
                execution_date=execution,
                remittance=free_text,
                structured_reference=structured,
                reason=reason,
            )
        )
        self.entries.append(
            transfer(
                instructed_entry_id(e2e),
                self.today,
                f"Betaalopdracht {e2e}",
                debit=ledger.vat(self.code),
                credit=IN_FLIGHT,
                amount=amount,
                kind=f"instruct_{kind}",
                meta={"end_to_end_id": e2e},
            )
        )
        self.state = replace(self.state, vat=self.state.vat - amount)
        self.mark(e2e)

    # -- 3. reserves ----------------------------------------------------------
    def contribute_reserves(self) -> None:
        if not self.household.reserves:
            return
        amounts = dict(budget(self.household, self.today).reserve_amounts)
        for res in self.household.reserves:
            if not res.is_valid_on(self.today):
                continue  # ended: nothing more is set aside, what is held stays
            key = reserve_contribution_id(self.code, res.id, self.today)
            if key in self.state.instructed:
                continue
            held = self.state.reserve(res.id)
            amount = amounts.get(res.id, res.monthly)
            if res.target is not None:
                amount = min_money(amount, max(res.target - held, ZERO))
            if not amount.is_positive:
                self.mark(key)
                continue
            if self._free_after_charges() < amount:
                continue  # charges first; try again on a later day this month
            self.entries.append(
                transfer(
                    key,
                    self.today,
                    f"Reservering {res.id}",
                    debit=ledger.vat(self.code),
                    credit=ledger.reserve(self.code, res.id),
                    amount=amount,
                    kind="reserve",
                )
            )
            self.state = replace(
                self.state,
                vat=self.state.vat - amount,
                reserves=self.state.with_reserve(res.id, held + amount),
            )
            self.mark(key)
            self.decisions.append(
                Decision(
                    "reserve",
                    res.id,
                    self.today,
                    amount,
                    "gereserveerd",
                    f"{eur(amount)} opzij gezet voor {res.description or res.id}.",
                )
            )

    def _free_after_charges(self) -> Money:
        """What the vat can spare while every charge of the coming weeks stays covered."""
        forecast = project(
            self.household,
            self.state,
            self.today,
            self.settings,
            days=self.settings.protect_days,
            leefgeld=False,
        )
        return max(min_money(self.state.vat, forecast.lowest.balance), ZERO)

    # -- 4. leefgeld ----------------------------------------------------------
    def release_leefgeld(self) -> None:
        first = max(
            self.household.start,
            self.state.takes_over_from(self.today),
            self.today - timedelta(days=RELEASE_LOOKBACK_DAYS),
        )
        for release in release_dates(self.household, first, self.ahead, self.settings):
            if release.id in self.state.instructed:
                continue
            self._release(release)
        self._pay_arrears()

    def _pay_arrears(self) -> None:
        """Pay leefgeld that was held back earlier, as soon as the vat can spare it."""
        arrears = self.state.leefgeld.arrears
        key = arrears_id(self.code, self.today)
        if not arrears.is_positive or key in self.state.instructed:
            return
        amount = min_money(arrears, self._free_after_charges())
        if amount < MINIMUM_CATCH_UP and amount != arrears:
            return
        if not amount.is_positive:
            return
        execution = self.settings.calendar.on_or_after(self.today)
        reason = (
            f"Nabetaling leefgeld {eur(amount)} op {day_nl(execution)}: dit geld kon eerder "
            "niet worden betaald omdat er nog niet genoeg binnen was."
        )
        self._instruct_leefgeld(
            key,
            "nabetaling",
            amount,
            execution,
            remittance=f"Nabetaling leefgeld {execution:%d-%m-%Y}",
            reason=reason,
        )
        lg = replace(self.state.leefgeld, arrears=arrears - amount)
        self.state = replace(self.state, leefgeld=lg)
        self.decisions.append(
            Decision("leefgeld", "nabetaling", execution, amount, "betaald", reason)
        )

    def _current_rate(self, release: Release) -> LeefgeldState:
        lg = self.state.leefgeld
        if needs_recompute(self.household, self.state, self.today):
            decision = recompute(
                self.household, self.state, self.today, self.settings, release.nominal
            )
            self.signals.extend(decision.signals)
            lg = decision.state
        if (
            lg.next_rate is not None
            and lg.next_rate_from is not None
            and release.nominal >= lg.next_rate_from
        ):
            lg = replace(lg, rate=lg.next_rate, rate_since=release.nominal, next_rate=None)
            lg = replace(lg, next_rate_from=None, next_rate_because="")
        return lg

    def _release(self, release: Release) -> None:
        days = uncovered_days(self.household, release, self.state.instructed)
        if days == 0:  # the leefgeld day changed and this week is paid already
            self.mark(release.id)
            return
        lg = self._current_rate(release)
        self.state = replace(self.state, leefgeld=lg)
        rate = release_share(lg.rate or ZERO, days)  # a week already partly paid: the rest
        available = self._free_after_charges()
        amount = min_money(rate, available)
        execution = max(release.execution, self.settings.calendar.on_or_after(self.today))
        shortfall = rate - amount
        if shortfall.is_positive:
            arrears = min_money(lg.arrears + shortfall, rate)
            self.state = replace(self.state, leefgeld=replace(lg, arrears=arrears))
        if amount == rate:
            status = "betaald"
            reason = f"Leefgeld {eur(amount)} op {day_nl(execution)}. "
            reason += _partial_reason(days) or lg.reason
        else:
            status = "verlaagd" if amount.is_positive else "ingehouden"
            reason = (
                f"Leefgeld {eur(amount)} in plaats van {eur(rate)}: er is nu niet genoeg om ook "
                "de vaste lasten van de komende weken op tijd te betalen. De rest krijgt u "
                "zodra er weer geld binnenkomt."
            )
            self.signal(
                SignalKind.LEEFGELD_REDUCED,
                Severity.WARNING,
                f"Leefgeld {status} op {day_nl(execution)}: {eur(amount)} van {eur(rate)}.",
                f"leefgeld_verlaagd:{release.id}",
            )
        if amount.is_positive:
            self._instruct_leefgeld(
                release.id,
                "leefgeld",
                amount,
                execution,
                remittance=_leefgeld_remittance(release.nominal, cadence_of(self.household)),
                reason=reason,
            )
        else:
            self.mark(release.id)
        self.decisions.append(Decision("leefgeld", "leefgeld", execution, amount, status, reason))

    # -- 5. end of participation -------------------------------------------
    def pay_out_remainder(self) -> None:
        """Eindafrekening: from the last business day of the participation on,
        what is left in the vat goes to the household's own account.

        First the reserves go back into the vat; what the charges still due up
        to the end need stays behind, the advance is settled in full from the
        rest, and what is left after that is paid out. After
        the end date the same runs every night, so an income that arrives late
        still reaches the household instead of waiting in the vat.
        """
        end = self.household.end
        if end is None or self.today < self.settings.calendar.on_or_before(end):
            return
        key = remainder_id(self.code, self.today)
        if key in self.state.instructed:
            return
        self._release_reserves(key)
        # charges of the participation not paid yet, held back ones too
        still_due = sum((self._vat_need(due) for due in self._open_dues(end)), ZERO)
        self._settle_advance(self.state.vat - still_due)
        amount = self.state.vat - still_due
        if not amount.is_positive:
            return
        execution = self.settings.calendar.on_or_after(self.today)
        reason = (
            f"Uw deelname eindigt op {day_nl(end)}. Wat er nog in uw buffer zat, {eur(amount)}, "
            f"gaat op {day_nl(execution)} naar uw eigen rekening."
            if self.today <= end
            else f"Na het einde van uw deelname kwam er nog {eur(amount)} binnen. Dat gaat op "
            f"{day_nl(execution)} naar uw eigen rekening."
        )
        self._instruct_leefgeld(
            key,
            "restant",
            amount,
            execution,
            remittance=f"Restant einde deelname {execution:%d-%m-%Y}",
            reason=reason,
        )
        self.decisions.append(Decision("leefgeld", "restant", execution, amount, "betaald", reason))

    def _release_reserves(self, key: str) -> None:
        for reserve_id, held in self.state.reserves:
            if not held.is_positive:
                continue
            self.entries.append(
                transfer(
                    reserve_release_entry_id(key, reserve_id),
                    self.today,
                    f"Reservering {reserve_id} terug naar de buffer (einde deelname)",
                    debit=ledger.reserve(self.code, reserve_id),
                    credit=ledger.vat(self.code),
                    amount=held,
                    kind="reserve_release",
                )
            )
            self.state = replace(
                self.state,
                reserves=self.state.with_reserve(reserve_id, ZERO),
                vat=self.state.vat + held,
            )

    def _settle_advance(self, spare: Money) -> None:
        """Repay the whole advance from what the vat can spare."""
        amount = min_money(self.state.advance_used, spare)
        self._book_repayment(
            amount,
            "aflossing-einde",
            "Aflossing voorschot bij einde deelname",
            ": de deelname eindigt.",
        )

    def next_release(self) -> NextRelease | None:
        after = self.ahead + timedelta(days=1)
        instructed = self.state.instructed
        upcoming = [
            (release, days)
            for release in release_dates(
                self.household, after, after + timedelta(days=40), self.settings
            )
            if (days := uncovered_days(self.household, release, instructed))
        ]
        if not upcoming:
            return None
        release, days = upcoming[0]
        lg = self.state.leefgeld
        rate = lg.rate_on(release.nominal)
        reason = lg.reason
        if rate is None:
            preview = recompute(self.household, self.state, self.today, self.settings, after)
            rate = preview.state.rate or ZERO
            reason = preview.explanation
        if lg.next_rate is not None and lg.next_rate_from is not None:
            reason += (
                f" Vanaf {day_nl(lg.next_rate_from)} wordt uw leefgeld {eur(lg.next_rate)}."
                if release.nominal < lg.next_rate_from
                else ""
            )
        amount = release_share(rate, days)
        difference, because = None, ""
        if lg.rate is not None and amount != lg.rate:
            if days < WEEK_DAYS:
                difference = Difference.PARTIAL
                because = (
                    f"uw leefgelddag is veranderd en u al leefgeld had voor {WEEK_DAYS - days}"
                )
                because += f" {'dag' if WEEK_DAYS - days == 1 else 'dagen'} van deze week"
                reason = _partial_reason(days)
            else:  # only an announced step makes a whole release differ from the rate
                difference = Difference.STEP
                because = lg.next_rate_because or "uw leefgeld opnieuw is berekend"
        return NextRelease(release.execution, amount, reason.strip(), lg.rate, difference, because)

    # -- signals -------------------------------------------------------------------
    def check_incomes(self) -> None:
        first = max(
            self.household.start,
            self.state.takes_over_from(self.today),
            self.today - timedelta(days=SIGNAL_LOOKBACK_DAYS),
        )
        for income in self.household.incomes:
            last = self.today - timedelta(days=income.window_days + 1)
            for day in income.schedule.between(first, last):
                if not is_received(income, day, self.state.receipts):
                    self.signal(
                        SignalKind.INCOME_LATE,
                        Severity.WARNING,
                        f"{income.kind.value} ({income.payer_name or income.id}) van "
                        f"{eur(income.amount)}, verwacht op {day_nl(day)}, is niet binnengekomen.",
                        f"inkomen_te_laat:{income.id}:{day.isoformat()}",
                    )
        incomes = {i.id: i for i in self.household.incomes}
        for receipt in self.state.receipts:
            stream = incomes.get(receipt.income_id)
            if stream is None or receipt.day < first:
                continue
            margin = Money.round(stream.amount.amount * stream.margin)
            if abs(receipt.amount - stream.amount) > margin:
                self.signal(
                    SignalKind.INCOME_AMOUNT_OFF,
                    Severity.WARNING,
                    f"{stream.kind.value} van {day_nl(receipt.day)} was {eur(receipt.amount)}, "
                    f"verwacht {eur(stream.amount)}.",
                    f"inkomen_bedrag:{stream.id}:{receipt.day.isoformat()}",
                )

    def check_outlook(self) -> None:
        floor = self.household.floor_per_period()
        if self.state.vat < floor:
            iso = self.today.isocalendar()
            self.signal(
                SignalKind.VAT_BELOW_FLOOR,
                Severity.WARNING,
                f"Buffer {eur(self.state.vat)} is lager dan het minimum leefgeld {eur(floor)}.",
                f"buffer_laag:{iso.year}-W{iso.week:02d}",
            )
        forecast = project(self.household, self.state, self.today, self.settings)
        self.outlook = (self.state, forecast)
        lowest = forecast.lowest
        if lowest.balance.is_negative:
            self.signal(
                SignalKind.PROJECTED_SHORTFALL,
                Severity.HIGH,
                f"Verwacht tekort van {eur(-lowest.balance)} op {day_nl(lowest.day)}.",
                f"verwacht_tekort:{lowest.day.isoformat()}",
            )
        end = self.household.end
        if end is not None and self.today <= end <= self.today + timedelta(days=30):
            self.signal(
                SignalKind.PARTICIPATION_ENDING,
                Severity.INFO,
                f"De deelname eindigt op {day_nl(end)}.",
                f"einde:{end.isoformat()}",
            )


def _partial_reason(days: int) -> str:
    """Why a weekly release pays fewer than 7 days ("" for a whole week)."""
    if days >= WEEK_DAYS:
        return ""
    return (
        "Uw leefgelddag is veranderd en een deel van deze week had u al gekregen. "
        f"Daarom krijgt u deze keer leefgeld voor {days} {'dag' if days == 1 else 'dagen'}."
    )


def _leefgeld_remittance(nominal: date, cadence: Cadence) -> str:
    if cadence is Cadence.MONTHLY:
        return f"Leefgeld {MONTHS_NL[nominal.month - 1]} {nominal.year}"
    iso = nominal.isocalendar()
    return f"Leefgeld week {iso.week} {iso.year}"


def plan(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings | None = None,
) -> Plan:
    """Decide what to pay for `household` on `today`. Pure: same inputs, same plan."""
    if state.planned_since is None and household.is_active_on(today):
        state = replace(state, planned_since=today)
    work = _Work(household, state, today, settings or PlanSettings())
    if today >= household.start and household.is_active_on(today):
        work.repay_advance()
        work.pay_charges()
        work.contribute_reserves()
        work.release_leefgeld()
        work.check_incomes()
        work.check_outlook()
        work.pay_out_remainder()
    elif today > household.start:  # participation ended: settle, pay out what comes in
        work.repay_advance()
        work.pay_out_remainder()
    next_release = work.next_release() if household.is_active_on(today) else None
    unique_signals = tuple({s.key: s for s in work.signals}.values())
    return Plan(
        household=household.code,
        today=today,
        instructions=tuple(work.instructions),
        entries=tuple(work.entries),
        signals=unique_signals,
        decisions=tuple(work.decisions),
        state=work.state,
        next_release=next_release,
        outlook=work.outlook[1] if work.outlook and work.outlook[0] is work.state else None,
    )
