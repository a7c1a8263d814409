"""The layers and which may import which (README, Development):

    web/ (Flask)    drafttrack/cli/ (click)      shells
            \\          /
        drafttrack/service/                     where store and engine meet
            |          \\
    drafttrack/ engine  repo_store/              texts in, clauses out | git and provenance

The engine imports neither the service, the CLI, the store, git nor HTTP (the rule Flask states
for its sansio package); the service imports no click, Flask or shell; the store knows no
clauses; the viewer never imports the CLI, and of the CLI only ``serve`` and ``demo`` import the
viewer; no two modules import each other, directly or through others (every import counts, also
one inside a function or under ``TYPE_CHECKING``: each is a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("drafttrack", "repo_store", "web")
SHELLS_OF_WEB = {"drafttrack.cli.web_cmds", "drafttrack.cli.demo_cmd"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the three packages, by dotted name."""
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def imports_of(path: Path, name: str) -> set[str]:
    """Dotted names ``path`` imports anywhere in it (relative imports resolved)."""
    tree = ast.parse(path.read_text("utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".")
                package = package if is_package else package[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer(name: str) -> str:
    if name == "drafttrack.__main__":  # ``python -m drafttrack`` runs the CLI
        return "drafttrack.cli"
    for prefix in ("drafttrack.cli", "drafttrack.service", "repo_store", "web"):
        if within(name, prefix):
            return prefix
    return "engine"


FORBIDDEN: dict[str, tuple[str, ...]] = {
    "engine": ("flask", "werkzeug", "git", "repo_store", "web", "drafttrack.service",
               "drafttrack.cli"),
    "drafttrack.service": ("click", "flask", "werkzeug", "web", "drafttrack.cli"),
    "repo_store": ("drafttrack", "flask", "werkzeug", "click", "web"),
    "web": ("drafttrack.cli", "click"),
    "drafttrack.cli": ("flask", "werkzeug"),
}  # fmt: skip


def breaks(name: str, imported: str) -> bool:
    """Whether module ``name`` may not import ``imported``."""
    if name in SHELLS_OF_WEB and (within(imported, "web") or within(imported, "flask")):
        return False
    if layer(name) == "drafttrack.cli" and within(imported, "web"):
        return True  # only serve and demo import the viewer
    return any(within(imported, rule) for rule in FORBIDDEN[layer(name)])


def violations() -> list[str]:
    """Every import that breaks a layer's rule, as "module imports name"."""
    return [
        f"{name} imports {imported}"
        for name, path in modules().items()
        for imported in sorted(imports_of(path, name))
        if breaks(name, imported)
    ]


def cycles() -> list[list[str]]:
    """Import cycles among the modules (each found once, as a path from a module to itself)."""
    known = modules()
    graph = {
        name: sorted({i for i in imports_of(path, name) if i in known and i != name})
        for name, path in known.items()
    }
    # a package's __init__ re-exporting its modules is not a cycle with them
    for name in graph:
        graph[name] = [i for i in graph[name] if not within(name, i)]
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)
    return found


def test_every_layer_imports_only_what_it_may() -> None:
    assert len(modules()) > 50
    assert violations() == []


def test_no_import_cycles() -> None:
    assert cycles() == []


def test_the_checks_see_a_bad_import(tmp_path: Path) -> None:
    """The rules catch what they are for: the viewer importing the CLI, the service importing
    click, the engine importing git, a command other than serve/demo importing the viewer."""
    cases = {
        "web.views.bad": "from drafttrack.cli.quote_cmd import quote_json\n",
        "drafttrack.service.bad": "import click\n",
        "drafttrack.bad": "from git import Repo\n",
        "drafttrack.cli.bad": "def f():\n    from web import create_app\n",
        "drafttrack.quote.bad": "from ..service import compare_versions\n",
    }
    for name, source in cases.items():
        path = tmp_path / "bad.py"
        path.write_text(source, "utf-8")
        assert any(breaks(name, i) for i in imports_of(path, name)), name
    assert not breaks("drafttrack.cli.web_cmds", "web")


# The engine's packages, lowest first: each may import the ones before it, never one after.

SEGMENT_NEVER = ("git", "flask", "werkzeug", "click", "sqlite3", "drafttrack.align",
                 "drafttrack.lineage", "drafttrack.segment_cache", "drafttrack.index_cache",
                 "drafttrack.trace", "drafttrack.phrase_search", "drafttrack.quote")  # fmt: skip
LINEAGE_NEVER = ("git", "flask", "werkzeug", "click", "sqlite3", "drafttrack.index_cache",
                 "drafttrack.trace", "drafttrack.phrase_search", "drafttrack.quote",
                 "drafttrack.history_flow")  # fmt: skip


def module_violations(name: str, path: Path, package: str, never: tuple[str, ...]) -> list[str]:
    """Imports of module ``name`` of ``package`` that break its rules: what it may ``never``
    import, and its own package (the ``__init__``, which imports the modules: modules of a
    package import each other directly)."""
    return [
        f"{name} imports {imported}"
        for imported in sorted(imports_of(path, name))
        if any(within(imported, rule) for rule in never) or (name != package == imported)
    ]


def package_violations(package: str, never: tuple[str, ...]) -> list[str]:
    return [
        found
        for name, path in modules().items()
        if within(name, package)
        for found in module_violations(name, path, package, never)
    ]


def test_segmentation_is_text_in_clauses_out() -> None:
    """``drafttrack/segment/`` reads texts into clauses: no git, Flask, click or SQLite, and
    nothing of what is built on clauses (alignment, lineages, caches, trace, quote)."""
    assert {n for n in modules() if within(n, "drafttrack.segment")} >= {
        "drafttrack.segment",
        "drafttrack.segment.walk",
        "drafttrack.segment.memo",
        "drafttrack.segment.relayout",
    }
    assert package_violations("drafttrack.segment", SEGMENT_NEVER) == []


def test_lineages_sit_on_segmentation_and_alignment_only() -> None:
    """``drafttrack/lineage/`` chains alignments: no git, Flask, click or SQLite (the cache is a
    protocol it is handed), and nothing built on lineages (caches, trace, quote, history)."""
    assert package_violations("drafttrack.lineage", LINEAGE_NEVER) == []


def test_the_package_rules_see_a_bad_import(tmp_path: Path) -> None:
    cases = {
        "drafttrack.segment.bad": ("from drafttrack.lineage import Run\n", SEGMENT_NEVER),
        "drafttrack.segment.own": ("from drafttrack.segment import BlockMemo\n", SEGMENT_NEVER),
        "drafttrack.lineage.bad": ("def f():\n    import sqlite3\n", LINEAGE_NEVER),
    }
    for name, (source, never) in cases.items():
        path = tmp_path / "bad.py"
        path.write_text(source, "utf-8")
        package = name.rsplit(".", 1)[0]
        assert module_violations(name, path, package, never), name
    path = tmp_path / "fine.py"
    path.write_text("from drafttrack.segment.memo import BlockMemo\n", "utf-8")
    assert (
        module_violations("drafttrack.segment.fine", path, "drafttrack.segment", SEGMENT_NEVER)
        == []
    )


MAX_LINES = 400
LONGER: dict[str, str] = {}
"""Modules allowed over ``MAX_LINES`` for now, each with why: this list only shrinks."""


def test_no_module_is_longer_than_the_limit() -> None:
    over = {
        str(path.relative_to(ROOT)): n
        for path in modules().values()
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert {p: n for p, n in over.items() if p not in LONGER} == {}
    assert set(LONGER) <= {str(p.relative_to(ROOT)) for p in modules().values()}


MAX_FUNCTION_LINES = 80


def long_functions(path: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Functions and methods of ``path`` longer than ``limit`` lines, from ``def`` to the last
    line of the body, docstring included (a click command's option decorators are not counted:
    they declare, they do not run), as "name: lines"."""
    tree = ast.parse(path.read_text("utf-8"))
    return [
        f"{node.name}: {n}"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (n := (node.end_lineno or node.lineno) - node.lineno + 1) > limit
    ]


def test_no_function_is_longer_than_the_limit() -> None:
    over = {
        str(path.relative_to(ROOT)): found
        for path in modules().values()
        if (found := long_functions(path))
    }
    assert over == {}


def test_the_size_check_sees_a_long_function(tmp_path: Path) -> None:
    path = tmp_path / "long.py"
    body = "".join(f"        x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    short = "def short():\n" + "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 1))
    path.write_text(f"{short}\n\nclass A:\n    def long(self):\n{body}", "utf-8")
    assert long_functions(path) == [f"long: {MAX_FUNCTION_LINES + 1}"]
