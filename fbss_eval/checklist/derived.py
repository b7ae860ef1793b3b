"""Values derived from stored dates: computed on the visit date, never asked, never carried forward.

A follow-up visit carries the surgical history forward, but "months since the operation" or "age
over 55" would go stale if they were answers (24 months at the first visit is 30 six months
later). So they are not fields of the checklist: they are computed here, every time a visit is
evaluated, from the patient's date of birth, the operation dates of the surgical history, the
onset of the current pain and the visit date, and the pages show them as computed.

Rules read them through ``VisitData.derived`` (``rules/base.py``); ``evaluate`` computes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

DAYS_PER_MONTH = 30.4375  # 365.25 / 12
AGE_OVER = 55  # the red-flag lists' "age > 55" (fracture; new-onset pain and malignancy)
RELIEF = ("resolved", "improved")  # immediate outcomes after which a pain-free interval exists

# Red-flag screen items that are facts of the date of birth: computed, not asked.
AGE_OVER_55_ITEM = "rf_fx_age_over_55"


def parse_date(value: Any) -> date | None:
    """An ISO date string (or date) as a ``date``; None when blank or invalid."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def months_between(start: date, end: date) -> float:
    """Months from ``start`` to ``end`` (days / 30.4375), to one decimal."""
    return round((end - start).days / DAYS_PER_MONTH, 1)


def age_on(birth: date, on: date) -> int:
    """Completed years of age on a day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class OperationTiming:
    """One dated operation of the surgical history, and how long before the visit it was."""

    number: int  # 1-based row of the operations list
    date: date
    months_before: float


@dataclass(frozen=True)
class PainFreeInterval:
    """The interval from the most recent operation to the onset of the current pain."""

    number: int  # the operation's row
    operated: date
    onset: date

    @property
    def weeks(self) -> float:
        return round((self.onset - self.operated).days / 7, 1)

    @property
    def months(self) -> float:
        return months_between(self.operated, self.onset)


@dataclass(frozen=True)
class Derived:
    """Everything computed from the dates of one visit (None where a date is missing)."""

    visit_date: date | None = None
    birth_date: date | None = None
    operations: tuple[OperationTiming, ...] = ()
    pain_free: PainFreeInterval | None = None

    @property
    def age(self) -> int | None:
        """Age in completed years on the visit date."""
        if self.birth_date is None or self.visit_date is None:
            return None
        return age_on(self.birth_date, self.visit_date)

    @property
    def age_over_55(self) -> bool | None:
        """Age on the visit date over 55 (56 and older); None when unknown."""
        return None if self.age is None else self.age > AGE_OVER

    @property
    def last_operation(self) -> OperationTiming | None:
        """The most recent dated operation on or before the visit date (ties: the later row)."""
        return max(self.operations, key=lambda op: (op.date, op.number), default=None)

    @property
    def months_since_last(self) -> float | None:
        """Months from the last operation to the visit date."""
        last = self.last_operation
        return None if last is None else last.months_before

    def screen_answer(self, key: str) -> str | None:
        """The red-flag screen's answer to an item that is computed ("yes" / "no"), or None when
        the item is asked (or the date it needs is unknown)."""
        if key == AGE_OVER_55_ITEM and self.age_over_55 is not None:
            return "yes" if self.age_over_55 else "no"
        return None


def derive(
    answers: Mapping[str, Mapping[str, Any]], birth_date: date | None = None, visit_date: date | None = None
) -> Derived:
    """The values derived from a visit's dates: the visit date recorded in its answers (else
    ``visit_date``), the patient's date of birth, the operation dates and the onset of the
    current pain."""
    visit = parse_date((answers.get("visit") or {}).get("visit_date")) or visit_date
    history = answers.get("surgical_history") or {}
    rows = history.get("operations")
    rows = [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []
    operations = tuple(
        OperationTiming(n, day, months_between(day, visit))
        for n, row in enumerate(rows, start=1)
        if visit is not None and (day := parse_date(row.get("date"))) is not None and day <= visit
    )
    derived = Derived(visit_date=visit, birth_date=birth_date, operations=operations)
    last = derived.last_operation
    onset = parse_date(history.get("current_pain_onset"))
    if last is not None and onset is not None and last.date <= onset <= (visit or onset):
        if rows[last.number - 1].get("immediate_outcome") in RELIEF:
            derived = Derived(visit, birth_date, operations, PainFreeInterval(last.number, last.date, onset))
    return derived
