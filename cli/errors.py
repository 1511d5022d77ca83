"""No traceback ever reaches a person (issue 18).

`cli.main` sends every command through `guarded()`: an exception no command
handled itself becomes ONE line on stderr, in Dutch, saying what went wrong and
what to do, and a non-zero exit code. The full traceback goes to the log file:

- `$HHB_LOG_FILE` when set;
- else `VAR/log/hhb.log`, VAR being the command's `--var` (default `./var`);
- and when that folder cannot be written (read-only, full disk), the system's
  temporary folder (`/tmp/hhb-<uid>.log`), so the one line always names a log.

The file is rotated (`RotatingFileHandler`, 5 MB, 5 old files) and only created
when something is logged. The night's own warnings and errors (a household that
failed to plan, with its traceback) go to the same file.
"""

from __future__ import annotations

import argparse
import errno
import logging
import logging.handlers
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

LOG_ENV = "HHB_LOG_FILE"
LOG_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
EXIT_BAD_INPUT = 2
EXIT_FAILED = 4  # the command could not do its work (database, disk, a bug)
EXIT_INTERRUPTED = 130

_handler: logging.Handler | None = None


def log_file(args: argparse.Namespace | None) -> Path:
    """Where the log goes for this command (see the module text)."""
    configured = os.environ.get(LOG_ENV)
    if configured:
        return Path(configured)
    var = getattr(args, "var", None) if args is not None else None
    return Path(var if var is not None else "var") / "log" / "hhb.log"


def fallback_log_file() -> Path:
    """The log file when the configured one cannot be written."""
    return Path(tempfile.gettempdir()) / f"hhb-{os.getuid()}.log"


def setup_logging(args: argparse.Namespace | None) -> None:
    """Send the `hhb` loggers (warnings and up) to the rotated log file. Idempotent:
    a second call (tests run many commands in one process) replaces the handler."""
    global _handler
    logger = logging.getLogger("hhb")
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
        _handler = None
    handler = _open_handler(log_file(args)) or _open_handler(fallback_log_file())
    if handler is None:
        return
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)  # the logger's level is left alone (the scheduler sets INFO)
    _handler = handler


def close_logging() -> None:
    """Close the log file (end of a command)."""
    global _handler
    if _handler is not None:
        logging.getLogger("hhb").removeHandler(_handler)
        _handler.close()
        _handler = None


class _LogFile(logging.handlers.RotatingFileHandler):
    """The rotated log file, with its folder made only when the first record comes
    (a command that logs nothing leaves no trace), and never a "Logging error"
    traceback on stderr when it cannot be written."""

    def _open(self) -> Any:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        return None


def _writable(path: Path) -> bool:
    """Whether `path` can be written or created (its nearest existing folder is writable)."""
    if path.exists():
        return path.is_file() and os.access(path, os.W_OK)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK)


def _open_handler(path: Path) -> logging.Handler | None:
    """A rotating handler on `path` (created on first use), or None when it cannot be
    written."""
    if not _writable(path):
        return None
    return _LogFile(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True)


def write_traceback(command: str, exc: BaseException) -> Path | None:
    """Append the full traceback of `exc` to the log; returns the file written, if any."""
    text = "".join(traceback.format_exception(exc))
    record = f"hhb {command} failed:\n{text}"
    handler = _handler
    target = Path(handler.baseFilename) if isinstance(handler, logging.FileHandler) else None
    for path in [p for p in (target, fallback_log_file()) if p is not None]:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                out.write(record)
            return path
        except OSError:
            continue
    return None


