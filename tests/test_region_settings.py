"""Each household with its own gemeente's settings (issue 22.1): letterhead on
letters, consent_required in the night and on staff pages, closing days in previews
and due days, retention in the purge. SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from cli.main import main
from huishoudboekje.adapters.config import Configuration, parse_config
from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.night_batch_repo import households_among
from huishoudboekje.domain.household import Contact, Letterhead, PostalAddress
from huishoudboekje.domain.money import Money
from huishoudboekje.services.configuration import apply_config
from huishoudboekje.services.consent import codes_not_planned, consent_panel
from huishoudboekje.services.household_status import preview_plans
from huishoudboekje.services.letters import month_letter
from huishoudboekje.services.night_plan import night_region
from huishoudboekje.services.privacy import purge
from huishoudboekje.services.region import load_region
from huishoudboekje.services.signal_deadlines import signal_deadlines
from scheduler.context import NightContext, NightPaths

ROOT = Path(__file__).resolve().parents[1]
REGIO = ROOT / "docs" / "examples" / "regio.yaml"
ADDRESS = PostalAddress("Dorpsstraat 1", "1234 AB", "Westdorp")


def regio(**oost_changes: object) -> Configuration:
    config = parse_config(REGIO.read_text(encoding="utf-8"))
    oost = replace(config.others[0], **oost_changes)  # type: ignore[arg-type]
    households = tuple(replace(h, contact=Contact.POST, address=ADDRESS) for h in config.households)
    return replace(config, others=(oost,), households=households)


def apply(engine: Engine, config: Configuration) -> None:
    with UnitOfWork(engine) as uow:
        apply_config(uow, config)


def test_a_letter_carries_the_letterhead_of_the_households_own_gemeente(engine: Engine) -> None:
    oost_head = Letterhead(sender="Gemeente Oosterveen, Schuldhulp", phone="0900-1234")
    apply(engine, regio(letterhead=oost_head))
    with UnitOfWork(engine) as uow:
        west = month_letter(uow, "W-0001", date(2026, 2, 1), date(2026, 3, 2))
        oost = month_letter(uow, "O-0001", date(2026, 2, 1), date(2026, 3, 2))
    assert west.letterhead.sender == "Gemeente Westdorp, Budgetbeheer"
    assert west.return_address == "Gemeente Westdorp, Budgetbeheer, Postbus 1, 1000 AA Westdorp"
    assert (west.gemeente, oost.gemeente) == ("Westdorp", "Oosterveen")
    assert oost.letterhead == oost_head


def test_consent_is_required_only_where_the_gemeente_requires_it(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    apply(engine, regio(consent_required=True))
    today = date(2026, 2, 21)
    assert codes_not_planned(engine, ["W-0001", "O-0001"], today) == {"O-0001"}
    assert not consent_panel(engine, "W-0001", today).required
    assert consent_panel(engine, "O-0001", today).required
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(
            [
                *("nightly", "--date", today.isoformat(), "--var", str(tmp_path / "var")),
                *("--json", "--database", db_url),
            ]
        )
    assert code in (0, 1), out.getvalue()
    with UnitOfWork(engine) as uow:
        kinds = {(d.household, d.kind) for d in signal_deadlines(uow, today)}
    assert ("O-0001", "geen_toestemming") in kinds
    assert not any(h == "W-0001" and k == "geen_toestemming" for h, k in kinds)


def test_a_preview_plans_with_the_households_own_closing_days(engine: Engine) -> None:
    """The huur due Sunday 1 March: Westdorp (closed Friday 27 February) pays it on
    Thursday 26 February, Oosterveen on Friday 27 February (an advance pays it)."""
    config = regio()
    lending = tuple(
        replace(h, buffer=replace(h.buffer, advance_limit=Money("500.00")))
        for h in config.households
    )
    apply(engine, replace(config, households=lending))
    dates: dict[str, set[date]] = {"W-0001": set(), "O-0001": set()}
    with UnitOfWork(engine) as uow:
        for day in range(20, 29):
            for code, found in dates.items():
                for plan in preview_plans(uow, date(2026, 2, day), code):
                    found.update(i.execution_date for i in plan.instructions if i.kind == "charge")
    # (a preview stores nothing, so later days plan the same huur again: the first counts)
    assert min(dates["W-0001"]) == date(2026, 2, 26)
    assert min(dates["O-0001"]) == date(2026, 2, 27)


def test_the_purge_keeps_each_household_as_long_as_its_own_gemeente_says(
    engine: Engine,
) -> None:
    config = regio(retention_years=1)  # Westdorp keeps the default 7 years
    ended = tuple(replace(h, end=date(2026, 1, 31)) for h in config.households)
    apply(engine, replace(config, households=ended))
    report = purge(engine, date(2028, 3, 1), dry_run=True, actor="test")
    assert [p.code for p in report.purged] == ["O-0001"]
    assert report.not_yet_due == 1


def test_a_workers_batch_reads_the_gemeenten_and_only_its_own_households(
    engine: Engine, tmp_path: Path
) -> None:
    """A plan batch of a spread night (issue 22.2) gets every gemeente's settings but
    the gemeente of its own households only: reading every household's gemeente for
    each of 1,000 batches made the 100,000-household plan grow with the square."""
    apply(engine, regio())
    with UnitOfWork(engine) as uow:
        everyone = load_region(uow)
        oost = [code for code, gemeente in everyone.households.items() if gemeente != 1]
        batch = households_among(uow, oost)
    assert oost and len(everyone.households) > len(oost) and len(batch) == len(oost)

    night = NightContext(engine, date(2026, 3, 6), NightPaths.under(tmp_path / "var"))
    region = night_region(night, batch)

    assert region.gemeenten == everyone.gemeenten and region.accounts == everyone.accounts
    assert region.households == {code: everyone.households[code] for code in oost}
    assert [region.settings_of(h) for h in batch] == [everyone.settings_of(h) for h in batch]
