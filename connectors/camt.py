"""ISO 20022 CAMT importers: camt.053 statements, camt.052 reports, camt.054 notifications.

`parse_camt(data, filename)` is the pure parser; the importers in `IMPORTERS`
stream the file from disk into the same code. A ZIP archive of CAMT files is
read member by member. Whatever goes wrong, the caller sees one
`ConnectorError` and never a partial result. See docs/connectors.md for what is
supported.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from connectors.base import ConnectorError
from connectors.camt_stream import read_document
from connectors.camt_values import CamtRejection
from connectors.xml_safety import current_limits
from huishoudboekje.domain.banking import Statement
from huishoudboekje.domain.limits import MB, InputLimits, LimitSettingError, over_limit

SNIFF_BYTES = 4096
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")  # entry, empty, spanned
# A damaged ZIP member: an unknown compression method (NotImplementedError) or
# encryption (RuntimeError) when it is opened; bad compressed data (zlib, lzma) or
# data cut short (EOFError) while it is read.
_OPEN_ERRORS = (NotImplementedError, RuntimeError)
_READ_ERRORS = (zlib.error, lzma.LZMAError, EOFError)
_CAMT_NAMESPACE_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(\d{3})\.")


def parse_camt(
    data: bytes,
    filename: str,
    *,
    connector: str = "camt053",
    expect: str | None = None,
    reconcile: bool = True,
) -> list[Statement]:
    """Parse CAMT.052/053/054 XML (or a ZIP of such files) held in memory.

    `expect` ("052", "053" or "054") rejects other message types. `reconcile=False`
    skips the opening + entries = closing check; only for diagnostics and tests,
    never for booking. Raises `ConnectorError` naming `connector` and `filename`.
    """
    return _guarded(
        connector, filename, lambda: _parse_stream(io.BytesIO(data), filename, expect, reconcile)
    )


class CamtImporter:
    """A `StatementImporter` for one CAMT message type ("053" → format name camt053)."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.name = f"camt{code}"

    def identify(self, path: Path) -> bool:
        """Sniff the first 4 KB (of the first member, for a ZIP) for this CAMT namespace."""
        try:
            head = _head(path)
        except Exception:  # a sniff never raises: unreadable means "not mine"
            return False
        found = sniff_message_type(head)
        if found is None:
            return False
        if self.code == "053":
            # camt.053 also claims unsupported camt types (camt.050, ...), so that
            # `extract` can say clearly why it refuses them.
            return found not in ("052", "054")
        return found == self.code

    def extract(self, path: Path) -> list[Statement]:
        """Parse the whole file (streamed from disk) or raise `ConnectorError`."""
        return self._extract(path, reconcile=True)

    def extract_unchecked(self, path: Path) -> list[Statement]:
        """As `extract`, without the balance check (diagnostics only, never booking)."""
        return self._extract(path, reconcile=False)

    def _extract(self, path: Path, *, reconcile: bool) -> list[Statement]:
        def run() -> list[Statement]:
            with path.open("rb") as stream:
                return _parse_stream(stream, path.name, self.code, reconcile)

        return _guarded(self.name, path.name, run)


