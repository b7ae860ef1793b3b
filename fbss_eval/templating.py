"""Jinja filters and tests for the checklist pages."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Flask
from markupsafe import Markup

from .checklist.categories import CATEGORY_LABELS
from .checklist.schema import EnableWhen
from .checklist.schema import Section
from .field_html import checklist_field

# Which rule families belong beside which section.
RULES_BY_SECTION = {
    "surgical_history": ("timing.",),
    "imaging": ("imaging.",),
    "electrodiagnostics": ("electrodiagnostics.",),
    "blocks": ("blocks.",),
    "psychosocial": ("psychosocial.",),
    "treatments": ("rehabilitation.",),
    "dn4": ("neuropathic.",),
    "paindetect": ("neuropathic.",),
}
# Sections whose page shows computed values of their own (visits/_computed.html), besides those
# of an instrument and those with rules beside them.
COMPUTED_BESIDE = ("visit", "red_flags", "surgical_history", "blocks", "differential", "plan")


def shows_computed(section: Section) -> bool:
    """True when the section's page may show what was computed from the saved answers (scores,
    derived values, alerts, pointers, candidacy): only then does the page evaluate the visit."""
    return bool(section.instrument) or section.key in COMPUTED_BESIDE or section.key in RULES_BY_SECTION


def conditions_json(conditions: Iterable[EnableWhen]) -> Markup:
    """Enable-when conditions as JSON for the page script (HTML-attribute safe)."""
    payload = [{"field": c.field, "op": c.op, "value": _jsonable(c.value)} for c in conditions]
    text = json.dumps(payload).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("'", "\\u0027"))  # noqa: S704  # nosec B704  # JSON-escaped above


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | set | frozenset) else value


def score(value: float | int) -> str:
    """A score for display: integers as such, else one decimal."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def rule_of(rule: str, section_key: str) -> bool:
    """True when a pointer's rule belongs beside this section."""
    return rule.startswith(RULES_BY_SECTION.get(section_key, ("\0",)))


def init_app(app: Flask) -> None:
    """Register the filters and tests."""
    app.jinja_env.filters["conditions_json"] = conditions_json
    app.jinja_env.filters["score"] = score
    app.jinja_env.filters["category_label"] = lambda key: CATEGORY_LABELS.get(key, key)
    app.jinja_env.tests["rule_of"] = rule_of
    app.jinja_env.globals["checklist_field"] = checklist_field
