"""Secrets at rest: the staff's TOTP secrets are stored encrypted (issue 20, CISO
finding; BIO 8.24 use of cryptography).

The key is derived from `HHB_SECRET_KEY` with HKDF-SHA256 (its own `info`, so it is
never the key that signs session cookies) and the secret is sealed with AES-256-GCM
(the `cryptography` package): a fresh 96-bit nonce each time, and the account's id
as associated data, so a sealed secret copied onto another account does not open.
Stored form: ``v1:`` + URL-safe base64 of nonce, ciphertext and tag (83 characters
for a 160-bit base32 secret).

A secret stored before this (plain base32, never containing ":") still opens, and
the login that uses it seals it (`second_factor.check_second_factor`); the web also
seals every remaining plain secret at start-up (`seal_plain_secrets`), when the key
is at hand. A database migration cannot: Alembic runs without `HHB_SECRET_KEY` (it
runs from `hhb config apply` and the other commands too).

When `HHB_SECRET_KEY` is lost or changed, sealed secrets no longer open:
`SecretUnreadable`. The staff member sees one line telling them to ask the beheerder,
the web's log names the accounts at start-up, and `hhb users reset-2fa NAME` lets the
account enrol again. The demo without a key (`SecretBox(None)`) stores secrets as
they are: its published demo secrets are not secret, and a random key would lose
them at every restart.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["SEALED_PREFIX", "SecretBox", "SecretUnreadable"]

SEALED_PREFIX = "v1:"
_INFO = b"huishoudboekje totp secret v1"
_SALT = b"huishoudboekje"
_NONCE_BYTES = 12


class SecretUnreadable(Exception):
    """A sealed secret does not open with this key: HHB_SECRET_KEY was changed or lost
    (or the stored value was damaged)."""


class SecretBox:
    """Seals and opens small secrets with a key derived from HHB_SECRET_KEY."""

    def __init__(self, secret_key: str | None) -> None:
        self._aead: AESGCM | None = None
        if secret_key:
            hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO)
            self._aead = AESGCM(hkdf.derive(secret_key.encode("utf-8")))

    @property
    def has_key(self) -> bool:
        """False only in the demo without HHB_SECRET_KEY: secrets are stored as they are."""
        return self._aead is not None

    @staticmethod
    def is_sealed(stored: str) -> bool:
        """Whether `stored` is a sealed secret (not a plain one from before)."""
        return stored.startswith(SEALED_PREFIX)

    def seal(self, plain: str, *, account: int) -> str:
        """`plain` encrypted for account id `account` (as it is without a key)."""
        if self._aead is None:
            return plain
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain.encode("utf-8"), _context(account))
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, stored: str, *, account: int) -> str:
        """The plain secret of account `account`; a plain stored secret as it is.
        Raises `SecretUnreadable` when it was sealed with another key (or for another
        account), or when there is no key to open it with."""
        if not self.is_sealed(stored):
            return stored
        if self._aead is None:
            raise SecretUnreadable("no HHB_SECRET_KEY to open a sealed secret")
        try:
            raw = base64.urlsafe_b64decode(stored[len(SEALED_PREFIX) :].encode("ascii"))
            nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
            return self._aead.decrypt(nonce, sealed, _context(account)).decode("utf-8")
        except (InvalidTag, ValueError, binascii.Error, UnicodeError) as exc:
            raise SecretUnreadable("the secret does not open with this HHB_SECRET_KEY") from exc


def _context(account: int) -> bytes:
    return f"user_account:{account}".encode("ascii")