def sniff_message_type(head: bytes) -> str | None:
    """The camt message number in the first bytes of a file ("053", "052", ...), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    elif head.startswith(b"<\x00"):
        text = head.decode("utf-16-le", errors="ignore")
    elif head.startswith(b"\x00<"):
        text = head.decode("utf-16-be", errors="ignore")
    else:
        text = head.decode("latin-1")
    match = _CAMT_NAMESPACE_RE.search(text)
    return match.group(1) if match else None


def _head(path: Path) -> bytes:
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    if not head.startswith(ZIP_MAGICS):
        return head
    with zipfile.ZipFile(path) as archive:
        members = _members(archive)
        if not members:
            return b""
        with archive.open(members[0]) as member:
            return member.read(SNIFF_BYTES)


class _MemberRejection(CamtRejection):
    """A rejection inside one member of a ZIP archive."""

    def __init__(self, member: str, rejection: CamtRejection) -> None:
        super().__init__(rejection.message, rejection.where)
        self.member = member


def _guarded(connector: str, filename: str, run: Callable[[], list[Statement]]) -> list[Statement]:
    """Run a parse; every failure becomes one ConnectorError naming connector and file."""
    try:
        return run()
    except ConnectorError:
        raise
    except _MemberRejection as error:
        raise ConnectorError(
            connector, f"{filename}!{error.member}", error.message, error.where
        ) from None
    except CamtRejection as error:
        raise ConnectorError(connector, filename, error.message, error.where) from None
    except LimitSettingError as error:
        raise ConnectorError(connector, filename, str(error)) from None
    except OSError as error:
        raise ConnectorError(
            connector, filename, f"cannot read the file: {error.strerror or error}"
        ) from None
    except zipfile.BadZipFile as error:
        raise ConnectorError(connector, filename, f"broken ZIP archive: {error}") from None
    except Exception as error:  # any bug or library surprise: still one ConnectorError
        raise ConnectorError(
            connector, filename, f"unexpected error: {type(error).__name__}: {error}"
        ) from error


def _parse_stream(
    stream: IO[bytes], filename: str, expect: str | None, reconcile: bool
) -> list[Statement]:
    if stream.read(4) in ZIP_MAGICS:
        stream.seek(0)
        return _parse_zip(stream, expect, reconcile)
    stream.seek(0)
    return read_document(stream, expect=expect, reconcile=reconcile)


def _parse_zip(stream: IO[bytes], expect: str | None, reconcile: bool) -> list[Statement]:
    limits = current_limits()
    with zipfile.ZipFile(stream) as archive:
        members = _members(archive)
        if not members:
            raise CamtRejection("the ZIP archive holds no files")
        if len(members) > limits.zip_members:
            raise CamtRejection(
                over_limit(
                    "zip_members",
                    limits.zip_members,
                    f"the ZIP archive holds {len(members)} files, too many",
                )
            )
        budget = _Budget(limits)
        statements: list[Statement] = []
        for info in members:
            budget.declared(info)  # refuse what says it is too large before reading it
            try:
                member = archive.open(info)
            except _OPEN_ERRORS as error:
                raise _MemberRejection(info.filename, _unpack_rejection(error)) from None
            with member:
                counted = _Counted(member, info, budget)
                try:
                    statements.extend(read_document(counted, expect=expect, reconcile=reconcile))
                except CamtRejection as error:
                    raise _MemberRejection(info.filename, error) from None
                except _READ_ERRORS as error:
                    raise _MemberRejection(info.filename, _unpack_rejection(error)) from None
        return statements


class _Budget:
    """The unpacked bytes a ZIP may still use: per member, in total, and per packed byte.

    Checked twice: against the sizes the archive declares (cheap, before reading),
    and against the bytes that really come out (a ZIP can lie about its sizes)."""

    def __init__(self, limits: InputLimits) -> None:
        self.limits = limits
        self.total = 0

    def declared(self, info: zipfile.ZipInfo) -> None:
        self.check(info, info.file_size, self.total + info.file_size)

    def check(self, info: zipfile.ZipInfo, member: int, total: int) -> None:
        limits = self.limits
        if member > limits.zip_member_bytes:
            self._refuse(info, "zip_member_bytes", limits.zip_member_bytes, "unpacks to more")
        if total > limits.zip_total_bytes:
            self._refuse(
                None, "zip_total_bytes", limits.zip_total_bytes, "the ZIP archive unpacks to more"
            )
        # a ratio only means something once there is more than a little data
        if member > MB and member > limits.zip_ratio * max(info.compress_size, 1):
            raise _MemberRejection(
                info.filename,
                CamtRejection(
                    over_limit(
                        "zip_ratio",
                        limits.zip_ratio,
                        f"unpacks to more than {limits.zip_ratio} times its packed size "
                        "(a ZIP bomb?)",
                    )
                ),
            )

    def _refuse(self, info: zipfile.ZipInfo | None, field: str, limit: int, what: str) -> None:
        message = over_limit(field, limit, f"{what} than {limit // MB} MB")
        if info is None:
            raise CamtRejection(message)
        raise _MemberRejection(info.filename, CamtRejection(message))


class _Counted:
    """A ZIP member stream that counts what it unpacks and stops at the budget."""

    def __init__(self, member: IO[bytes], info: zipfile.ZipInfo, budget: _Budget) -> None:
        self._member = member
        self._info = info
        self._budget = budget
        self._read = 0

    def read(self, size: int = -1) -> bytes:
        """At most `size` bytes (64 KB when unbounded, so nothing is unpacked whole)."""
        chunk = self._member.read(size if 0 <= size <= 1024 * 1024 else 64 * 1024)
        self._read += len(chunk)
        self._budget.total += len(chunk)
        self._budget.check(self._info, self._read, self._budget.total)
        return chunk


def _unpack_rejection(error: Exception) -> CamtRejection:
    return CamtRejection(f"cannot unpack this member: {error}")


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Files in archive order, without directories and macOS resource-fork clutter."""
    return [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not Path(info.filename).name.startswith("._")
    ]


IMPORTERS = (CamtImporter("053"), CamtImporter("052"), CamtImporter("054"))
