"""How complete a section is: required, applicable questions answered.

Saving never requires completeness (a partial section is a valid draft); signing does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .schema import Answers
from .schema import Field
from .schema import RepeatGroup
from .schema import Section


def blank(value: Any) -> bool:
    """True for an unanswered value (None, empty string, empty list)."""
    return value is None or value == "" or value == []


@dataclass(frozen=True)
class Progress:
    """``answered`` of ``required`` applicable questions; ``status`` empty/in_progress/complete."""

    answered: int
    required: int
    status: str

    @property
    def pct(self) -> int:
        """Percent complete (100 when nothing is required and something was answered)."""
        if self.required == 0:
            return 100 if self.status == "complete" else 0
        return round(100 * self.answered / self.required)


def _count_fields(fields: tuple[Field, ...], answers: Answers) -> tuple[int, int]:
    answered = required = 0
    for field in fields:
        if field.required and field.enabled(answers):
            required += 1
            answered += not blank(answers.get(field.key))
    return answered, required


def _count_group(group: RepeatGroup, answers: Answers) -> tuple[int, int]:
    rows = [row for row in answers.get(group.key) or [] if isinstance(row, Mapping)]
    answered = required = 0
    if group.min_rows:
        required += 1
        answered += len(rows) >= group.min_rows
    for row in rows:
        a, r = _count_fields(group.fields, row)
        answered, required = answered + a, required + r
    return answered, required


def has_any_answer(section: Section, answers: Answers) -> bool:
    """True when any question of the section holds a value."""
    return any(not blank(answers.get(item.key)) for item in section.items)


def progress(section: Section, answers: Answers) -> Progress:
    """Count the required, applicable questions of a section and how many are answered."""
    answered, required = _count_fields(section.fields(), answers)
    for group in section.groups():
        if group.enabled(answers):
            a, r = _count_group(group, answers)
            answered, required = answered + a, required + r
    if not has_any_answer(section, answers):
        status = "empty"
    elif answered >= required:
        status = "complete"
    else:
        status = "in_progress"
    return Progress(answered, required, status)


@dataclass(frozen=True)
class MissingItem:
    """A required, applicable question left blank. ``anchor`` is the id of its input on the section
    page (the form builder names inputs ``key``, and rows of a repeat group ``group-row-key``; a
    list with too few rows is its fieldset, ``group``)."""

    anchor: str
    label: str


def missing_items(section: Section, answers: Answers) -> list[MissingItem]:
    """The required, applicable questions of a section that are unanswered, in page order: the
    items ``progress`` counts as required and not answered."""
    out: list[MissingItem] = []
    for item in section.items:
        if isinstance(item, RepeatGroup):
            if not item.enabled(answers):
                continue
            rows = [row for row in answers.get(item.key) or [] if isinstance(row, Mapping)]
            if item.min_rows and len(rows) < item.min_rows:
                out.append(MissingItem(item.key, f"{item.label}: at least {item.min_rows} {item.row_label}"))
            for index, row in enumerate(rows):
                for spec in item.fields:
                    if spec.required and spec.enabled(row) and blank(row.get(spec.key)):
                        label = f"{item.row_label.capitalize()} {index + 1} — {spec.label}"
                        out.append(MissingItem(f"{item.key}-{index}-{spec.key}", label))
        elif item.required and item.enabled(answers) and blank(answers.get(item.key)):
            out.append(MissingItem(item.key, item.label))
    return out
