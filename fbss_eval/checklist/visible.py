"""The answers that count: what was recorded, without blanks, keys the checklist does not know,
or fields (and repeat groups) whose enable-when does not hold.

Saving refuses hidden answers (``validate.clean_answers``), but stored data can still hold them
(legacy data, a direct database edit, a changed enable-when): everything that scores, shows or
prints answers reads them through ``visible_answers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from .completeness import blank
from .schema import Field
from .schema import Section


def _prune_fields(fields: Iterable[Field], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers of the given fields that are applicable, repeated until stable (a hidden field
    cannot keep another one visible)."""
    fields = tuple(fields)
    kept = {f.key: answers[f.key] for f in fields if not blank(answers.get(f.key))}
    while True:
        hidden = [f.key for f in fields if f.key in kept and not f.enabled(kept)]
        if not hidden:
            return kept
        for key in hidden:
            del kept[key]


def visible_answers(section: Section, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The section's answers without blanks, unknown keys and fields hidden by enable-when."""
    kept = _prune_fields(section.fields(), answers)
    for group in section.groups():
        rows = answers.get(group.key)
        if not isinstance(rows, list) or not group.enabled(kept):
            continue
        clean_rows = [_prune_fields(group.fields, row) for row in rows if isinstance(row, Mapping)]
        clean_rows = [row for row in clean_rows if row]
        if clean_rows:
            kept[group.key] = clean_rows
    return kept
