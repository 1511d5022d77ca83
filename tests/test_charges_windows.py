"""Pause, temporary amount and target total of a charge (issue 17, point 5):
in the YAML (with located errors, round trip through the normalized form) and in
the engine (not paid in a pause, another amount for a while, a debt that stops by
itself counting what was really instructed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.adapters.config import ConfigError, dump_config, parse_config
from huishoudboekje.adapters.persistence.planner_memory import memory_from_json, memory_to_json
from huishoudboekje.domain.charge_windows import (
    ChargeProgress,
    Pause,
    TemporaryAmount,
    capped,
    total_sentence,
    window_sentence,
)
from huishoudboekje.domain.household import Household, Shortage
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.simulation import Simulation, simulate
from huishoudboekje.domain.status_report import status_report
from tests.factories import charge, jansen
from tests.test_huishoudboekje_planner_scenarios import regular_incomes

SAMPLES = Path(__file__).parent / "samples"
VALID = (SAMPLES / "config_valid.yaml").read_text(encoding="utf-8")
HUUR = 'reference: "1234567890123456"}'


def with_huur(extra: str) -> str:
    assert VALID.count(HUUR) == 1
    return VALID.replace(HUUR, f'reference: "1234567890123456", {extra}}}')


# ------------------------------------------------------------------ the YAML


def test_pause_temporary_and_total_are_read_and_round_trip() -> None:
    text = with_huur(
        "pause: [{from: 2026-07-01, until: 2026-08-31}], "
        'temporary: [{from: 2026-03-01, until: 2026-04-30, amount: "500.00"}], '
        'total: "1200.00"'
    )
    config = parse_config(text)
    huur = config.households[0].charges[0]
    assert huur.pause == (Pause(date(2026, 7, 1), date(2026, 8, 31)),)
    assert huur.temporary == (
        TemporaryAmount(date(2026, 3, 1), date(2026, 4, 30), Money("500.00")),
    )
    assert huur.total == Money("1200.00")
    again = parse_config(dump_config(config.gemeente, config.households))
    assert again.households == config.households
    assert "pause:\n          - {from: 2026-07-01, until: 2026-08-31}" in dump_config(
        config.gemeente, config.households
    )


def test_shortage_round_trips_for_the_gemeente_and_a_household() -> None:
    text = VALID.replace("bic: ABNANL2A}", "bic: ABNANL2A, shortage: pay_what_fits}", 1)
    config = parse_config(text)
    household = replace(config.households[0], shortage=Shortage.STRICT)
    again = parse_config(dump_config(config.gemeente, [household]))
    assert again.gemeente.shortage is Shortage.PAY_WHAT_FITS
    assert again.households[0].shortage is Shortage.STRICT


@pytest.mark.parametrize(
    ("extra", "path", "message"),
    [
        (
            "pause: [{from: 2026-08-31, until: 2026-07-01}]",
            "households[0].charges[0].pause[0].until",
            "until 2026-07-01 is before from 2026-08-31",
        ),
        (
            "pause: [{from: 2026-07-01, until: 2026-08-31}, {from: 2026-08-01, until: 2026-09-30}]",
            "households[0].charges[0].pause",
            "2026-07-01..2026-08-31 overlaps 2026-08-01..2026-09-30",
        ),
        (
            'temporary: [{from: 2026-03-01, until: 2026-04-30, amount: "0.00"}]',
            "households[0].charges[0].temporary[0].amount",
            "must be more than 0.00",
        ),
        ('total: "0.00"', "households[0].charges[0].total", "must be more than 0.00"),
        ('total: "-5.00"', "households[0].charges[0].total", "cannot be negative"),
        (
            "pause: [{van: 2026-07-01, until: 2026-08-31}]",
            "households[0].charges[0].pause[0].van",
            "allowed fields: from, until",
        ),
    ],
    ids=["until before from", "overlap", "zero temporary", "zero total", "negative", "unknown"],
)
def test_bad_windows_and_totals_are_located(extra: str, path: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(with_huur(extra), "households.yaml")
    problems = [p for p in info.value.problems if p.path == path]
    assert problems, [str(p) for p in info.value.problems]
    assert message in problems[0].message
    assert problems[0].line == 16  # the huur's line


def test_the_progress_is_remembered_between_nights() -> None:
    state = HouseholdState(
        "HH-1", charge_progress=(ChargeProgress("schuld", Money("720.00"), date(2026, 3, 14)),)
    )
    again = memory_from_json("HH-1", memory_to_json(state, date(2026, 3, 15)))
    assert again.charge_progress == state.charge_progress


# ------------------------------------------------------------------ the engine

FIRST, LAST = date(2026, 1, 1), date(2026, 8, 31)


def run(*extra: object) -> tuple[Household, Simulation]:
    household = jansen(start=FIRST)
    household = replace(household, charges=household.charges + extra)  # type: ignore[operator]
    incomes = regular_incomes(household, FIRST, LAST)
    return household, simulate(household, incomes, FIRST, LAST, start_vat=Money("800.00"))


def paid(sim: Simulation, charge_id: str) -> list[tuple[str, str]]:
    return [
        (i.execution_date.isoformat()[:7], str(i.amount))
        for i in sim.instructions()
        if i.charge_id == charge_id
    ]


def test_a_paused_charge_is_not_paid_in_its_window_and_comes_back_by_itself() -> None:
    sport = charge(
        "sport",
        "30.00",
        date(2025, 1, 10),
        "FREQ=MONTHLY;BYMONTHDAY=10",
        pause=(Pause(date(2026, 2, 1), date(2026, 3, 31)),),
    )
    _household, sim = run(sport)
    months = [month for month, _ in paid(sim, "sport")]
    assert months == ["2026-01", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]


def test_a_temporary_amount_applies_in_its_window_only() -> None:
    energie = charge(
        "regeling",
        "50.00",
        date(2025, 1, 12),
        "FREQ=MONTHLY;BYMONTHDAY=12",
        temporary=(TemporaryAmount(date(2026, 2, 1), date(2026, 3, 31), Money("20.00")),),
    )
    _household, sim = run(energie)
    assert paid(sim, "regeling")[:4] == [
        ("2026-01", "50.00"),
        ("2026-02", "20.00"),
        ("2026-03", "20.00"),
        ("2026-04", "50.00"),
    ]


def test_a_debt_stops_at_its_total_with_a_smaller_last_instalment() -> None:
    schuld = charge(
        "schuld", "250.00", date(2026, 1, 14), "FREQ=MONTHLY;BYMONTHDAY=14", total=Money("1200.00")
    )
    household, sim = run(schuld)
    amounts = [amount for _, amount in paid(sim, "schuld")]
    assert amounts == ["250.00", "250.00", "250.00", "250.00", "200.00"]
    # "nog ... te gaan" counts what was instructed, read from the state
    march = next(d for d in sim.days if d.day == date(2026, 3, 20))
    report = status_report(household, march.plan.state, march.day)
    assert report.as_json()["charges"]["schuld"]["total"] == {
        "total": "1200.00",
        "paid": "750.00",
        "left": "450.00",
        "sentence": "nog € 450,00 te gaan van € 1.200,00",
    }
    assert not [u for u in report.upcoming if u.charge_id == "schuld" and u.due.month > 5]


def test_a_held_back_instalment_is_not_counted_as_paid() -> None:
    """Nothing instructed, nothing counted: the calendar alone never lowers what is left."""
    schuld = charge(
        "schuld", "250.00", date(2026, 1, 14), "FREQ=MONTHLY;BYMONTHDAY=14", total=Money("500.00")
    )
    household = replace(jansen(start=FIRST), charges=(schuld,), reserves=())
    household = replace(household, buffer=replace(household.buffer, advance_limit=ZERO))
    sim = simulate(household, [], FIRST, date(2026, 3, 31))  # no money, no advance room
    assert sim.instructions() == []
    report = status_report(household, sim.days[-1].plan.state, date(2026, 3, 31))
    assert report.as_json()["charges"]["schuld"]["total"]["left"] == "500.00"


def test_status_says_until_when_a_pause_or_temporary_amount_lasts() -> None:
    sport = charge(
        "sport",
        "30.00",
        date(2025, 1, 10),
        "FREQ=MONTHLY;BYMONTHDAY=10",
        pause=(Pause(date(2026, 2, 1), date(2026, 3, 31)),),
    )
    household, sim = run(sport)
    day = next(d for d in sim.days if d.day == date(2026, 2, 15))
    report = status_report(household, day.plan.state, day.day)
    assert report.as_json()["charges"]["sport"]["window"] == (
        "De betaling voor sport is gepauzeerd tot en met 31 maart 2026."
    )


def test_window_sentences() -> None:
    pause = (Pause(date(2026, 2, 1), date(2026, 3, 31)),)
    lower = (TemporaryAmount(date(2026, 5, 1), date(2026, 6, 30), Money("20.00")),)
    assert window_sentence("energie", pause, lower, date(2026, 1, 20)) == (
        "De betaling voor energie stopt van 1 februari 2026 tot en met 31 maart 2026."
    )
    assert window_sentence("energie", (), lower, date(2026, 5, 20)) == (
        "De betaling voor energie is tijdelijk € 20,00, tot en met 30 juni 2026."
    )
    assert window_sentence("energie", pause, lower, date(2026, 7, 1)) == ""
    assert total_sentence(Money("1200.00"), None) == "nog € 1.200,00 te gaan van € 1.200,00"


@given(
    st.integers(1, 100_000).map(Money.cents),
    st.lists(st.integers(1, 50_000).map(Money.cents), max_size=12),
    st.integers(0, 100_000).map(Money.cents),
)
def test_capped_dues_never_pay_more_than_the_total(
    total: Money, amounts: list[Money], already: Money
) -> None:
    days = [date(2026, 1, 1 + i) for i in range(len(amounts))]
    progress = ChargeProgress("x", already, date(2025, 12, 31))
    dues = capped(total, progress, list(zip(days, amounts, strict=True)))
    paid = sum((amount for _, amount in dues), ZERO)
    assert paid <= max(total - already, ZERO)
    assert all(amount.is_positive for _, amount in dues)
    if sum(amounts, ZERO) >= total - already:
        assert paid == max(total - already, ZERO)


# ------------------------------------------------------------------ the staff form


def test_the_staff_charge_form_sets_a_total_and_keeps_pauses() -> None:
    from huishoudboekje.services.rule_editing import check_household, household_data, with_rule
    from web.staff_forms import CHARGE_FORM, read_form

    config = parse_config(with_huur("pause: [{from: 2026-07-01, until: 2026-08-31}]"))
    data = household_data(config.households[0])
    huur = data["charges"][0]
    edited = read_form(CHARGE_FORM, {"total": "1.200,00"}, huur, is_new=False)
    household = check_household(with_rule(data, "charges", edited, "huur"))
    assert household.charges[0].total == Money("1200.00")
    assert household.charges[0].pause == (Pause(date(2026, 7, 1), date(2026, 8, 31)),)
    emptied = read_form(CHARGE_FORM, {"total": ""}, edited, is_new=False)
    assert check_household(with_rule(data, "charges", emptied, "huur")).charges[0].total is None


def test_the_gemeente_shortage_is_stored_and_reaches_the_planner(db_url: str) -> None:
    from huishoudboekje.adapters.persistence import load_gemeente, save_gemeente
    from huishoudboekje.adapters.persistence.db import open_database
    from huishoudboekje.adapters.persistence.uow import UnitOfWork
    from huishoudboekje.services.household_status import plan_settings

    config = parse_config(
        VALID.replace("bic: ABNANL2A}", "bic: ABNANL2A, shortage: pay_what_fits}")
    )
    engine = open_database(db_url)
    try:
        with UnitOfWork(engine) as uow:
            save_gemeente(uow, config.gemeente)
            uow.commit()
        with UnitOfWork(engine) as uow:
            stored = load_gemeente(uow)
        assert stored == config.gemeente
        assert plan_settings(stored).shortage is Shortage.PAY_WHAT_FITS
    finally:
        engine.dispose()


def test_once_a_debt_is_paid_off_its_instalment_goes_to_leefgeld() -> None:
    """A charge whose total is paid stops, and the leefgeld budget stops counting it
    too: otherwise the instalment piles up in the vat for as long as the schedule runs
    (before: in August the budget still said "vaste lasten € 1.290,90", the € 250 of a
    debt paid off in February, and the vat held € 826 more than without the debt)."""
    schuld = charge(
        "schuld", "250.00", date(2026, 1, 14), "FREQ=MONTHLY;BYMONTHDAY=14", total=Money("500.00")
    )
    _household, paid_off = run(schuld)
    _household, without = run()
    assert [a for _, a in paid(paid_off, "schuld")] == ["250.00", "250.00"]
    august = date(2026, 8, 20)
    state = next(d for d in paid_off.days if d.day == august).plan.state
    other = next(d for d in without.days if d.day == august).plan.state
    assert "vaste lasten € 1.040,90" in state.leefgeld.reason
    assert "vaste lasten € 1.040,90" in other.leefgeld.reason
    # what was not paid to the creditor (Mar-Aug, € 1.500) is not all kept in the vat
    assert state.vat - other.vat < Money("500.00")
