"""Turning stored answers into printable text, using only the checklist's definitions.

Labels come from the checklist (option labels, never raw values); fields whose enable-when does
not hold are dropped before anything is printed or scored. Pure functions: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..checklist.completeness import blank
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section

# Units printed without a space ("70%", "7/10").
_TIGHT_UNITS = ("%", "/10")


@dataclass(frozen=True)
class Line:
    """One answered question: its label and its value as text."""

    key: str
    label: str
    value: str
    long: bool = False  # free text: printed full width, after the short answers


@dataclass(frozen=True)
class Table:
    """Rows of a repeat group (or any list) as text cells. ``details`` holds, per row, the
    answers that are not columns ("Label: value" strings), printed under the row."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    details: tuple[tuple[str, ...], ...] = ()


def number(value: float | int) -> str:
    """A number as a clinician writes it: no trailing ``.0``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def format_value(field: Field, value: Any) -> str:
    """A stored value as text: option labels for choices, units for numbers."""
    if field.type == "choice":
        return field.option_label(value)
    if field.type == "multichoice":
        values = value if isinstance(value, list) else [value]
        return ", ".join(field.option_label(v) for v in values)
    if field.type == "boolean":
        return "Yes" if value else "No"
    if field.type in ("integer", "decimal") and isinstance(value, int | float) and not isinstance(value, bool):
        text = number(value)
        if field.unit:
            text += field.unit if field.unit in _TIGHT_UNITS else f" {field.unit}"
        return text
    return str(value)


def _prune_fields(fields: Iterable[Field], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers of the given fields that are applicable, repeated until stable (a hidden field
    cannot keep another one visible)."""
    kept = {f.key: answers[f.key] for f in fields if not blank(answers.get(f.key))}
    fields = tuple(fields)
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


def lines(fields: Iterable[Field], answers: Mapping[str, Any], skip: Iterable[str] = ()) -> tuple[Line, ...]:
    """Label/value lines for the answered fields (``answers`` already pruned), in checklist order."""
    skipped = set(skip)
    return tuple(
        Line(f.key, f.label, format_value(f, answers[f.key]), long=f.type == "textarea")
        for f in fields
        if f.key in answers and f.key not in skipped
    )


Column = str | tuple[str, ...]  # a field key, or several printed in one cell ("L5 · Left")


def group_table(
    group: RepeatGroup, rows: list[Mapping[str, Any]], columns: Iterable[Column] = (),
    headings: Mapping[str, str] | None = None,
) -> Table:
    """A table of a repeat group's rows: ``columns`` (field keys, or tuples of keys sharing a
    cell; the first few required short fields when none are given) as cells, every other answer
    as a detail line under the row. ``headings`` gives a column (by its first key) a heading of
    its own; otherwise the field labels are used, joined with " · "."""
    by_key = {f.key: f for f in group.fields}
    chosen = [keys for keys in (_keys(c) for c in columns) if keys and all(k in by_key for k in keys)] or [
        (f.key,) for f in group.fields if f.required and f.type not in ("text", "textarea")
    ][:5]
    in_cells = {key for keys in chosen for key in keys}
    detail_fields = [f for f in group.fields if f.key not in in_cells]

    def cell(row: Mapping[str, Any], keys: tuple[str, ...]) -> str:
        return " · ".join(format_value(by_key[k], row[k]) for k in keys if k in row) or "—"

    cells = tuple(tuple(cell(row, keys) for keys in chosen) for row in rows)
    details = tuple(
        tuple(f"{f.label}: {format_value(f, row[f.key])}" for f in detail_fields if f.key in row) for row in rows
    )
    names = headings or {}
    return Table(tuple(names.get(keys[0], " · ".join(by_key[k].label for k in keys)) for keys in chosen),
                 cells, details)


def _keys(column: Column) -> tuple[str, ...]:
    return (column,) if isinstance(column, str) else tuple(column)

