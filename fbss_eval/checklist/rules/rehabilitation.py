"""Rehabilitation: was conservative care adequate, and what was tried (section ``treatments``).

Design.md section 7 names inadequate post-operative rehabilitation as a cause; reference 3.g lists
graded exercise / physiotherapy as first-line care. The 6-week minimum below is a working
convention, not a threshold from the reference, so pointers resting on it are marked unverified.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

from ..settings import ScoringSettings
from .base import Pointer
from .base import VisitData
from .base import rule

MIN_REHAB_WEEKS = 6  # UNVERIFIED working convention
REHAB_CATEGORIES = ("physiotherapy", "pain_programme")
CONSERVATIVE_CATEGORIES = (
    "physiotherapy", "chiropractic", "medication_nsaid", "medication_muscle_relaxant",
    "medication_neuropathic", "medication_opioid", "medication_other", "psychology_cbt",
    "pain_programme", "acupuncture",
)


def treatment_rows(data: VisitData, categories: tuple[str, ...]) -> list[Mapping[str, Any]]:
    """Rows of the treatments group whose category is one of ``categories``."""
    return [row for row in data.rows("treatments", "treatments")
            if row.get("category") in categories]


def describe(row: Mapping[str, Any]) -> str:
    """One treatment row in words, e.g. 'physiotherapy from 2024-03-01, 8 weeks, adherence
    good, response minimal (20% relief)'."""
    parts = [str(row.get("category") or "treatment").replace("_", " ")]
    if row.get("name"):
        parts[0] += f" ({row['name']})"
    if row.get("start_date"):
        parts[0] += f" from {row['start_date']}"
    if row.get("weeks") not in (None, ""):
        parts.append(f"{row['weeks']} weeks")
    if row.get("adherence"):
        parts.append(f"adherence {row['adherence']}")
    response = f"response {row['response']}" if row.get("response") else "response not recorded"
    if row.get("relief_pct") not in (None, ""):
        response += f" ({row['relief_pct']}% relief)"
    parts.append(response)
    return ", ".join(parts)


def conservative_care_tried(data: VisitData) -> list[str]:
    """Every conservative (non-interventional) treatment recorded, described in words."""
    return [describe(row) for row in treatment_rows(data, CONSERVATIVE_CATEGORIES)]


def _weeks(row: Mapping[str, Any]) -> float | None:
    try:
        return float(row["weeks"])
    except (KeyError, TypeError, ValueError):
        return None


@rule
def inadequate_rehab(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """No physiotherapy, a course shorter than 6 weeks, or poor adherence."""
    if not data.answers.get("treatments"):
        return  # the treatments page has not been filled in: nothing to say yet
    rehab = treatment_rows(data, REHAB_CATEGORIES)
    n_rows = len(data.rows("treatments", "treatments"))
    unverified = False
    if not rehab:
        reasons = [f"No physiotherapy or pain programme among {n_rows} treatment(s) recorded"]
    else:
        adherent = [row for row in rehab if row.get("adherence") != "poor"]
        known = [w for w in (_weeks(row) for row in adherent) if w is not None]
        if not adherent:
            reasons = [f"Poor adherence: {describe(row)}" for row in rehab]
        elif len(known) == len(adherent) and sum(known) < MIN_REHAB_WEEKS:
            total = sum(known)
            reasons = [f"Physiotherapy totalling {total:g} weeks (< {MIN_REHAB_WEEKS} weeks)"]
            reasons += [describe(row) for row in rehab]
            unverified = True
        else:
            return
    yield Pointer(
        rule="rehabilitation.inadequate_rehab",
        title="Rehabilitation may have been inadequate",
        suggests=("inadequate_rehab",),
        reasons=tuple(reasons),
        source="NICE NG59 (exercise, psychological therapy with exercise); van de Minkelis et al., Pain Pract 2024",
        unverified=unverified,
    )