def describe(exc: BaseException) -> tuple[int, str]:
    """Exit code and one plain line (what happened, what to do) for `exc`."""
    from sqlalchemy import exc as sa

    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, sa.ArgumentError | sa.NoSuchModuleError):
        return EXIT_BAD_INPUT, _bad_url()
    if isinstance(exc, ModuleNotFoundError) and exc.name in _DRIVERS:
        return EXIT_BAD_INPUT, _bad_url()
    if isinstance(exc, sa.IntegrityError):
        return EXIT_FAILED, (
            "iemand anders wijzigde hetzelfde tegelijk; er is niets dubbel opgeslagen. "
            "Kijk met `hhb signals` wat er nu staat en probeer het zo nodig opnieuw"
        )
    if isinstance(exc, sa.OperationalError | sa.InterfaceError | sa.DatabaseError):
        return EXIT_FAILED, _database_problem(lowered)
    if isinstance(exc, OSError):
        return _os_problem(exc)
    if isinstance(exc, MemoryError):
        return EXIT_FAILED, "te weinig geheugen; probeer het met minder of kleinere bestanden"
    return EXIT_FAILED, f"onverwachte fout ({type(exc).__name__}); meld dit aan de beheerder"


_DRIVERS = {"MySQLdb", "pymysql", "cx_Oracle", "oracledb", "pyodbc", "psycopg2", "asyncpg"}


def _bad_url() -> str:
    return (
        "de database-URL (--database of HHB_DATABASE_URL) is ongeldig of wordt niet "
        "ondersteund; gebruik sqlite:///pad/naar/hhb.sqlite3 of "
        "postgresql+psycopg://gebruiker:wachtwoord@host:5432/naam"
    )


def _database_problem(lowered: str) -> str:
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return (
            "de database is alleen-lezen; er is niets gewijzigd. Geef het proces "
            "schrijfrechten op het databasebestand en de map ervan"
        )
    if ("disk" in lowered and "full" in lowered) or "no space" in lowered:
        return "de schijf is vol; er is niets gewijzigd. Maak ruimte vrij en probeer het opnieuw"
    if "disk i/o error" in lowered:
        return (
            "de database kon niet naar schijf schrijven (schijf vol of defect?); er is niets "
            "half opgeslagen. Maak ruimte vrij of controleer de schijf en probeer het opnieuw"
        )
    if "unable to open database file" in lowered:
        return "kan het databasebestand niet openen; controleer het pad en de rechten"
    if "locked" in lowered:
        return "de database is bezet door een ander proces; probeer het zo opnieuw"
    if any(
        part in lowered
        for part in (
            "connection refused",
            "could not connect",
            "connection failed",
            "could not translate host",
            "timeout",
            "server closed",
            "name or service not known",
        )
    ):
        return (
            "kan de database niet bereiken; controleer of PostgreSQL draait en of host, "
            "poort en wachtwoord in de database-URL kloppen"
        )
    if "no such table" in lowered or "does not exist" in lowered:
        return (
            "de database is onvolledig of niet bijgewerkt; draai `hhb config apply` "
            "of vraag de beheerder"
        )
    return (
        "databasefout; er is niets half opgeslagen. Probeer het opnieuw of meld het "
        "aan de beheerder"
    )


def _os_problem(exc: OSError) -> tuple[int, str]:
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return EXIT_FAILED, f"de schijf is vol{where}; maak ruimte vrij en probeer het opnieuw"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return EXIT_FAILED, f"geen schrijf- of leesrechten{where}; controleer de rechten"
    if exc.errno == errno.ENOENT:
        return EXIT_BAD_INPUT, f"bestand of map bestaat niet{where}; controleer het pad"
    if exc.errno == errno.EISDIR:
        return EXIT_BAD_INPUT, f"dit is een map, geen bestand{where}; geef een bestandsnaam"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return EXIT_BAD_INPUT, f"dit is een bestand, geen map{where}; geef een map"
    return EXIT_FAILED, f"bestandsfout{where}: {exc.strerror or type(exc).__name__}"


def report(command: str, exc: BaseException) -> int:
    """Log the traceback, print the one line, return the exit code."""
    code, line = describe(exc)
    logged = write_traceback(command, exc)
    where = f" (details: {logged})" if logged else ""
    print(f"hhb {command}: {line}{where}", file=sys.stderr)
    return code
