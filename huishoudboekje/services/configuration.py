"""The households configuration file as `hhb config` uses it: check, apply, export.

`apply_config` compares the file with what is stored, saves what differs in one
transaction and returns a `ChangeSet` saying what changed (amounts as
before → after). Every change is audit-logged with ``approved_by="config-apply"``:
an operator applying a reviewed file counts as approval. A household that is
stored but missing from the file is *not* deleted; it is reported and left as
it is (end a household by giving it an ``end`` date). Within a household that is
in the file, the file is the truth: rules left out of it are removed.

`export_config` writes the stored configuration as YAML in normalized form;
applying that export changes nothing. The comparison itself (`diff_config`,
`ChangeSet`) is the pure `adapters.persistence.config_diff`; reading and writing
YAML is the config adapter's work, loading and saving the persistence adapter's.
`apply_configuration` and `export_configuration` take an engine and open the
unit of work, so the command line never opens one itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

# Re-exported (`X as X`): the CLI names these errors and types without the adapters.
from huishoudboekje.adapters.config import ConfigError as ConfigError
from huishoudboekje.adapters.config import (
    ConfigProblem,
    dump_config,
    dump_region,
    gemeente_to_data,
    household_to_data,
    jsonable,
    load_config,
)
from huishoudboekje.adapters.config import Configuration as Configuration
from huishoudboekje.adapters.persistence.audit import record_audit
from huishoudboekje.adapters.persistence.config_diff import ChangeSet as ChangeSet
from huishoudboekje.adapters.persistence.config_diff import Status, diff_config, gemeente_change
from huishoudboekje.adapters.persistence.consent_repo import (
    NewConsent,
    add_consent,
    consent_history,
)
from huishoudboekje.adapters.persistence.repository import (
    GEMEENTE_ROW_ID,
    gemeente_ids,
    load_gemeenten,
    load_households,
    save_gemeente,
    save_household,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Gemeente, Household
from huishoudboekje.services.read_model import refresh_statuses

APPROVED_BY = "config-apply"


class NothingToExportError(LookupError):
    """The database holds no configuration yet."""


def read_configuration(path: Path) -> Configuration:
    """The checked configuration in `path`; `ConfigError` holds every problem found."""
    return load_config(path)


def apply_configuration(
    engine: Engine, config: Configuration, *, actor: str, dry_run: bool
) -> ChangeSet:
    """Save `config` in one transaction (nothing with `dry_run`) and say what changed."""
    with UnitOfWork(engine) as uow:
        return apply_config(uow, config, actor=actor, dry_run=dry_run)


def export_configuration(engine: Engine) -> str:
    """The stored configuration as normalized YAML; `NothingToExportError` when empty."""
    with UnitOfWork(engine) as uow:
        return export_config(uow)


def apply_config(
    uow: UnitOfWork,
    config: Configuration,
    actor: str = "operator",
    *,
    dry_run: bool = False,
    at: datetime | None = None,
) -> ChangeSet:
    """Save the configuration's gemeente and households and commit, in one transaction.

    Returns what changed. With `dry_run` nothing is written. Households stored
    but absent from the file are reported (`Status.NOT_IN_FILE`) and left alone.
    Each saved change gets an audit event (approved_by "config-apply").
    """
    stored_gemeenten = load_gemeenten(uow)
    ids = _stored_ids(uow, config, stored_gemeenten)
    stored = load_households(uow)
    config = _keeping_consents(config, stored)
    config = replace(
        config,
        households=tuple(replace(h, gemeente_id=ids[h.gemeente_id]) for h in config.households),
    )
    changes = diff_config(stored_gemeenten.get(ids[1]), stored, config)
    others = tuple(
        gemeente_change(stored_gemeenten.get(ids[place]), gemeente)
        for place, gemeente in enumerate(config.others, start=2)
    )
    changes = replace(changes, others=others, dry_run=dry_run)
    if dry_run:
        return changes
    for place, (gemeente, done) in enumerate(
        zip(config.gemeenten, (changes.gemeente, *others), strict=True), start=1
    ):
        if done.status is Status.UNCHANGED:
            continue
        before = stored_gemeenten.get(ids[place])
        save_gemeente(uow, gemeente, at=at, gemeente_id=ids[place])
        _audit_saved(
            uow,
            (actor, at),
            ("gemeente", gemeente.name),
            None if before is None else gemeente_to_data(before, full=True),
            gemeente_to_data(gemeente, full=True),
        )
    for change in changes.households:
        if change.status not in {Status.ADDED, Status.UPDATED} or change.after is None:
            continue
        save_household(uow, change.after, at=at, move=True)  # the file says where
        _save_consent(uow, change.before, change.after, actor, at)
        _audit_saved(
            uow,
            (actor, at),
            ("household", change.code),
            None if change.before is None else household_to_data(change.before, full=True),
            jsonable(household_to_data(change.after, full=True)),
        )
    # the read model: every status when a gemeente's settings changed, else those saved
    saved = [c.code for c in changes.households if c.status in {Status.ADDED, Status.UPDATED}]
    settings_changed = any(g.status is not Status.UNCHANGED for g in (changes.gemeente, *others))
    refresh_statuses(uow, None if settings_changed else saved)
    uow.commit()
    return changes


def _stored_ids(
    uow: UnitOfWork, config: Configuration, stored: dict[int, Gemeente]
) -> dict[int, int]:
    """The stored id of each gemeente of the file, by its place in the file (1 = the
    first). A one-gemeente file is gemeente 1, as it always was; a regional file
    (issue 22) names each gemeente by its code: a stored code keeps its id, a new code
    gets the next free id. A one-gemeente file cannot be applied to an installation
    that holds several gemeenten (its households would all move to the first)."""
    if not config.regional:
        if len(stored) > 1:
            message = (
                f"this installation holds {len(stored)} gemeenten; give them all in a list "
                "gemeenten: (see docs/config.md, Meerdere gemeenten)"
            )
            raise ConfigError(
                [ConfigProblem(config.source or "<config>", "gemeente", None, message)]
            )
        return {1: GEMEENTE_ROW_ID}
    by_code = gemeente_ids(uow)
    ids: dict[int, int] = {}
    free = max(stored, default=0) + 1
    for place, gemeente in enumerate(config.gemeenten, start=1):
        if gemeente.effective_code in by_code:
            ids[place] = by_code[gemeente.effective_code]
        else:
            ids[place] = free
            free += 1
    return ids


def _keeping_consents(config: Configuration, stored: Sequence[Household]) -> Configuration:
    """The file, where a household without `consent:` keeps the consent stored for it: a
    consent is withdrawn on the household's page (it starts the exit), never by leaving
    it out of a file."""
    consents = {h.code: h.consent for h in stored if h.consent is not None}
    households = tuple(
        replace(h, consent=consents[h.code]) if h.consent is None and h.code in consents else h
        for h in config.households
    )
    return replace(config, households=households)


def _save_consent(
    uow: UnitOfWork, before: Household | None, after: Household, actor: str, at: datetime | None
) -> None:
    """Record the file's consent when it differs from the stored one (issue 19.3)."""
    if after.consent is None or (before is not None and before.consent == after.consent):
        return
    now = at if at is not None else datetime.now(UTC)
    add_consent(uow, NewConsent(after.code, after.consent, actor, now))
    record_audit(
        uow,
        actor=actor,
        action="consent.record",
        object_type="household",
        object_id=after.code,
        after=consent_history(uow, after.code)[0].as_json(),
        approved_by=APPROVED_BY,
        at=now,
    )


def _audit_saved(
    uow: UnitOfWork,
    by: tuple[str, datetime | None],
    saved: tuple[str, str],
    before: object,
    after: object,
) -> None:
    """Audit one saved object: `<type>.create` when there was nothing `before`, else `.update`."""
    actor, at = by
    object_type, object_id = saved
    record_audit(
        uow,
        actor=actor,
        action=f"{object_type}.{'create' if before is None else 'update'}",
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        approved_by=APPROVED_BY,
        at=at,
    )


def export_config(uow: UnitOfWork) -> str:
    """The stored configuration as YAML (normalized form: households sorted by code)."""
    gemeenten = load_gemeenten(uow)
    if not gemeenten:
        raise NothingToExportError("no configuration stored yet; run `hhb config apply` first")
    households = load_households(uow)
    if len(gemeenten) == 1:  # the one-gemeente form, as it always was
        return dump_config(next(iter(gemeenten.values())), households)
    places = {gemeente_id: place for place, gemeente_id in enumerate(gemeenten, start=1)}
    return dump_region(
        list(gemeenten.values()),
        [replace(h, gemeente_id=places.get(h.gemeente_id, 0)) for h in households],
    )
