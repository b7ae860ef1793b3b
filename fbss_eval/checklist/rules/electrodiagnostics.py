"""EMG / NCS findings -> pain-generator categories (clinical-reference.md 3.d, 3.e).

Paraspinal-only denervation after posterior surgery is not used: it is found in 96% of operated
patients for years and is of no diagnostic value.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

from ..derived import parse_date
from ..options import ROOTS
from ..settings import ScoringSettings
from .base import Pointer
from .base import VisitData
from .base import rule
from .timing import describe_operation
from .timing import last_operation_before

SOURCE = "EMG/NCS: Barr, Electrodiagnosis of lumbar radiculopathy; Spine Secrets (textbook)"
_ROOT_LABELS = {opt.value: opt.label for opt in ROOTS}
PRE_EXISTING_DAYS = 14  # first 10-14 post-op days: only pre-existing changes


def _describe(number: int, row: Mapping[str, Any]) -> str:
    roots = ", ".join(_ROOT_LABELS.get(r, str(r)) for r in row.get("roots") or [])
    where = f", {roots}" if roots else ""
    side = f" {row['side']}" if row.get("side") else ""
    return f"EMG/NCS {number} ({row.get('date') or 'date not recorded'}{where}{side})"


def _timing_caveat(row: Mapping[str, Any], data: VisitData) -> list[str]:
    studied = parse_date(row.get("date"))
    if studied is None:
        return []
    previous = last_operation_before(data, studied)
    if previous is None:
        return []
    number, operation, operated = previous
    days = (studied - operated).days
    if days < PRE_EXISTING_DAYS:
        note = (
            f"Done {days} days after {describe_operation(number, operation)}: in the first "
            "10-14 days EMG shows only pre-existing changes"
        )
        return [note]
    return []


@rule
def active_denervation(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Active denervation in limb muscles supports a root lesion (compression or injury)."""
    reasons: list[str] = []
    for number, row in enumerate(data.rows("electrodiagnostics", "studies"), start=1):
        if "active_denervation" not in (row.get("findings") or []):
            continue
        site = row.get("denervation_site")
        if site == "paraspinal_only":
            continue
        where = {
            "limb_myotomal": "in >= 2 limb muscles of the same root",
            "limb_proximal_distal": "in proximal and distal muscles of a myotome",
            "limb_single": "in one limb muscle only (weaker evidence)",
        }.get(str(site), "(site not recorded; paraspinal-only findings do not count)")
        reasons.append(f"{_describe(number, row)}: active denervation {where}")
        reasons.extend(_timing_caveat(row, data))
    if reasons:
        yield Pointer(
            rule="electrodiagnostics.active_denervation",
            title="EMG: active denervation (physiological radiculopathy)",
            suggests=("neuropathic_root",),
            reasons=(*reasons, "Root compression (stenosis, recurrent disc) or root injury"),
            source=SOURCE,
        )


@rule
def neuropathy_or_entrapment(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Peripheral neuropathy or an entrapment: a non-spinal mimic."""
    reasons: list[str] = []
    for number, row in enumerate(data.rows("electrodiagnostics", "studies"), start=1):
        findings = row.get("findings") or []
        if "peripheral_neuropathy" in findings:
            reasons.append(f"{_describe(number, row)}: peripheral neuropathy")
        if "entrapment" in findings:
            nerve = row.get("entrapment_nerve")
            reasons.append(
                f"{_describe(number, row)}: entrapment" + (f" ({nerve})" if nerve else "")
            )
    if reasons:
        yield Pointer(
            rule="electrodiagnostics.non_spinal",
            title="NCS: peripheral neuropathy or entrapment (non-spinal mimic)",
            suggests=("non_spinal",),
            reasons=tuple(reasons),
            source=SOURCE + "; Waguespack et al., Pain Med 2002 (non-spinal mimics)",
        )
