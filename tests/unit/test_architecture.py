"""The shape of the package, checked over its source with ``ast`` (no import of the app):

- the module import graph has no circle (module-level imports, including those under
  ``if TYPE_CHECKING:``: a circle there is still two modules that each need the other);
- no view module touches the database session, builds a query or commits: views parse, call a
  service inside ``unit_of_work()``, and render or redirect;
- no file is over ``MAX_LINES`` lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "fbss_eval"
MAX_LINES = 400

# Every module of the blueprints but their forms: views, and the helpers they render with.
VIEW_MODULES = sorted(
    p for blueprint in ("auth", "patients", "visits", "admin", "fhir") for p in (PACKAGE / blueprint).glob("*.py")
    if not p.name.startswith(("forms", "signing_forms", "__init__"))
)
# The names a view module may not use: the session, Flask-SQLAlchemy's lookups, query building.
FORBIDDEN_ATTRIBUTES = {
    ("db", "session"): "db.session",
    ("db", "get_or_404"): "db.get_or_404",
    ("db", "first_or_404"): "db.first_or_404",
    ("db", "one_or_404"): "db.one_or_404",
    ("db", "paginate"): "db.paginate",
    ("sa", "select"): "sa.select",
    ("sa", "update"): "sa.update",
    ("sa", "delete"): "sa.delete",
    ("sa", "insert"): "sa.insert",
}
FORBIDDEN_IMPORTS = {"sqlalchemy", "fbss_eval.extensions"}
FORBIDDEN_CALLS = {"commit", "rollback", "flush", "execute", "scalar", "scalars"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _module_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """Statements run at import: the top level and the bodies of top-level if/try blocks (which
    include ``if TYPE_CHECKING:``), never function or class bodies."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop(0)
        yield node
        if isinstance(node, ast.If):
            stack.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body])


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` imports at import time. ``from pkg import x`` counts
    as importing ``pkg.x`` when that is a module, else as importing ``pkg``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in _module_level(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, path.name == "__init__.py", node)
            for alias in node.names:
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source)
    return {name for name in found if name in MODULES and name != module}


def import_graph() -> dict[str, set[str]]:
    return {module: imports_of(module) for module in MODULES}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_circle() -> None:
    found = circles(import_graph())
    assert found == [], f"modules that import each other (directly or round a loop): {found}"


def test_the_circle_finder_sees_direct_and_longer_circles() -> None:
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}, "g": set()}
    assert sorted(circles(graph)) == [["a", "b"], ["c", "d", "e"]]


def test_relative_and_package_imports_are_resolved() -> None:
    # Literal facts about today's source, checked by reading it.
    assert "fbss_eval.checklist.instruments.odi" in imports_of("fbss_eval.checklist.instruments")  # from . import x
    assert "fbss_eval.checklist.schema" in imports_of("fbss_eval.checklist.versions")  # from . import x
    assert "fbss_eval.services.unit_of_work" in imports_of("fbss_eval.visits.views")  # from ..a.b import c
    assert "fbss_eval.models" in imports_of("fbss_eval.services.visits")  # from ..models import Visit
    assert "fbss_eval.models.visit" in imports_of("fbss_eval.models")  # from .visit import Visit


def database_uses(text: str, module: str) -> dict[str, list[str]]:
    """Every place a module's source reaches the database itself, by top-level function
    (``<module>`` for imports), as ``line: what``."""
    tree = ast.parse(text)
    found: dict[str, list[str]] = {}
    for top in tree.body:
        where = top.name if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else "<module>"
        for node in ast.walk(top):
            what = _database_use(node, module)
            if what:
                found.setdefault(where, []).append(f"{node.lineno}: {what}")
    return found


def _database_use(node: ast.AST, module: str) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if (node.value.id, node.attr) in FORBIDDEN_ATTRIBUTES:
            return FORBIDDEN_ATTRIBUTES[(node.value.id, node.attr)]
        if node.attr in FORBIDDEN_CALLS and node.value.id in {"db", "session", "sa"}:
            return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_CALLS and isinstance(node.value, ast.Attribute) \
            and node.value.attr == "session":
        return f"session.{node.attr}"
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        return f"import {', '.join(names)}" if names else None
    if isinstance(node, ast.ImportFrom):
        source = _resolve(module, False, node)
        if source.split(".")[0] == "sqlalchemy":
            return f"from {source} import ..."
        if source in FORBIDDEN_IMPORTS and any(a.name == "db" for a in node.names):
            return f"from {source} import db"  # (the limiter and the CSRF guard are for views)
    return None


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_reach_the_database_only_through_services(path: Path) -> None:
    found = database_uses(path.read_text(), module_name(path))
    assert found == {}, "a view queries or commits itself: move it into a service"


def test_the_view_check_notices_queries_commits_and_their_imports() -> None:
    text = ("from ..extensions import db\nimport sqlalchemy as sa\n"
            "def f():\n    db.session.commit()\n    return db.get_or_404(X, 1), sa.select(X)\n"
            "def g():\n    with unit_of_work():\n        service.save(x)\n")
    assert database_uses(text, "fbss_eval.visits.views") == {
        "<module>": ["1: from fbss_eval.extensions import db", "2: import sqlalchemy"],
        "f": ["4: session.commit", "4: db.session", "5: db.get_or_404", "5: sa.select"],
    }


def test_the_view_modules_are_found() -> None:
    names = {str(p.relative_to(PACKAGE)) for p in VIEW_MODULES}
    assert {"visits/views.py", "visits/pdf_views.py", "visits/context.py", "admin/views.py"} <= names


LIMITED_FILES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", LIMITED_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_file_is_over_the_line_limit(path: Path) -> None:
    n_lines = len(path.read_text().splitlines())
    assert n_lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {n_lines} lines (limit {MAX_LINES}): split it"
