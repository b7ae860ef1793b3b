"""Turning stored answers into printable text, using only the checklist's definitions.

Labels come from the checklist (option labels, never raw values); which answers are lines, table
columns or summary lines comes from the fields' own attributes (``Field.summary``, ``column``,
``heading``, ``own_layout``). Pure functions: no Flask, no database. Imports ``model`` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from ..checklist.display import format_value as format_value
from ..checklist.display import number as number
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from .model import Line
from .model import Table

# A repeat group whose fields name no column shows its first few required short fields.
_DEFAULT_COLUMNS = 5


def lines(fields: Iterable[Field], answers: Mapping[str, Any]) -> tuple[Line, ...]:
    """Label/value lines for the answered fields (``answers`` already pruned), in checklist order."""
    return tuple(
        Line(f.key, f.label, format_value(f, answers[f.key]), long=f.type == "textarea", summary=f.summary)
        for f in fields
        if f.key in answers
    )


def section_lines(fields: Iterable[Field], answers: Mapping[str, Any]) -> tuple[Line, ...]:
    """The lines of a section: its answered fields but those printed by a layout of their own."""
    return lines((f for f in fields if not f.own_layout), answers)


def columns(group: RepeatGroup) -> list[tuple[Field, ...]]:
    """The table columns of a repeat group, in column order: the fields sharing each ``column``
    number (in checklist order); without any, the first few required short fields."""
    numbered: dict[int, list[Field]] = {}
    for f in group.fields:
        if f.column is not None:
            numbered.setdefault(f.column, []).append(f)
    if numbered:
        return [tuple(numbered[n]) for n in sorted(numbered)]
    short = [f for f in group.fields if f.required and f.type not in ("text", "textarea")]
    return [(f,) for f in short[:_DEFAULT_COLUMNS]]


def _heading(column: tuple[Field, ...]) -> str:
    return next((f.heading for f in column if f.heading), None) or " · ".join(f.label for f in column)


def group_table(group: RepeatGroup, rows: list[Mapping[str, Any]], *, listed: bool = False) -> Table:
    """A table of a repeat group's rows: its columns as cells, every other answer as a detail
    line under the row; ``listed`` when it is to be printed as a list of entries."""
    chosen = columns(group)
    in_cells = {f.key for column in chosen for f in column}
    detail_fields = [f for f in group.fields if f.key not in in_cells]

    def cell(row: Mapping[str, Any], column: tuple[Field, ...]) -> str:
        return " · ".join(format_value(f, row[f.key]) for f in column if f.key in row) or "—"

    cells = tuple(tuple(cell(row, column) for column in chosen) for row in rows)
    details = tuple(
        tuple(f"{f.label}: {format_value(f, row[f.key])}" for f in detail_fields if f.key in row) for row in rows
    )
    return Table(tuple(_heading(column) for column in chosen), cells, details, listed)
