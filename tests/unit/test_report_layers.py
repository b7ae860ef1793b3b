"""The report package reads one way and the checklist says what it prints.

``fbss_eval.reports``: ``model`` <- ``format`` <- ``parts`` <- ``build`` (a module imports only
those before it), only ``build`` reaches the database (extensions, models, services), nothing
below ``reports`` imports it back, and no module is over 400 lines. The report attributes of the
checklist (``Field.summary``, ``column``, ``heading``, ``key_fact``; ``RepeatGroup.summary_list``)
are used where they mean something.
"""

from __future__ import annotations

import ast
from pathlib import Path

from fbss_eval.checklist import all_sections
from fbss_eval.checklist.instruments import INSTRUMENTS

PACKAGE = Path(__file__).resolve().parents[2] / "fbss_eval"
LAYERS = ("model", "format", "parts", "build")
DATABASE = ("extensions", "models", "services")


def _imports(path: Path) -> set[str]:
    """Modules a file imports, as dotted names relative to ``fbss_eval`` (``reports.model``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.parent.relative_to(PACKAGE).parts
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = (node.module or "").removeprefix("fbss_eval.") if (node.module or "").startswith(
                    "fbss_eval") else ""
            if name:
                out.add(name)
                out.update(f"{name}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name.removeprefix("fbss_eval.") for a in node.names if a.name.startswith("fbss_eval"))
    return out


def test_report_modules_import_one_way():
    for index, layer in enumerate(LAYERS):
        imported = _imports(PACKAGE / "reports" / f"{layer}.py")
        later = {f"reports.{name}" for name in LAYERS[index:]}
        assert not imported & later, f"reports.{layer} imports {sorted(imported & later)}"
        reaches_db = {name for name in imported if name.split(".")[0] in DATABASE}
        if layer != "build":
            assert not reaches_db, f"reports.{layer} reaches the database: {sorted(reaches_db)}"
    assert not _imports(PACKAGE / "reports" / "__init__.py")


def test_nothing_the_report_reads_imports_it_back():
    for folder in ("checklist", "services", "models"):
        for path in (PACKAGE / folder).rglob("*.py"):
            back = {name for name in _imports(path) if name.startswith(("reports", "pdf"))}
            assert not back, f"{path.relative_to(PACKAGE)} imports {sorted(back)}"


def test_no_report_module_is_over_400_lines():
    for path in (PACKAGE / "reports").glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


def test_report_attributes_are_used_where_they_mean_something():
    key_facts = []
    for section in all_sections(INSTRUMENTS.keys()):
        for field in section.fields():
            assert (field.column, field.heading) == (None, None), f"{section.key}.{field.key}: not in a group"
            assert not (field.summary and section.summary == "all"), f"{section.key}.{field.key}: summary in 'all'"
            if field.key_fact is not None:
                key_facts.append(field.key_fact)
        for group in section.groups():
            numbers = [f.column for f in group.fields if f.column is not None]
            assert sorted(set(numbers)) == list(range(1, len(set(numbers)) + 1)), f"{group.key}: columns 1, 2 ..."
            for field in group.fields:
                assert field.heading is None or field.column is not None, f"{group.key}.{field.key}: heading"
                assert (field.summary, field.key_fact) == (False, None), f"{group.key}.{field.key}: a row's field"
            assert not (group.own_layout and group.summary_list), group.key
    assert sorted(key_facts) == list(range(1, len(key_facts) + 1)), "key facts are numbered 1, 2 ..."
