"""The vocabulary the checklist is written in: fields, repeat groups, sections, instruments.

Everything that shows or stores a clinical field (forms, validation, completeness, PDF, CSV, the
data dictionary) reads these definitions. No Flask import here: this package is plain data and
pure functions, testable without an app or a database.

Stored answers are JSON-friendly:
- ``integer`` -> int, ``decimal`` -> float, ``date`` -> ISO ``YYYY-MM-DD`` str,
- ``choice`` -> option value (str), ``multichoice`` -> list[str], ``boolean`` -> bool,
- ``text`` / ``textarea`` -> str,
- a repeat group -> list of row dicts (each row keyed by the group's field keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any
from typing import Literal

# Which answers of a section the visit summary prints: every one, or those of fields marked
# ``summary=True`` (the rest are counted on the page and printed in the full record).
SummaryMode = Literal["all", "marked"]

FieldType = Literal[
    "integer", "decimal", "text", "textarea", "date", "choice", "multichoice", "boolean"
]
Op = Literal["eq", "ne", "in", "not_in", "truthy", "falsy", "gte", "lte", "contains"]

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Option:
    """One allowed value of a choice field. ``score`` is the value an instrument sums."""

    value: str
    label: str
    score: int | float | None = None


@dataclass(frozen=True)
class EnableWhen:
    """A condition on another field of the same section (or the same repeat-group row).

    A field with several conditions is shown only when all of them hold.
    """

    field: str
    op: Op
    value: Any = None

    def holds(self, answers: Answers) -> bool:
        """True when the condition holds for these answers (missing answers never match)."""
        current = answers.get(self.field)
        if self.op == "truthy":
            return bool(current)
        if self.op == "falsy":
            return not current
        if current is None or current == "" or current == []:
            return self.op in ("ne", "not_in")
        if self.op == "eq":
            return bool(current == self.value)
        if self.op == "ne":
            return bool(current != self.value)
        if self.op == "in":
            return current in self.value
        if self.op == "not_in":
            return current not in self.value
        if self.op == "contains":
            return isinstance(current, list) and self.value in current
        if self.op in ("gte", "lte"):
            try:
                number = float(current)
            except (TypeError, ValueError):
                return False
            return bool(number >= self.value if self.op == "gte" else number <= self.value)
        raise ValueError(f"unknown operator {self.op!r}")


@dataclass(frozen=True)
class Field:
    """One question. ``required`` counts toward completeness; saving never requires it."""

    key: str
    label: str
    type: FieldType
    options: tuple[Option, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    required: bool = False
    hint: str | None = None
    enable_when: tuple[EnableWhen, ...] = ()
    allow_future: bool = False  # dates: a future date is refused unless this is set
    # How the visit report prints the answer (``fbss_eval.reports`` reads these, nothing else):
    summary: bool = False  # the visit summary prints it (when its section's ``summary`` is "marked")
    own_layout: bool = False  # printed by a layout of its own (header, headline, red-flag screen,
    # neurology grid, differential table), not among its section's "Label: value" lines
    key_fact: int | None = None  # its place (1 first) among the key facts under the summary's headline
    column: int | None = None  # in a repeat group: the table column (1, 2 ...) printing it; fields
    # sharing a number share the cell ("L5 · Left"); the other answers print under the row
    heading: str | None = None  # its column's heading, when shorter than the fields' labels joined

    def enabled(self, answers: Answers) -> bool:
        """True when every enable-when condition holds."""
        return all(cond.holds(answers) for cond in self.enable_when)

    def option(self, value: str) -> Option | None:
        """The option with this value, if any (a lookup table made once per field: every section
        page and validation asks for each answer's option)."""
        table: dict[str, Option] | None = self.__dict__.get("_options")
        if table is None:
            table = {}
            for opt in self.options:
                table.setdefault(opt.value, opt)  # the first of equal values, as a search finds
            object.__setattr__(self, "_options", table)
        return table.get(value)

    def option_label(self, value: Any) -> str:
        """The label of an option value (or the value itself when it is not an option)."""
        opt = self.option(value) if isinstance(value, str) else None
        return opt.label if opt else str(value)


@dataclass(frozen=True)
class RepeatGroup:
    """A list of rows (operations, imaging studies, blocks ...), each row a set of fields."""

    key: str
    label: str
    fields: tuple[Field, ...]
    min_rows: int = 0  # rows needed for the group to count as complete
    max_rows: int = 30
    hint: str | None = None
    row_label: str = "row"
    enable_when: tuple[EnableWhen, ...] = ()
    # How the visit report prints the rows (``fbss_eval.reports`` reads these, nothing else):
    own_layout: bool = False  # printed by a layout of its own (the blocks), not as a table
    summary_list: bool = False  # the summary prints one line an entry, led by its first column

    def enabled(self, answers: Answers) -> bool:
        """True when every enable-when condition holds."""
        return all(cond.holds(answers) for cond in self.enable_when)


Item = Field | RepeatGroup


@dataclass(frozen=True)
class Section:
    """One page of the workup.

    ``required`` sections must be complete (or marked not assessed) before a visit is signed.
    ``instrument`` names the instrument whose items this section captures, if any.
    ``group`` places the section in the navigation (e.g. several instruments under one heading).
    """

    key: str
    title: str
    items: tuple[Item, ...]
    required: bool = True
    description: str | None = None
    group: str | None = None
    instrument: str | None = None
    optional: bool = False  # off unless enabled in configuration (optional instruments)
    summary: SummaryMode = "all"  # which of its answers the visit summary prints

    def fields(self) -> tuple[Field, ...]:
        """Top-level fields (not those inside repeat groups); worked out once per section (a
        section is immutable; validation, forms and reports ask for them on every request)."""
        cached: tuple[Field, ...] | None = self.__dict__.get("_fields")
        if cached is None:
            cached = tuple(item for item in self.items if isinstance(item, Field))
            object.__setattr__(self, "_fields", cached)
        return cached

    def groups(self) -> tuple[RepeatGroup, ...]:
        """Repeat groups of the section (worked out once, as ``fields``)."""
        cached: tuple[RepeatGroup, ...] | None = self.__dict__.get("_groups")
        if cached is None:
            cached = tuple(item for item in self.items if isinstance(item, RepeatGroup))
            object.__setattr__(self, "_groups", cached)
        return cached

    def item(self, key: str) -> Item:
        """The field or group with this key (KeyError when absent)."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


# ---------------------------------------------------------------------------------------------
# Instruments
# ---------------------------------------------------------------------------------------------

Severity = Literal["critical", "warning", "info"]


@dataclass(frozen=True)
class Alert:
    """Something the clinician must see. ``must_acknowledge`` alerts block signing until
    acknowledged with the action taken. ``evidence`` names the answers that raised it."""

    kind: str
    severity: Severity
    message: str
    must_acknowledge: bool = False
    evidence: tuple[str, ...] = ()
    action: str | None = None  # what the reference advises doing


@dataclass(frozen=True)
class Result:
    """The outcome of scoring one instrument.

    ``score`` is None when the instrument cannot be scored (too many items missing); ``notes``
    then says why. ``subscores`` holds named sub-totals (may be None individually). ``band`` is a
    short machine key, ``band_label`` what the clinician reads.
    """

    instrument: str
    score: float | None
    band: str | None = None
    band_label: str | None = None
    n_answered: int = 0
    n_items: int = 0
    subscores: Mapping[str, float | None] = dc_field(default_factory=dict)
    alerts: tuple[Alert, ...] = ()
    notes: tuple[str, ...] = ()
    positive: bool | None = None  # for screening tools with a cut-off (DN4, painDETECT ...)

    @property
    def complete(self) -> bool:
        """True when every item was answered."""
        return self.n_items > 0 and self.n_answered == self.n_items
