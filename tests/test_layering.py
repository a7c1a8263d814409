"""The engine stays apart from git and HTTP: drafttrack/ (but its cli package) imports no
flask, git, werkzeug or repo_store — the rule Flask states for its sansio package."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "drafttrack"
FORBIDDEN = {"flask", "git", "werkzeug", "repo_store", "web"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_engine_imports_no_git_or_http() -> None:
    checked = 0
    for path in ENGINE.rglob("*.py"):
        if "cli" in path.relative_to(ENGINE).parts:
            continue
        bad = imported_roots(path) & FORBIDDEN
        assert not bad, f"{path.relative_to(ENGINE.parent)} imports {sorted(bad)}"
        checked += 1
    assert checked >= 3


def test_store_knows_no_clauses() -> None:
    store_dir = ENGINE.parent / "repo_store"
    for path in store_dir.rglob("*.py"):
        bad = imported_roots(path) & {"drafttrack", "flask", "web"}
        assert not bad, f"{path.name} imports {sorted(bad)}"
