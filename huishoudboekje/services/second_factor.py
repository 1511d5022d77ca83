"""The second factor of staff who log in with a local password: TOTP (RFC 6238,
pyotp) and ten one-time recovery codes.

A staff account with a local password cannot get in on the password alone: after
the password it enrols (a new secret, confirmed with a first code; the recovery
codes are shown once) or gives a code. A code is accepted in the time step of
`now` or the one before or after (clock drift of a phone), and once only: the
last accepted step is stored and an older or equal one is refused (RFC 6238
§5.2). A recovery code works once; only its argon2 hash is stored. Wrong codes
count towards the same lockout as wrong passwords (`services.logins`). `now` is
always an argument; every enrolment, reset and use of a recovery code is
audit-logged, never the secret or a code.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp

from huishoudboekje.adapters.persistence import record_audit
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import (
    User,
    find_user,
    get_user,
    list_users,
    mark_recovery_code_used,
    replace_recovery_codes,
    set_totp,
    unused_recovery_codes,
)
from huishoudboekje.services.logins import (
    LoginOutcome,
    LoginPolicy,
    LoginResult,
    PasswordHasher,
    client_is_rate_limited,
    count_failure,
    count_success,
)
from huishoudboekje.services.secret_box import SecretBox, SecretUnreadable
from huishoudboekje.services.user_accounts import AccountError, Role

TOTP_ISSUER = "Huishoudboekje"
TOTP_STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def needs_second_factor(user: User) -> bool:
    """Whether a local password login of this account also needs a code: every staff role."""
    return Role(user.role).is_staff and user.external_id is None


def new_totp_secret() -> str:
    """A new shared secret (base32, 160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str = TOTP_ISSUER) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def totp_step(now: datetime) -> int:
    """The RFC 6238 time step of `now`."""
    return int(now.timestamp()) // TOTP_STEP_SECONDS


def totp_code(secret: str, step: int) -> str:
    """The six digits of time step `step` (what the phone shows then)."""
    return str(pyotp.TOTP(secret).generate_otp(step))


