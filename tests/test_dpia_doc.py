"""docs/privacy.md as a DPIA text that cannot drift from the code (issue 20.7).

- every table and column of the schema is classified by data category, so a new
  table cannot land without saying which personal data it holds;
- the generated tables (data categories, who sees what) are what
  `hhb privacy dpia-tables` makes from the code today;
- every test the BIO table names exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, String, Table

from cli.dpia_cmd import REGENERATE, generated_parts, updated
from cli.main import main
from huishoudboekje.adapters.persistence.data_categories import TABLES, Category, columns_of
from huishoudboekje.adapters.persistence.tables import HhbTable
from huishoudboekje.services.privacy_doc import unclassified_columns

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "privacy.md"
# column names that nearly always hold something about a person
PERSONAL_LOOKING = re.compile(
    r"name|iban|bic|description|note|reason|message|answer|summary|remittance|"
    r"address|user|actor|_by$|household|secret|hash|token|client"
)
# ... but here hold the gemeente's own data or a file's name
NOT_ABOUT_PEOPLE = {
    "gemeente.name",
    "gemeente.account_iban",
    "gemeente.account_name",
    "gemeente.bic",
    "pooled_account.iban",  # the gemeente's own pooled accounts (issue 22)
    "pooled_account.name",
    "pooled_account.bic",
    "imported_file.name",
    "report_stamp.name",  # the name of a stored set of figures ("movements", ...)
    "bank_statement.account_iban",
    "bank_transaction.account_iban",
}


def test_every_table_and_column_is_classified() -> None:
    assert unclassified_columns() == [], (
        "classify these in huishoudboekje/adapters/persistence/data_categories.py"
    )


def test_a_new_table_fails_until_it_is_classified() -> None:
    table = Table(
        "consent_document",
        HhbTable.metadata,
        Column("id", Integer, primary_key=True),
        Column("household", String(40)),
    )
    try:
        assert unclassified_columns() == ["consent_document.household", "consent_document.id"]
    finally:
        HhbTable.metadata.remove(table)
    assert unclassified_columns() == []


def test_columns_that_look_personal_are_not_called_not_personal() -> None:
    suspicious = [
        f"{table}.{column}"
        for table, use in TABLES.items()
        for column in use.not_personal
        if PERSONAL_LOOKING.search(column) and f"{table}.{column}" not in NOT_ABOUT_PEOPLE
    ]
    assert suspicious == []


def test_every_category_is_stored_somewhere_or_says_where() -> None:
    from huishoudboekje.adapters.persistence.data_categories import CATEGORIES

    for category in Category:
        assert columns_of(category) or CATEGORIES[category].elsewhere, category


def test_the_generated_tables_in_the_doc_are_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert updated(text) == text, f"docs/privacy.md is out of date; run: {REGENERATE}"
    for body in generated_parts().values():
        assert body in text


def test_the_command_checks_and_writes_the_doc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "privacy.md"
    text = DOC.read_text(encoding="utf-8")
    stale.write_text(text.replace("| Bank details (bankgegevens) |", "| Bank |"), encoding="utf-8")
    assert main(["privacy", "dpia-tables", "--check", str(stale)]) == 1
    assert REGENERATE in capsys.readouterr().out
    assert main(["privacy", "dpia-tables", "--write", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == text
    assert main(["privacy", "dpia-tables", "--check", str(stale)]) == 0
    stale.write_text("# no markers here\n", encoding="utf-8")
    assert main(["privacy", "dpia-tables", "--check", str(stale)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _bio_rows() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 8. BIO controls covered", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if re.match(r"\| \d+\.\d\d ", line)]


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_test_the_bio_table_names_exists() -> None:
    rows = _bio_rows()
    assert len(rows) >= 10
    for row in rows:
        ids = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", row)
        assert ids, f"a BIO row names no test: {row[:60]}"
        for module, name in ids:
            path = ROOT / module
            assert path.is_file(), f"{module} does not exist"
            assert name in _test_functions(path), f"{module}::{name} does not exist"
