"""The web app's settings, read once in `create_app` from the environment and overrides.

HHB_DATABASE_URL   database (default var/hhb.sqlite3)
HHB_SECRET_KEY     signs session cookies; required in production (a random key
                   per process otherwise, so sessions end on restart)
HHB_TODAY          fixed "today" (YYYY-MM-DD) for demos and tests
HHB_FOUR_EYES_THRESHOLD   amount change that needs a second approver (default 25.00)
HHB_BEHIND_PROXY   1: trust X-Forwarded-Proto/For from one reverse proxy (https detection)
HHB_DEMO           1: the demo (`make run`): may start without HHB_SECRET_KEY
HHB_STAFF_IDLE_MINUTES   a staff session ends after this many idle minutes (default 15)
HHB_REAUTH_MINUTES       approving a four-eyes change asks to log in again when the
                         last login is older than this (default 15)
HHB_CONSENT_MAX_MB       largest signed consent (PDF) staff may upload, in MB (default 5)
HHB_OIDC_*         staff login at the gemeente's OpenID Connect provider, see
                   `web.oidc.load_oidc_settings` and docs/security.md
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from huishoudboekje.domain.money import Money
from huishoudboekje.services.database import database_url
from huishoudboekje.services.rule_changes import DEFAULT_THRESHOLD
from web.oidc_settings import OidcSettings, load_oidc_settings

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WebSettings:
    database_url: str
    secret_key: str
    secret_key_is_random: bool = False
    fixed_today: date | None = None
    four_eyes_threshold: Money = DEFAULT_THRESHOLD
    # issue 19.7: staff changes to a household's own charges or leefgeld wait for the
    # household's answer (HHB_ASK_HOUSEHOLD=0 turns this off: changes apply as before)
    ask_household: bool = True
    behind_proxy: bool = False
    testing: bool = False
    clock: Callable[[], datetime] = field(default=_utc_now)
    argon2_params: Mapping[str, int] = field(default_factory=dict)  # tests only
    demo: bool = False
    staff_idle: timedelta = timedelta(minutes=15)
    reauth_after: timedelta = timedelta(minutes=15)
    oidc: OidcSettings | None = None
    consent_max_bytes: int = 5 * 1024 * 1024  # issue 19.3: the largest consent PDF

    def now(self) -> datetime:
        """The current moment (UTC, aware)."""
        return self.clock()

    def today(self) -> date:
        """Today in the Netherlands (or the fixed demo day)."""
        if self.fixed_today is not None:
            return self.fixed_today
        return self.clock().astimezone(AMSTERDAM).date()


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names it (one line, for the operator)."""


def _minutes(values: Mapping[str, Any], name: str, default: int) -> timedelta:
    raw = str(values.get(name) or default)
    if not raw.isdigit() or not 1 <= int(raw) <= 24 * 60:
        raise SettingsError(f"{name}={raw!r}: give a whole number of minutes from 1 to 1440")
    return timedelta(minutes=int(raw))


def _flag(values: Mapping[str, Any], name: str) -> bool:
    return str(values.get(name, "")).lower() in {"1", "true", "yes"}


def load_settings(overrides: Mapping[str, Any] | None = None) -> WebSettings:
    """Settings from the environment, with `overrides` (same names) taking precedence."""
    values: dict[str, Any] = {k: v for k, v in os.environ.items() if k.startswith("HHB_")}
    values.update(overrides or {})
    secret = str(values.get("HHB_SECRET_KEY") or "")
    today = values.get("HHB_TODAY")
    clock = values.get("HHB_CLOCK")
    return WebSettings(
        database_url=str(values.get("HHB_DATABASE_URL") or database_url()),
        secret_key=secret or secrets.token_hex(32),
        secret_key_is_random=not secret,
        fixed_today=date.fromisoformat(str(today)) if today else None,
        four_eyes_threshold=Money(str(values.get("HHB_FOUR_EYES_THRESHOLD") or DEFAULT_THRESHOLD)),
        ask_household=str(values.get("HHB_ASK_HOUSEHOLD", "1")).lower()
        not in {"0", "false", "no", "nee"},
        behind_proxy=_flag(values, "HHB_BEHIND_PROXY"),
        testing=bool(values.get("TESTING", False)),
        clock=clock if callable(clock) else _utc_now,
        argon2_params=dict(argon2)
        if isinstance(argon2 := values.get("HHB_ARGON2"), Mapping)
        else {},
        demo=_flag(values, "HHB_DEMO"),
        staff_idle=_minutes(values, "HHB_STAFF_IDLE_MINUTES", 15),
        reauth_after=_minutes(values, "HHB_REAUTH_MINUTES", 15),
        oidc=_oidc(values),
        consent_max_bytes=_megabytes(values, "HHB_CONSENT_MAX_MB", 5),
    )


def _megabytes(values: Mapping[str, Any], name: str, default: int) -> int:
    raw = str(values.get(name) or default)
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise SettingsError(f"{name}={raw!r}: give a whole number of megabytes from 1 to 100")
    return int(raw) * 1024 * 1024


def _oidc(values: Mapping[str, Any]) -> OidcSettings | None:
    try:
        return load_oidc_settings(values)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