def _digits(code: str) -> str:
    return "".join(c for c in code if not c.isspace())


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The step (now, one before, one after) whose code `code` is, or None."""
    typed = _digits(code)
    if len(typed) != 6 or not typed.isdigit():
        return None
    current = totp_step(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp_code(secret, step), typed):
            return step
    return None


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _normal_recovery_code(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _store_recovery_codes(
    uow: UnitOfWork, hasher: PasswordHasher, user_id: int, now: datetime
) -> tuple[str, ...]:
    codes = tuple(_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT))
    hashes = tuple(hasher.hash(_normal_recovery_code(code)) for code in codes)
    replace_recovery_codes(uow, user_id, hashes, now)
    return codes


def enrol_totp(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    *,
    user_id: int,
    secret: str,
    code: str,
    now: datetime,
    box: SecretBox,
) -> tuple[str, ...]:
    """Enrol `secret` once its first `code` is right, with new recovery codes, and
    commit; returns the recovery codes (shown once, stored hashed). Raises
    `AccountError` (nothing stored) for a wrong code or an account that already has
    a second factor."""
    user = get_user(uow, user_id)
    if user is None or not user.active:
        raise AccountError("Dit account bestaat niet (meer).")
    if user.has_totp:
        raise AccountError("Voor dit account is de tweede stap al ingesteld.")
    step = matching_step(secret, code, now)
    if step is None:
        raise AccountError("De code klopt niet. Kijk of de tijd op uw telefoon goed staat.")
    set_totp(uow, user_id, secret=box.seal(secret, account=user_id), last_step=step)
    codes = _store_recovery_codes(uow, hasher, user_id, now)
    record_audit(
        uow, actor=user.username, action="user.totp_enrol", object_type="user",
        object_id=user.username, at=now,
    )  # fmt: skip
    uow.commit()
    return codes


def set_known_totp(
    uow: UnitOfWork,
    *,
    actor: str,
    username: str,
    secret: str,
    now: datetime,
    box: SecretBox | None = None,
) -> User:
    """Enrol a secret that is already known (the demo logins and the tests' accounts,
    never a real person's) and commit. Without a box (a command without
    HHB_SECRET_KEY) it is stored as it is, and sealed by the web at its first use."""
    user = find_user(uow, username)
    if user is None:
        raise AccountError(f"De gebruiker {username!r} bestaat niet.")
    stored = secret if box is None else box.seal(secret, account=user.id)
    updated = set_totp(uow, user.id, secret=stored, last_step=None)
    record_audit(
        uow, actor=actor, action="user.totp_enrol", object_type="user",
        object_id=user.username, at=now,
    )  # fmt: skip
    uow.commit()
    return updated


def reset_second_factor(uow: UnitOfWork, *, actor: str, username: str, now: datetime) -> User:
    """Remove an account's second factor and recovery codes (a lost phone) and commit;
    at the next login with the password it enrols again."""
    user = find_user(uow, username)
    if user is None:
        raise AccountError(f"De gebruiker {username!r} bestaat niet.")
    updated = set_totp(uow, user.id, secret=None, last_step=None)
    replace_recovery_codes(uow, user.id, (), now)
    record_audit(
        uow, actor=actor, action="user.totp_reset", object_type="user",
        object_id=user.username, at=now,
    )  # fmt: skip
    uow.commit()
    return updated


def _use_recovery_code(
    uow: UnitOfWork, hasher: PasswordHasher, user: User, code: str, now: datetime
) -> bool:
    typed = _normal_recovery_code(code)
    if len(typed) != 10:
        return False
    for stored in unused_recovery_codes(uow, user.id):
        if hasher.verify(stored.code_hash, typed):
            mark_recovery_code_used(uow, stored.id, now)
            record_audit(
                uow, actor=user.username, action="user.recovery_code", object_type="user",
                object_id=user.username, at=now,
            )  # fmt: skip
            return True
    return False


def check_second_factor(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    *,
    user_id: int,
    code: str,
    client: str,
    now: datetime,
    box: SecretBox,
    policy: LoginPolicy | None = None,
) -> LoginResult:
    """Check a TOTP code (once per time step) or an unused recovery code after the
    password, and commit. Wrong codes count towards the account's lockout. A secret
    that does not open with this key (HHB_SECRET_KEY changed) gives
    `SECOND_FACTOR_UNREADABLE` and counts as nothing; a plain secret from before is
    sealed at the first good code."""
    policy = policy or LoginPolicy()
    if client_is_rate_limited(uow, client, now, policy):
        return LoginResult(LoginOutcome.RATE_LIMITED)
    user = get_user(uow, user_id)
    if user is None or not user.active or user.totp_secret is None:
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(LoginOutcome.LOCKED, user)
    try:
        secret = box.open(user.totp_secret, account=user.id)
    except SecretUnreadable:
        return LoginResult(LoginOutcome.SECOND_FACTOR_UNREADABLE, user)
    stored = (
        user.totp_secret if box.is_sealed(user.totp_secret) else box.seal(secret, account=user.id)
    )
    step = matching_step(secret, code, now)
    if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
        set_totp(uow, user.id, secret=stored, last_step=step)
        return count_success(uow, user, client, now)
    if step is None and _use_recovery_code(uow, hasher, user, code, now):
        set_totp(uow, user.id, secret=stored, last_step=user.totp_last_step)
        return count_success(uow, user, client, now)
    return count_failure(uow, user, client, now, policy)


def remaining_recovery_codes(uow: UnitOfWork, user_id: int) -> int:
    """How many recovery codes the account has left."""
    return len(unused_recovery_codes(uow, user_id))


def readable_secret(user: User, box: SecretBox) -> str | None:
    """The account's TOTP secret in plain, or None when it has none or it does not open
    with this key."""
    if user.totp_secret is None:
        return None
    try:
        return box.open(user.totp_secret, account=user.id)
    except SecretUnreadable:
        return None


def seal_plain_secrets(uow: UnitOfWork, box: SecretBox) -> int:
    """Seal every TOTP secret still stored plain (from before encryption) and commit;
    returns how many. Nothing without a key (the demo)."""
    if not box.has_key:
        return 0
    sealed = 0
    for user in list_users(uow):
        if user.totp_secret is not None and not box.is_sealed(user.totp_secret):
            secret = box.seal(user.totp_secret, account=user.id)
            set_totp(uow, user.id, secret=secret, last_step=user.totp_last_step)
            sealed += 1
    uow.commit()
    return sealed


def unreadable_secrets(uow: UnitOfWork, box: SecretBox) -> list[str]:
    """The user names whose TOTP secret does not open with this key (HHB_SECRET_KEY was
    changed or lost): they need `hhb users reset-2fa NAME` to enrol again."""
    return [
        user.username
        for user in list_users(uow)
        if user.active and user.totp_secret is not None and readable_secret(user, box) is None
    ]
