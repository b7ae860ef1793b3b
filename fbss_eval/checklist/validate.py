"""Validation of stored answers (typed JSON) against the section definitions.

The web forms validate what a user typed; this validates what is about to be stored, whatever
its origin (a form, the demo seeder, an import), so the database never holds a value the
checklist does not define. Enable-when is enforced here too: data for a field that does not
apply is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from .completeness import blank
from .schema import Answers
from .schema import Field
from .schema import RepeatGroup
from .schema import Section

Errors = dict[str, str]


def check_value(field: Field, value: Any, today: date | None = None) -> str | None:
    """Why a typed value is not acceptable for this field, or None."""
    if blank(value):
        return None
    if field.type == "date":
        return _check_date(field, value, today or date.today())
    checker = _CHECKERS.get(field.type)
    return checker(field, value) if checker else f"Unknown field type {field.type!r}."


def _check_integer(field: Field, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "Enter a whole number."
    return _range(field, value)


def _check_decimal(field: Field, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "Enter a number."
    return _range(field, value)


def _check_text(field: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return "Enter text."
    limit = field.max_length or (5000 if field.type == "textarea" else 500)
    return f"Use at most {limit} characters." if len(value) > limit else None


def _check_boolean(field: Field, value: Any) -> str | None:
    return None if isinstance(value, bool) else "Answer yes or no."


def _check_choice(field: Field, value: Any) -> str | None:
    return None if isinstance(value, str) and field.option(value) else "Choose one of the options listed."


def _check_multichoice(field: Field, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and field.option(v) for v in value):
        return "Choose only from the options listed."
    return "Each option can be chosen once." if len(set(value)) != len(value) else None


_CHECKERS = {
    "integer": _check_integer,
    "decimal": _check_decimal,
    "text": _check_text,
    "textarea": _check_text,
    "boolean": _check_boolean,
    "choice": _check_choice,
    "multichoice": _check_multichoice,
}


def _range(field: Field, number: float) -> str | None:
    if field.min is not None and number < field.min:
        return f"Enter a value of at least {_fmt(field.min)}."
    if field.max is not None and number > field.max:
        return f"Enter a value of at most {_fmt(field.max)}."
    return None


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _check_date(field: Field, value: Any, today: date) -> str | None:
    if not isinstance(value, str):
        return "Enter a date as YYYY-MM-DD."
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return "Enter a real date as YYYY-MM-DD."
    if parsed > today and not field.allow_future:
        return "The date cannot be in the future."
    if parsed.year < 1900:
        return "Enter a date after 1900."
    return None


def _check_fields(fields: tuple[Field, ...], answers: Answers, prefix: str, errors: Errors) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    known = {field.key for field in fields}
    for key in answers:
        if key not in known:
            errors[f"{prefix}{key}"] = "This question is not part of the checklist."
    for field in fields:
        value = answers.get(field.key)
        if blank(value):
            continue
        if not field.enabled(answers):
            errors[f"{prefix}{field.key}"] = "This question does not apply given the other answers."
            continue
        problem = check_value(field, value)
        if problem:
            errors[f"{prefix}{field.key}"] = problem
        else:
            clean[field.key] = value
    return clean


def _check_group(group: RepeatGroup, rows: Any, answers: Answers, errors: Errors) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        errors[group.key] = "Expected a list of rows."
        return []
    if not group.enabled(answers):
        errors[group.key] = "This list does not apply given the other answers."
        return []
    if len(rows) > group.max_rows:
        errors[group.key] = f"At most {group.max_rows} rows."
    clean_rows = []
    for index, row in enumerate(rows[: group.max_rows]):
        if not isinstance(row, Mapping):
            errors[f"{group.key}-{index}"] = "Expected a row of answers."
            continue
        clean_row = _check_fields(group.fields, row, f"{group.key}-{index}-", errors)
        if clean_row:
            clean_rows.append(clean_row)
    return clean_rows


def clean_answers(section: Section, answers: Answers) -> tuple[dict[str, Any], Errors]:
    """The answers with blanks dropped, and the errors keyed like form field ids."""
    errors: Errors = {}
    fields = section.fields()
    group_keys = _group_keys(section)
    clean = _check_fields(fields, {k: v for k, v in answers.items() if k not in group_keys}, "", errors)
    for group in section.groups():
        rows = answers.get(group.key)
        if blank(rows):
            continue
        clean_rows = _check_group(group, rows, answers, errors)
        if clean_rows:
            clean[group.key] = clean_rows
    return clean, errors


def _group_keys(section: Section) -> set[str]:
    return {group.key for group in section.groups()}
