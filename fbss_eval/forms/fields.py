"""Field classes with messages a clinician can act on."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from wtforms import DateField


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
