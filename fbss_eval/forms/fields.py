"""Field classes with messages a clinician can act on."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from typing import Any

from wtforms import DateField
from wtforms import FieldList
from wtforms import FloatField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget


class IsoDateField(DateField):
    """A date typed or picked as YYYY-MM-DD; a bad value keeps what was typed and says why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        text = str(valuelist[0]).strip()
        try:
            # strptime would also take "2024-1-5" and digits of other scripts: only the exact shape.
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(text)
            self.data = date.fromisoformat(text)
        except ValueError:
            self.data = None
            raise ValueError("Enter a real date as YYYY-MM-DD (for example 2024-03-31).") from None

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(str(v) for v in self.raw_data)
        return self.data.isoformat() if isinstance(self.data, date) else ""


# Python's int() and float() also take "1_0" (as 10) and digits of other scripts ("٣" as 3): a
# number field takes ASCII digits only, so what is stored is what the clinician saw typed.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
# Longer than any value a range can allow; int() of thousands of digits is slow (and limited).
_MAX_DIGITS = 400
WHOLE_NUMBER_MESSAGE = "Enter a whole number, using the digits 0-9 only."
DECIMAL_MESSAGE = "Enter a number using the digits 0-9, e.g. 72.5."


class WholeNumberField(IntegerField):
    """An integer; text that is not a whole number keeps what was typed and says why. A number too
    large for any range is kept as a huge value so that the range check names the range."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        text = str(valuelist[0]).strip()
        if not _WHOLE.fullmatch(text):
            self.data = None
            raise ValueError(WHOLE_NUMBER_MESSAGE)
        digits = text.lstrip("+-").lstrip("0") or "0"
        sign = -1 if text.startswith("-") else 1
        self.data = sign * (10**_MAX_DIGITS if len(digits) > _MAX_DIGITS else int(digits))


class NumberField(FloatField):
    """A decimal number (a comma as decimal separator is accepted)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        text = str(valuelist[0]).strip()
        number = float(text.replace(",", ".")) if _DECIMAL.fullmatch(text) and len(text) <= _MAX_DIGITS else None
        if number is None or not math.isfinite(number):
            self.data = None
            raise ValueError(DECIMAL_MESSAGE)
        self.data = number


class Range:
    """``NumberRange`` without its ``math.isnan`` call, which raises OverflowError for an integer
    beyond the float range (a long pasted number): Python compares int and float exactly."""

    def __init__(self, low: float | None, high: float | None, message: str) -> None:
        self.low, self.high, self.message = low, high, message
        # As NumberRange does: the widget writes them as the input's min and max attributes.
        self.field_flags = {key: value for key, value in (("min", low), ("max", high)) if value is not None}

    def __call__(self, form: Any, field: Any) -> None:
        value = field.data
        if value is None:
            return
        if isinstance(value, float) and math.isnan(value):
            raise ValidationError(self.message)
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise ValidationError(self.message)


def row_index(text: str) -> int | None:
    """The row number in a posted name (``treatments-3-name`` -> 3): ASCII digits only, as
    ``str.isdigit`` also accepts "²" and "٣", which ``int`` then refuses or reads differently."""
    return int(text) if text.isascii() and text.isdigit() else None


class RowList(FieldList):
    """A repeat group's rows. Rows named with a non-ASCII number and rows beyond the maximum are
    refused with a message on the list, not dropped silently (WTForms keeps the first
    ``max_entries`` and ignores the rest)."""

    posted_rows = 0
    odd_indices = False

    def process(self, formdata: Any, *args: Any, **kwargs: Any) -> None:
        self.posted_rows, self.odd_indices = 0, False
        if formdata:
            heads = {key[len(self.name) + 1:].split("-", 1)[0] for key in formdata
                     if key.startswith(f"{self.name}-")}
            numbers = {row_index(head) for head in heads}
            self.odd_indices = None in numbers
            self.posted_rows = len(numbers - {None})
        super().process(formdata, *args, **kwargs)

    def _extract_indices(self, prefix: str, formdata: Any) -> Any:
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                number = row_index(key[offset:].split(self._field_separator, 1)[0])
                if number is not None:
                    yield number

    def validate(self, form: Any, extra_validators: Any = ()) -> bool:
        super().validate(form, extra_validators)
        if self.odd_indices:
            self.errors.append("Rows are numbered with the digits 0-9; a row with another number was refused.")
        if self.max_entries and self.posted_rows > self.max_entries:
            self.errors.append(f"At most {self.max_entries} rows can be saved; {self.posted_rows} were sent.")
        return not any(self.errors)


class _OptionalChoice:
    """Choice fields where no answer is allowed (drafts) but a forged value is refused."""

    def pre_validate(self, form: Any) -> None:
        if self.data in (None, ""):  # type: ignore[attr-defined]
            return
        allowed = {str(choice.value) for choice in self.choices if choice.value != ""}  # type: ignore[attr-defined]
        if str(self.data) not in allowed:  # type: ignore[attr-defined]
            raise ValidationError("Choose one of the options listed.")


class OptionalRadioField(_OptionalChoice, RadioField):
    """Radio buttons that may be left unanswered."""


class OptionalSelectField(_OptionalChoice, SelectField):
    """A drop-down that may be left at its blank choice."""


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; any posted value must be one of the options."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        allowed = {str(choice.value) for choice in self.choices}
        values = [str(value) for value in self.data or []]
        if any(value not in allowed for value in values):
            raise ValidationError("Choose only from the options listed.")
        if len(set(values)) != len(values):
            raise ValidationError("Each option can be chosen once.")


def control_character(text: str, allowed: str) -> str | None:
    """The first control character (Unicode category Cc) of ``text`` not in ``allowed``, or None."""
    return next((ch for ch in text if ch not in allowed and unicodedata.category(ch) == "Cc"), None)
