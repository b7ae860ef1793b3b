"""The rows of the CSV export, from plain database rows: one row a visit for visits.csv, one row an
entry for a repeat group's file.

Values are written as the visit shows them: option codes (their labels are in the dictionary),
several choices of a multichoice separated by spaces (as ODK does), booleans ``True``/``False``,
integers as integers, scores as on screen (``53.3``), text escaped against spreadsheet formulas.

The column layout is worked out once per export (``Layout``): each answer column's place and
the writer of its field's type, by section and field key. A visit's row starts empty and only
its answered fields are written into it, rather than every column asked of every visit.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..checklist.completeness import blank
from ..checklist.instruments import INSTRUMENTS
from ..checklist.instruments.common import fmt
from ..checklist.instruments.phq9 import ITEM9
from ..checklist.instruments.phq9 import ITEMS as PHQ9_ITEMS
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from ..checklist.visible import visible_answers
from ..models import SectionStatus
from .csv_cells import escape_text

Writer = Callable[[Any], str]
# A section's stored row as the export reads it: (answers, status).
Stored = tuple[Any, Any]
NOT_ASSESSED = SectionStatus.NOT_ASSESSED


def cell(spec: Field, value: Any) -> str:
    """One answer as its CSV cell (empty when unanswered)."""
    return "" if blank(value) else writer(spec)(value)


def _text(value: Any) -> str:
    return escape_text(value if type(value) is str else str(value))


def _boolean(value: Any) -> str:
    return "True" if value is True else "False" if value is False else escape_text(str(value))


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return escape_text(str(value))


def _multichoice(value: Any) -> str:
    if isinstance(value, list):
        return escape_text(" ".join(str(item) for item in value))
    return escape_text(str(value))


WRITERS: dict[str, Writer] = {"boolean": _boolean, "integer": _number, "decimal": _number,
                              "multichoice": _multichoice}


def writer(spec: Field) -> Writer:
    """How an answer of this field (not blank) is written as a cell."""
    return WRITERS.get(spec.type, _text)


def recorded(sections: Sequence[Section], rows: Mapping[str, Stored]) -> dict[str, dict[str, Any]]:
    """The answers as the visit shows them (``services.visits.recorded_answers`` on plain rows):
    the visible answers of each section of the visit's version that was not marked not assessed."""
    out: dict[str, dict[str, Any]] = {}
    for section in sections:
        stored = rows.get(section.key)
        if stored is not None and stored[1] != NOT_ASSESSED:
            out[section.key] = visible_answers(section, stored[0] or {})
    return out


@dataclass(frozen=True)
class Layout:
    """visits.csv's answer columns: ``width`` of them; ``places[section][field]`` the columns
    (index, writer) a field's answer goes into (a key listed twice fills both)."""

    width: int
    places: dict[str, dict[str, tuple[tuple[int, Writer], ...]]]

    @classmethod
    def of(cls, columns: Sequence[tuple[str, Field]]) -> Layout:
        places: dict[str, dict[str, tuple[tuple[int, Writer], ...]]] = {}
        for index, (section_key, spec) in enumerate(columns):
            keyed = places.setdefault(section_key, {})
            keyed[spec.key] = (*keyed.get(spec.key, ()), (index, writer(spec)))
        return cls(len(columns), places)

    def answer_cells(self, answers: Mapping[str, Mapping[str, Any]]) -> list[str]:
        """The answer columns of one visit's recorded answers (``recorded``: visible answers,
        none of them blank), empty where unanswered."""
        cells = [""] * self.width
        for section_key, values in answers.items():
            keyed = self.places.get(section_key)
            if not keyed:
                continue
            for key, value in values.items():
                for index, write in keyed.get(key, ()):
                    cells[index] = write(value)
        return cells


def score_cells(scores: Mapping[str, Any], phq9_answers: Mapping[str, Any]) -> list[str]:
    """Score, band, band label and positive of every instrument (the stored projection), and the
    PHQ-9 item 9 alert after PHQ-9's."""
    cells: list[str] = []
    for key in INSTRUMENTS:
        row = scores.get(key)
        if row is None:
            cells.extend(["", "", "", ""])
        else:
            cells.extend([
                "" if row.score is None else fmt(row.score), escape_text(row.band or ""),
                escape_text(row.band_label or ""), "" if row.positive is None else str(bool(row.positive)),
            ])
        if key == "phq9":
            cells.append(item9_alert_cell(phq9_answers))
    return cells


def item9_alert_cell(phq9_answers: Mapping[str, Any]) -> str:
    """``True`` when PHQ-9 item 9 is 1 or more (the critical alert), ``False`` at 0, else empty."""
    spec = next(spec for spec in PHQ9_ITEMS if spec.key == ITEM9)
    option = spec.option(str(phq9_answers.get(ITEM9))) if phq9_answers.get(ITEM9) is not None else None
    if option is None or option.score is None:
        return ""
    return str(option.score >= 1)


def group_rows(visit_id: int, answers: Mapping[str, Any], group: RepeatGroup,
               writers: Sequence[tuple[str, Writer]]) -> Iterator[list[str]]:
    """A repeat group's file rows of one visit's section answers (visible ones): the visit id,
    the row number from 1, then the group's fields (``writers``: key and writer of each)."""
    entries = answers.get(group.key)
    if not entries:
        return
    visit = str(visit_id)
    for number, entry in enumerate(entries, start=1):
        yield [visit, str(number), *("" if blank(value := entry.get(key)) else write(value) for key, write in writers)]
