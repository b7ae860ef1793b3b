"""Revision surgery considerations: a clear structural lesion concordant with the symptoms, and
the absolute SCS contraindications that send a patient to surgery first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...settings import ScoringSettings
from ..base import VisitData
from .common import LIKELY
from .common import CandidacyReport
from .common import Criterion
from .common import blocking_flags
from .common import join_evidence
from .common import n_operations
from .common import red_flag_criterion

STRUCTURAL = {
    "recurrent_herniation": "decompression",
    "foraminal_stenosis": "decompression",
    "central_stenosis": "decompression",
    "adjacent_degeneration": "decompression / fusion extension",
    "instability": "fusion extension",
    "pseudarthrosis": "hardware replacement / revision fusion",
    "hardware_loosening": "hardware replacement",
    "hardware_breakage": "hardware replacement",
    "hardware_malposition": "hardware removal or replacement",
}
STRUCTURAL_CATEGORIES = ("recurrent_herniation", "foraminal_stenosis", "central_stenosis",
                         "adjacent_segment", "instability", "pseudarthrosis_hardware",
                         "hardware_malposition")
SURGERY_FIRST = ("surgical_compression_deficit", "gross_instability")


def structural_findings(data: VisitData) -> list[str]:
    """The structural lesions on imaging (each once, in the order found)."""
    found: list[str] = []
    for row in data.rows("imaging", "studies"):
        found += [f for f in row.get("findings") or [] if f in STRUCTURAL and f not in found]
    return found


def _concordance(data: VisitData) -> Criterion:
    name = "Lesion concordant with symptoms and examination"
    conclusion = data.get("differential", "working_conclusion")
    answered: Mapping[str, Any] = {c: data.get("differential", "lh_" + c)
                                   for c in STRUCTURAL_CATEGORIES}
    likely = [f"{c.replace('_', ' ')} {v}" for c, v in answered.items() if v in LIKELY]
    if conclusion == "structural_lesion_concordant" or likely:
        head = "working conclusion: concordant structural lesion" if conclusion == (
            "structural_lesion_concordant") else ""
        return Criterion(name, "met", join_evidence([head, *likely]))
    given = [v for v in answered.values() if v and v != "not_assessed"]
    if given and all(v == "unlikely" for v in given):
        return Criterion(name, "unmet", "every structural cause rated unlikely")
    return Criterion(name, "unknown", "no structural cause rated probable or confirmed")


def revision_surgery_considerations(data: VisitData, settings: ScoringSettings,
                                    age_over_55: bool | None = None) -> CandidacyReport:
    """Whether revision surgery is worth an opinion: a clear structural lesion concordant with
    symptoms, and absolute SCS contraindications that send the patient to surgery first."""
    findings = structural_findings(data)
    studies = data.rows("imaging", "studies")
    if findings:
        lesion = Criterion("Clear structural lesion on imaging", "met",
                           ", ".join(f.replace("_", " ") for f in findings))
    else:
        lesion = Criterion("Clear structural lesion on imaging",
                           "unmet" if studies else "unknown",
                           f"none on {len(studies)} stud(ies)" if studies else "no imaging")
    chosen = data.get("plan", "scs_absolute_ci", [])
    first = [c.replace("_", " ") for c in chosen if c in SURGERY_FIRST]
    surgery_first = Criterion(
        "Surgically amenable compression with serious deficit, or gross instability "
        "(absolute SCS contraindication: surgery first)",
        "met" if first else ("unmet" if chosen else "unknown"),
        ", ".join(first) if first else ("not recorded" if not chosen else "not present"),
    )
    notes = [f"{f.replace('_', ' ')} -> {STRUCTURAL[f]}" for f in findings]
    if not findings and any({"enhancing_scar", "arachnoiditis"} & set(row.get("findings") or [])
                            for row in studies):
        notes.append("Fibrosis alone responds poorly to re-operation")
    ops = n_operations(data)
    if ops and ops >= 2:
        notes.append(f"{ops} prior operations: outcomes of revision are less predictable")
    notes.append("SCS vs reoperation (North et al.): 39% vs 12% success (NICE TA159)")
    return CandidacyReport(
        title="Revision surgery considerations",
        criteria=(red_flag_criterion(data, "address it before elective revision surgery", age_over_55),
                  lesion, _concordance(data), surgery_first),
        source="van de Minkelis et al., Pain Pract 2024;24(7):919-936; Neuromodulation Foundation SCS "
        "practice parameters",
        notes=tuple(notes),
        blocked_by=blocking_flags(data),
    )
