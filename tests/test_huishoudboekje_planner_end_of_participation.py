"""The last night of a participation: money set aside in a reserve goes back to the
vat, and a fixed charge due before the end that this money covers is paid on time.

Found by the planner property `test_held_back_charges_really_did_not_fit`
(hypothesis, outside CI's fixed profile): on the last business day before the end,
the charges phase holds a rent back for lack of money, and only afterwards does the
eindafrekening phase move the reserve back into the vat. The rent then goes out a
night later and arrives after its due day, although the household's money covered
it (GUIDE §4 rule 2). Fixed: on the closing nights the reserves go back into the
vat before the charges phase (`CLOSING_NIGHTS` in domain/planner/fold.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huishoudboekje.domain.household import BufferPolicy, ChargeKind, Reserve
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import simulate
from tests.factories import charge, household

START = date(2026, 1, 1)
END = date(2026, 3, 1)  # a Sunday: the last business day is Friday 27 February


def _household():  # type: ignore[no-untyped-def]
    rents = tuple(charge(f"ch{i}", "5.00", START, kind=ChargeKind.HUUR) for i in range(3))
    base = household("HH-P", end=END, charges=rents)
    return replace(
        base,
        buffer=BufferPolicy(target=Money("0.00"), advance_limit=Money("0.00")),
        reserves=(Reserve(id="res", monthly=Money("2.50"), target=Money("300.00")),),
    )


def test_a_rent_the_released_reserve_covers_is_paid_on_time_at_the_end() -> None:
    sim = simulate(_household(), [], START, date(2026, 3, 15), start_vat=Money("35.00"))
    march_rents = [
        i for i in sim.instructions() if i.kind == "charge" and i.end_to_end_id.endswith("20260301")
    ]
    assert march_rents, "the reserve and the vat together cover one March rent"
    assert all(i.execution_date <= END for i in march_rents), march_rents
