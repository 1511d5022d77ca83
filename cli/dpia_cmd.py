"""`hhb privacy dpia-tables`: the generated tables of the DPIA text (docs/privacy.md).

    hhb privacy dpia-tables                          print them
    hhb privacy dpia-tables --write docs/privacy.md  put them between their markers
    hhb privacy dpia-tables --check docs/privacy.md  exit 1 when the file is out of date

Two tables are generated: the data categories with where each is stored and how long
it is kept (`services.privacy_doc`, from the schema's classification), and who sees
what (`web.access_matrix`, the table the authorization matrix test walks).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from huishoudboekje.services.privacy_doc import (
    DATA_CATEGORIES,
    begin_marker,
    data_categories_markdown,
    end_marker,
    replace_between_markers,
)
from web.access_matrix import matrix_markdown, routes_markdown

EXIT_OK = 0
EXIT_STALE = 1
EXIT_BAD_INPUT = 2
ROLE_MATRIX = "role-matrix"
REGENERATE = "hhb privacy dpia-tables --write docs/privacy.md"


def generated_parts() -> dict[str, str]:
    """Each generated part of docs/privacy.md by marker name."""
    routes = routes_markdown()
    return {
        DATA_CATEGORIES: data_categories_markdown(),
        ROLE_MATRIX: f"{matrix_markdown()}\n\n<details><summary>Every route and its "
        f"audience</summary>\n\n{routes}\n\n</details>",
    }


def updated(document: str) -> str:
    """`document` with every generated part brought up to date."""
    for name, body in generated_parts().items():
        document = replace_between_markers(document, name, body)
    return document


def register_dpia(sub: Any) -> None:
    """Add `dpia-tables` to `hhb privacy`."""
    tables = sub.add_parser("dpia-tables", help="the generated tables of docs/privacy.md")
    mode = tables.add_mutually_exclusive_group()
    mode.add_argument("--write", type=Path, metavar="FILE", help="update FILE in place")
    mode.add_argument("--check", type=Path, metavar="FILE", help="exit 1 if FILE is stale")
    tables.set_defaults(func=run_dpia_tables)


def run_dpia_tables(args: argparse.Namespace) -> int:
    """hhb privacy dpia-tables."""
    target: Path | None = args.write or args.check
    if target is None:
        for name, body in generated_parts().items():
            print(f"{begin_marker(name)}\n{body}\n{end_marker(name)}\n")
        return EXIT_OK
    try:
        document = target.read_text(encoding="utf-8")
        fresh = updated(document)
    except (OSError, ValueError) as exc:
        print(f"hhb privacy dpia-tables: {target}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.check:
        if fresh != document:
            print(f"hhb privacy dpia-tables: {target} is verouderd; maak het opnieuw: {REGENERATE}")
            return EXIT_STALE
        return EXIT_OK
    if fresh != document:
        target.write_text(fresh, encoding="utf-8")
        print(f"{target} bijgewerkt.")
    return EXIT_OK
