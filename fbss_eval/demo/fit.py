"""Fitting generated answers to the checklist as it is: answer what the generator does not know
(an optional instrument, a section or required field added later) and drop what the checklist
refuses (a field renamed or removed since the generator was written)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from ..checklist.completeness import blank
from ..checklist.schema import Field
from ..checklist.schema import Section
from ..checklist.validate import clean_answers
from .scenarios import Answers
from .timeline import clamp


def _generic_value(rng: random.Random, spec: Field, level: float) -> Any:
    if spec.type == "choice" and spec.options:
        position = int(round(clamp(rng.gauss(level, 0.2), 0, 1) * (len(spec.options) - 1)))
        return spec.options[position].value
    if spec.type == "multichoice" and spec.options:
        return [spec.options[0].value]
    if spec.type in ("integer", "decimal"):
        low = spec.min if spec.min is not None else 0
        high = spec.max if spec.max is not None else low + 10
        value = low + (high - low) * clamp(rng.gauss(level, 0.15), 0, 1)
        return int(round(value)) if spec.type == "integer" else round(value, 1)
    if spec.type == "boolean":
        return rng.random() < 0.5
    if spec.type in ("text", "textarea"):
        return "Recorded."
    return None  # dates: left blank rather than invented


def generic_answers(rng: random.Random, fields: Iterable[Field], level: float) -> Answers:
    """Answers to the required and choice fields, placed by ``level`` along each field's range."""
    answers: Answers = {}
    for spec in fields:
        if spec.enabled(answers) and (spec.required or spec.type == "choice"):
            value = _generic_value(rng, spec, level)
            if value is not None:
                answers[spec.key] = value
    return answers


def fill_required(rng: random.Random, section: Section, answers: Answers, level: float) -> None:
    """Answer required, applicable top-level questions the scenario left blank (a field added to
    the checklist after this generator was written)."""
    for spec in section.fields():
        if spec.required and blank(answers.get(spec.key)) and spec.enabled(answers):
            value = _generic_value(rng, spec, level)
            if value is not None:
                answers[spec.key] = value


def fit(section: Section, answers: Answers) -> Answers:
    """The answers without anything the current checklist refuses (a field renamed or removed
    since this generator was written), so seeding never stops on a checklist change."""
    current: Answers = {k: v for k, v in answers.items()}
    for _ in range(5):
        _clean, errors = clean_answers(section, current)
        if not errors:
            return current
        for key in errors:
            _drop(section, current, key)
    return clean_answers(section, current)[0]


def _drop(section: Section, answers: Answers, error_key: str) -> None:
    if error_key in answers:
        answers.pop(error_key)
        return
    for group in section.groups():
        prefix = f"{group.key}-"
        if not error_key.startswith(prefix):
            continue
        number, _, name = error_key[len(prefix):].partition("-")
        rows = answers.get(group.key)
        if number.isdigit() and isinstance(rows, list) and int(number) < len(rows):
            if name:
                rows[int(number)] = {k: v for k, v in rows[int(number)].items() if k != name}
            else:
                rows.pop(int(number))
            return



def answers_fit(section: Section, answers: Mapping[str, Any]) -> dict[str, str]:
    """The validation errors of generated answers (for tests: empty when they fit)."""
    return clean_answers(section, answers)[1]
