"""A stored answer as a clinician reads it, from the checklist's own definitions: option labels
(never raw keys), units, numbers without a trailing ``.0``. The report, the conflict page and the
revision diff all print values through here."""

from __future__ import annotations

from typing import Any

from .schema import Field

# Units printed without a space ("70%", "7/10").
_TIGHT_UNITS = ("%", "/10")
# Units of time written in the plural, printed in the singular for exactly 1 ("1 week").
_SINGULAR = {"weeks": "week", "months": "month", "days": "day", "hours": "hour", "years": "year"}


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
            unit = _SINGULAR.get(field.unit, field.unit) if value == 1 else field.unit
            text += unit if unit in _TIGHT_UNITS else f" {unit}"
        return text
    return str(value)
