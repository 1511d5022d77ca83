"""Only services open units of work: no module in `web/` calls `unit_of_work(` or
builds a `UnitOfWork(`, except `web/access.py`'s `reads`, the request's one
read-only unit of work (see docs/architecture.md). Checked on the source with `ast`,
so a new view that opens its own transaction fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "web"
OPENERS = {"unit_of_work", "UnitOfWork"}
ALLOWED = {("access.py", "reads")}


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _openings(path: Path) -> list[tuple[str, str, int]]:
    """(file, enclosing function or "", line) of every call that opens a unit of work."""
    found: list[tuple[str, str, int]] = []
    name = str(path.relative_to(WEB))

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if isinstance(child, ast.Call) and _called_name(child) in OPENERS:
                found.append((name, function, child.lineno))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def _all_openings() -> list[tuple[str, str, int]]:
    return [hit for path in sorted(WEB.rglob("*.py")) for hit in _openings(path)]


def test_no_web_module_opens_a_unit_of_work_but_the_request_reads() -> None:
    unexpected = [hit for hit in _all_openings() if (hit[0], hit[1]) not in ALLOWED]
    assert unexpected == [], f"open the unit of work in a service instead: {unexpected}"


def test_the_scan_sees_the_one_allowed_opening() -> None:
    # guards the scan itself: were it blind, the test above would pass on anything
    assert [(f, fn) for f, fn, _ in _all_openings()] == [("access.py", "reads")]


def test_access_offers_no_writing_unit_of_work() -> None:
    from web import access

    assert not hasattr(access, "uow")
