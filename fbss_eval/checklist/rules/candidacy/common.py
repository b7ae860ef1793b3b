"""What the candidacy reports share: the criterion and report types, reading answers as
statuses, numbers and dates, and the surgical history every report looks at."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from typing import Literal
from typing import NamedTuple

from ...sections.red_flags import SCREEN_KEYS
from ..base import VisitData
from ..red_flags import raised_red_flags
from ..red_flags import red_flag_screen_complete
from ..red_flags import screen_answer
from ..red_flags import unaddressed_red_flags

Status = Literal["met", "unmet", "unknown"]
LIKELY = ("probable", "confirmed")
MEDICATIONS = (
    "medication_nsaid", "medication_muscle_relaxant", "medication_neuropathic",
    "medication_opioid", "medication_other",
)


class Criterion(NamedTuple):
    """One criterion: what it asks, whether it is met, and the evidence behind the status."""

    criterion: str
    status: Status
    evidence: str
    unverified: bool = False


@dataclass(frozen=True)
class CandidacyReport:
    """Criteria with their status; ``status`` is unmet if any is, met if all are."""

    title: str
    criteria: tuple[Criterion, ...]
    source: str
    notes: tuple[str, ...] = ()
    unverified: bool = False
    # The red flags that make it "not met until addressed" (each condition in a few words).
    blocked_by: tuple[str, ...] = ()

    @property
    def status(self) -> Status:
        """Overall: 'unmet' when any criterion is unmet, 'met' when all are, else 'unknown'."""
        statuses = {c.status for c in self.criteria}
        if "unmet" in statuses:
            return "unmet"
        return "met" if statuses == {"met"} else "unknown"

    def by_status(self, status: Status) -> tuple[Criterion, ...]:
        """The criteria with this status."""
        return tuple(c for c in self.criteria if c.status == status)


_ANSWER_STATUS: dict[str, Status] = {"yes": "met", "no": "unmet"}


def answer_status(value: Any) -> Status | None:
    """'yes' -> met, 'no' -> unmet; anything else (blank, 'unknown') -> None."""
    return _ANSWER_STATUS.get(value) if isinstance(value, str) else None


def join_evidence(parts: Iterable[str]) -> str:
    """The non-empty parts of a criterion's evidence, joined with semicolons."""
    return "; ".join(p for p in parts if p)


def as_number(value: Any) -> float | None:
    """A stored number as float; None when blank or not a number."""
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def as_date(value: Any) -> date | None:
    """A stored ISO date; None when blank or invalid."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None

def operated_levels(data: VisitData) -> set[str]:
    """Every level operated on, from the surgical history."""
    return {lvl for row in data.rows("surgical_history", "operations")
            for lvl in row.get("levels") or []}


def n_operations(data: VisitData) -> int | None:
    """Number of prior operations (summary field, else the rows); None when not recorded."""
    count = as_number(data.get("surgical_history", "n_prior_operations"))
    rows = len(data.rows("surgical_history", "operations"))
    if count is None:
        return rows or None
    return max(int(count), rows)


RED_FLAG_CRITERION = "No red flag left unaddressed"


def red_flag_criterion(data: VisitData, why: str, age_over_55: bool | None = None) -> Criterion:
    """Whether the red-flag screen leaves a raised red flag unaddressed: unmet (naming each, and
    what raised it) until the clinician records it as addressed; unknown while the screen is
    incomplete or holds 'unknown' items. ``why`` completes the criterion's name."""
    name = f"{RED_FLAG_CRITERION} ({why})"
    flags = unaddressed_red_flags(data)
    if flags:
        return Criterion(name, "unmet", "not met until addressed: " + "; ".join(
            f"{flag.condition.short} ({', '.join(flag.evidence)})" for flag in flags))
    addressed = [flag.condition.short for flag in raised_red_flags(data) if flag.addressed]
    done = f"addressed: {', '.join(addressed)}" if addressed else ""
    if not red_flag_screen_complete(data, age_over_55):
        missing = sum(1 for key in SCREEN_KEYS if screen_answer(data, key, age_over_55) is None)
        return Criterion(name, "unknown", join_evidence(
            [f"red-flag screen incomplete: {missing} item(s) unanswered", done]))
    unknown = sum(1 for key in SCREEN_KEYS if screen_answer(data, key, age_over_55) == "unknown")
    if unknown:
        return Criterion(name, "unknown", join_evidence([f"{unknown} red-flag item(s) unknown", done]))
    return Criterion(name, "met", done or "no red-flag feature answered yes")


def blocking_flags(data: VisitData) -> tuple[str, ...]:
    """The unaddressed red flags, each in a few words (a report's ``blocked_by``)."""
    return tuple(flag.condition.short for flag in unaddressed_red_flags(data))
