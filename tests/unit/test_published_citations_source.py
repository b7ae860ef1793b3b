"""Issue 10, published citations only, at the source: no text the app can show (a string in the
checklist, the report, the PDF or a view; docstrings and comments excepted) names an internal
document, an evidence mark or a web site in place of a published source. The rendered pages
and PDFs are scanned too (tests/web/test_published_citations.py); this finds the texts a demo
visit does not happen to show (a rule's source that its findings did not trigger)."""

from __future__ import annotations

import ast
from pathlib import Path

from fbss_eval.checklist import all_sections
from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.sections.red_flags import CONDITIONS
from tests.web.test_published_citations import INTERNAL

PACKAGE = Path(__file__).resolve().parents[2] / "fbss_eval"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def test_no_string_the_app_can_show_cites_an_internal_document():
    found = []
    for folder in ("checklist", "reports", "pdf", "visits", "patients", "admin", "services"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docs = _docstrings(tree)
            found += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:80]}" for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                      and INTERNAL.search(node.value)]
    assert found == []


def test_no_template_text_cites_an_internal_document():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        visible = text
        while "{#" in visible and "#}" in visible:
            start = visible.index("{#")
            visible = visible[:start] + visible[visible.index("#}", start) + 2:]
        found += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in INTERNAL.finditer(visible)]
    assert found == []


def test_every_checklist_text_and_instrument_citation_is_published():
    texts = []
    for section in all_sections(INSTRUMENTS.keys()):
        texts += [section.title, section.description or ""]
        items = [*section.fields(), *(f for g in section.groups() for f in g.fields)]
        texts += [g.label for g in section.groups()] + [g.hint or "" for g in section.groups()]
        for field in items:
            texts += [field.label, field.hint or "", *(o.label for o in field.options)]
    for instrument in INSTRUMENTS.values():
        texts += [instrument.name, instrument.source, instrument.licence, instrument.description or "",
                  *instrument.unverified]
    texts += [c.source for c in CONDITIONS] + [c.action for c in CONDITIONS]
    assert [t for t in texts if INTERNAL.search(t)] == []
