"""The web app's settings, read once in `create_app` from the environment and overrides.

HHB_DATABASE_URL   database (default var/hhb.sqlite3)
HHB_SECRET_KEY     signs session cookies; required in production (a random key
                   per process otherwise, so sessions end on restart)
HHB_TODAY          fixed "today" (YYYY-MM-DD) for demos and tests
HHB_FOUR_EYES_THRESHOLD   amount change that needs a second approver (default 25.00)
HHB_BEHIND_PROXY   1: trust X-Forwarded-Proto/For from one reverse proxy (https detection)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from huishoudboekje.domain.money import Money
from huishoudboekje.services.database import database_url
from huishoudboekje.services.rule_changes import DEFAULT_THRESHOLD

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
    behind_proxy: bool = False
    testing: bool = False
    clock: Callable[[], datetime] = field(default=_utc_now)
    argon2_params: Mapping[str, int] = field(default_factory=dict)  # tests only

    def now(self) -> datetime:
        """The current moment (UTC, aware)."""
        return self.clock()

    def today(self) -> date:
        """Today in the Netherlands (or the fixed demo day)."""
        if self.fixed_today is not None:
            return self.fixed_today
        return self.clock().astimezone(AMSTERDAM).date()


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
        behind_proxy=str(values.get("HHB_BEHIND_PROXY", "")) in {"1", "true", "yes"},
        testing=bool(values.get("TESTING", False)),
        clock=clock if callable(clock) else _utc_now,
        argon2_params=dict(argon2)
        if isinstance(argon2 := values.get("HHB_ARGON2"), Mapping)
        else {},
    )
