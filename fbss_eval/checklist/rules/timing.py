"""The timing heuristic of clinical-reference.md 3.b: what the course after the index operation
suggests. A teaching pattern, not a validated rule; the week cut-offs are UNVERIFIED and come
from ``ScoringSettings.timing_*``.

The index operation is the most recent one by date (rows without a date count only when no row
has one). When the operation rows do not give the pattern, the visit's ``pain_timing`` answer is
used instead, and the reason says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from datetime import date
from typing import Any

from ..derived import RELIEF
from ..derived import parse_date
from ..sections.surgical_history import DECOMPRESSIONS
from ..sections.surgical_history import FUSION_OR_REVISION
from ..sections.surgical_history import FUSION_PROCEDURES
from ..sections.surgical_history import PROCEDURES
from ..settings import ScoringSettings
from .base import Pointer
from .base import VisitData
from .base import rule

SOURCE = (
    "Timing heuristic (Sebaaly et al., Asian Spine J 2018; van de Minkelis et al. "
    "2024; Baber & Erdek 2016): a teaching pattern, not a validated rule"
)
_PROCEDURE_LABELS = {opt.value: opt.label for opt in PROCEDURES}
_FUSION_HARDWARE = ("pedicle_screws_rods", "interbody_cage")

Row = Mapping[str, Any]


def index_operation(data: VisitData) -> tuple[int, Row] | None:
    """(1-based row number, row) of the most recent operation by date; ties go to the later row.
    When no row has a valid date, the last row. None when there are no operations."""
    rows = data.rows("surgical_history", "operations")
    if not rows:
        return None
    dated = [(parse_date(row.get("date")), n, row) for n, row in enumerate(rows, start=1)]
    valid = [(when, n, row) for when, n, row in dated if when is not None]
    if not valid:
        return len(rows), rows[-1]
    _, number, row = max(valid, key=lambda item: (item[0], item[1]))
    return number, row


def last_operation_before(data: VisitData, when: date) -> tuple[int, Row, date] | None:
    """(row number, row, date) of the latest dated operation on or before ``when``."""
    rows = data.rows("surgical_history", "operations")
    dated = [
        (day, n)
        for n, row in enumerate(rows, start=1)
        if (day := parse_date(row.get("date"))) is not None and day <= when
    ]
    if not dated:
        return None
    day, number = max(dated)
    return number, rows[number - 1], day


def describe_operation(number: int, row: Row) -> str:
    """'Operation 2 (2024-03-02, Microdiscectomy)' for reasons."""
    parts = [str(row.get("date") or "date not recorded")]
    procedure = row.get("procedure")
    if procedure:
        parts.append(_PROCEDURE_LABELS.get(str(procedure), str(procedure)))
    return f"Operation {number} ({', '.join(parts)})"


def fused_to_sacrum(row: Row) -> bool:
    """True when a fusion (or revision) row records fusion to the sacrum / pelvis. The answer
    is ignored when the procedure no longer enables the field (a stale value)."""
    return row.get("procedure") in FUSION_OR_REVISION and row.get("fusion_to_sacrum") is True


def is_fusion(row: Row) -> bool:
    """True for a fusion, or a revision / other operation with fusion hardware or to the sacrum."""
    instrumentation = row.get("instrumentation") or []
    return (
        row.get("procedure") in FUSION_PROCEDURES
        or fused_to_sacrum(row)
        or any(item in instrumentation for item in _FUSION_HARDWARE)
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def weeks_to_recurrence(row: Row, data: VisitData) -> tuple[float, str] | None:
    """(weeks, how it was known): the weeks from the operation date to the onset of the current
    pain when both dates are known (computed, derived.py), else the pain-free interval recorded
    (an old visit's answer, or an operation whose date is unknown). None when neither is known."""
    operated = parse_date(row.get("date"))
    onset = parse_date(data.get("surgical_history", "current_pain_onset"))
    if operated is not None and onset is not None and onset >= operated:
        weeks = (onset - operated).days / 7
        return weeks, f"current pain began {_fmt(weeks)} weeks after the operation ({onset})"
    recorded = _number(row.get("pain_free_weeks"))
    if recorded is not None:
        return recorded, f"pain-free interval {_fmt(recorded)} weeks"
    return None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _visit_timing(data: VisitData) -> str | None:
    value = data.get("visit", "pain_timing")
    return str(value) if value else None


_VISIT_TIMING_WORDS = {
    "never_relieved": "never relieved by the last operation",
    "immediately_after": "new or worse immediately after the operation",
    "days_weeks": "returned within days to weeks",
    "weeks_months": "returned after weeks to months",
    "months_years": "returned months to years later",
}


def _visit_reason(value: str) -> str:
    return f"Visit: current pain {_VISIT_TIMING_WORDS.get(value, value)} (no operation dates used)"


@rule
def no_relief(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """No relief at all after the index operation: wrong diagnosis / level, or another
    generator than the one operated."""
    index = index_operation(data)
    outcome = index[1].get("immediate_outcome") if index else None
    reasons: list[str] = []
    if index and outcome == "unchanged":
        reasons.append(f"{describe_operation(*index)}: immediate outcome 'unchanged'")
    elif outcome is None and _visit_timing(data) == "never_relieved":
        reasons.append(_visit_reason("never_relieved"))
    if not reasons:
        return
    if data.get("visit", "pain_vs_preop") == "same":
        reasons.append("Current pain the same as before surgery")
    reasons.append("The success of a decompression is usually judged after about 3 months")
    yield Pointer(
        rule="timing.no_relief",
        title="No relief at all after the index operation",
        suggests=(
            "wrong_level",
            "recurrent_herniation",
            "foraminal_stenosis",
            "central_stenosis",
            "sij",
            "facet",
            "non_spinal",
        ),
        reasons=tuple(reasons),
        source=SOURCE + "; inappropriate procedure / technical failure (van de Minkelis 2024)",
    )


@rule
def immediately_worse(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Immediately worse, or a new deficit: root injury, screw malposition, haematoma."""
    index = index_operation(data)
    reasons: list[str] = []
    row: Row = index[1] if index else {}
    outcome = row.get("immediate_outcome")
    if index and outcome == "worse":
        reasons.append(f"{describe_operation(*index)}: immediate outcome 'worse'")
    if index and row.get("new_deficit") == "yes":
        reasons.append(f"{describe_operation(*index)}: new neurological deficit after surgery")
    if not reasons and outcome is None and _visit_timing(data) == "immediately_after":
        reasons.append(_visit_reason("immediately_after"))
    if not reasons:
        return
    suggests: tuple[str, ...] = ("neuropathic_root",)
    if is_fusion(row) or not row.get("procedure"):
        suggests += ("hardware_malposition",)
    reasons.append("Haematoma is an emergency if a deficit is progressing: red-flag screen")
    yield Pointer(
        rule="timing.immediately_worse",
        title="Immediately worse or new pain / deficit after the index operation",
        suggests=suggests,
        reasons=tuple(reasons),
        source=SOURCE + "; complications category (van de Minkelis 2024)",
    )


def _herniation_reason(weeks: float | None, settings: ScoringSettings) -> str:
    cut = settings.timing_true_recurrence_min_weeks
    if weeks is None:
        return f"Recurrent herniation: 'true' recurrence needs a pain-free interval >= {cut} weeks"
    if weeks >= cut:
        return f"Pain-free >= {cut} weeks: fits a true recurrent herniation"
    return f"Pain-free < {cut} weeks: a herniation would be residual / early recurrent"


@rule
def recurrence(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Relief, then recurrence: early (infection ...), gradual (fibrosis, recurrent disc) or
    late (adjacent segment, pseudarthrosis, stenosis, instability, SIJ, sagittal imbalance)."""
    index = index_operation(data)
    row: Row = index[1] if index else {}
    outcome = row.get("immediate_outcome")
    weeks: float | None = None
    reasons: list[str] = []
    if index and outcome in RELIEF:
        known = weeks_to_recurrence(row, data)
        if known is not None:
            weeks = known[0]
            reasons.append(
                f"{describe_operation(*index)}: immediate outcome '{outcome}', {known[1]}"
            )
    if weeks is not None:
        if weeks < settings.timing_early_recurrence_max_weeks:
            pattern = "early"
        elif weeks >= settings.timing_late_min_weeks:
            pattern = "late"
        elif weeks >= settings.timing_fibrosis_min_weeks:
            pattern = "gradual"
        else:
            return  # a gap between windows only when the settings leave one
    else:
        visit = _visit_timing(data)
        pattern_by_visit = {
            "days_weeks": "early",
            "weeks_months": "gradual",
            "months_years": "late",
        }
        if outcome not in (None, *RELIEF) or visit not in pattern_by_visit:
            return
        pattern = pattern_by_visit[visit]
        if index and outcome:
            reasons.append(f"{describe_operation(*index)}: immediate outcome '{outcome}'")
        reasons.append(_visit_reason(visit))
    yield _recurrence_pointer(pattern, weeks, row, reasons, settings)


def _recurrence_pointer(
    pattern: str, weeks: float | None, row: Row, reasons: list[str], settings: ScoringSettings
) -> Pointer:
    fusion = is_fusion(row)
    not_fused = row.get("procedure") in DECOMPRESSIONS and not fusion
    if pattern == "early":
        return Pointer(
            rule="timing.early_recurrence",
            title="Relief, then recurrence within days to weeks: red-flag screen first",
            suggests=("infection", "recurrent_herniation"),
            reasons=(
                *reasons,
                f"Window: < {settings.timing_early_recurrence_max_weeks} weeks",
                "Also consider haematoma and CSF leak / pseudomeningocele",
            ),
            source=SOURCE,
            unverified=True,
        )
    if pattern == "gradual":
        low, high = settings.timing_fibrosis_min_weeks, settings.timing_fibrosis_max_weeks
        window = (
            f"Within the classic {low}-{high} week window for epidural fibrosis"
            if weeks is None or weeks <= high
            else f"After {high} weeks but before {settings.timing_late_min_weeks} weeks"
        )
        extra = [window, "Arachnoiditis is also possible"]
        suggests: tuple[str, ...] = ("epidural_fibrosis",)
        if not fusion:
            suggests += ("recurrent_herniation",)
            extra.append(_herniation_reason(weeks, settings))
        return Pointer(
            rule="timing.gradual_recurrence",
            title="Relief, then gradual recurrence after weeks to months",
            suggests=suggests,
            reasons=(*reasons, *extra),
            source=SOURCE + "; Mattar et al. 2012 (recurrence after > 6 months pain-free)",
            unverified=True,
        )
    late: list[str] = []
    if fusion:
        late += [
            "adjacent_segment",
            "pseudarthrosis_hardware",
            "central_stenosis",
            "foraminal_stenosis",
            "sagittal_imbalance",
        ]
        if fused_to_sacrum(row):
            late.append("sij")
    elif not_fused:
        late += ["central_stenosis", "foraminal_stenosis", "instability", "recurrent_herniation"]
    else:
        late += [
            "adjacent_segment",
            "pseudarthrosis_hardware",
            "central_stenosis",
            "foraminal_stenosis",
            "instability",
            "sagittal_imbalance",
        ]
    extra = [f"Window: >= {settings.timing_late_min_weeks} weeks"]
    if fusion and fused_to_sacrum(row):
        extra.append("Fusion to the sacrum: SIJ pain (Katz 2003; Liliang 2011)")
    if "recurrent_herniation" in late:
        extra.append(_herniation_reason(weeks, settings))
    return Pointer(
        rule="timing.late_return",
        title="Pain returned months to years after the index operation",
        suggests=tuple(late),
        reasons=(*reasons, *extra),
        source=SOURCE + "; biomechanical sequelae (van de Minkelis 2024)",
        unverified=True,
    )
