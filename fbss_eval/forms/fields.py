"""Field classes with messages a clinician can act on."""

from __future__ import annotations

import math
from datetime import date
from datetime import datetime
from typing import Any

from wtforms import DateField
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
            self.data = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError("Enter a real date as YYYY-MM-DD (for example 2024-03-31).") from None

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(str(v) for v in self.raw_data)
        return self.data.isoformat() if isinstance(self.data, date) else ""


class WholeNumberField(IntegerField):
    """An integer; text that is not a whole number keeps what was typed and says why."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError:
            self.data = None
            raise ValueError("Enter a whole number, using digits only.") from None


class NumberField(FloatField):
    """A decimal number (a comma as decimal separator is accepted)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        try:
            number = float(str(valuelist[0]).strip().replace(",", "."))
        except ValueError:
            self.data = None
            raise ValueError("Enter a number, e.g. 72.5.") from None
        if not math.isfinite(number):
            self.data = None
            raise ValueError("Enter a number, e.g. 72.5.")
        self.data = number


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
        if any(str(value) not in allowed for value in self.data or []):
            raise ValidationError("Choose only from the options listed.")
