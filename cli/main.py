"""Entry point of `hhb`. Each command group lives in its own module with a `register()`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from cli.errors import EXIT_INTERRUPTED, close_logging, report, setup_logging

# One module per command group; each exposes register(subparsers) and sets `func`.
COMMAND_MODULES = (
    "cli.config_cmd",
    "cli.status_cmd",
    "cli.parse_cmd",
    "cli.import_cmd",
    "cli.nightly_cmd",
    "cli.worker_cmd",
    "cli.assign_cmd",
    "cli.handover_cmd",
    "cli.web_cmd",
    "cli.privacy_cmd",
    "cli.export_cmd",
    "cli.reconcile_cmd",
    "cli.report_cmd",
    "cli.letters_cmd",
)

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    """The `hhb` parser with every command group registered."""
    parser = argparse.ArgumentParser(
        prog="hhb",
        description="Huishoudboekje: vaste lasten eerst, daarna een stabiel leefgeld.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `hhb` with `argv` (default: the command line); return the exit code.

    The one top-level handler: whatever a command did not handle itself becomes one
    plain line on stderr and a non-zero exit; the traceback goes to the log file
    (cli/errors.py)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    command = " ".join(
        str(part) for part in (args.command, getattr(args, "config_action", None)) if part
    )
    setup_logging(args)
    try:
        result: int = func(args)
    except KeyboardInterrupt:
        print(f"hhb {command}: afgebroken", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        return report(command, exc)
    finally:
        close_logging()
    return result


if __name__ == "__main__":
    sys.exit(main())
