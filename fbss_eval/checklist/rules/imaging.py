"""Imaging findings -> pain-generator categories (clinical-reference.md 3.c, 3.e), and SIJ pain
after fusion to the sacrum (Katz 2003; Liliang 2011)."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..derived import parse_date
from ..sections.imaging import FINDINGS
from ..sections.imaging import MODALITIES
from ..settings import ScoringSettings
from .base import Pointer
from .base import VisitData
from .base import rule
from .timing import describe_operation
from .timing import fused_to_sacrum
from .timing import is_fusion
from .timing import last_operation_before

_FINDING_LABELS = {opt.value: opt.label for opt in FINDINGS}
_MODALITY_LABELS = {opt.value: opt.label for opt in MODALITIES}
SIJ_PROVOCATION_MIN = 3  # reference 3.e: >= 3 positive provocation tests
EARLY_POSTOP_DAYS = 28  # reference 3.c: acute changes resolve after about a month


@dataclass(frozen=True)
class FindingRule:
    """Imaging findings that point to the same categories."""

    key: str
    title: str
    findings: tuple[str, ...]
    suggests: tuple[str, ...]
    source: str
    unverified: bool = False


FINDING_RULES: tuple[FindingRule, ...] = (
    FindingRule(
        "imaging.recurrent_herniation",
        "Imaging shows a recurrent / residual disc",
        ("recurrent_herniation",),
        ("recurrent_herniation",),
        "Gd-MRI: non-enhancing disc +- rim (Hueftle et al., Radiology 1988;167:817-824)",
    ),
    FindingRule(
        "imaging.epidural_fibrosis",
        "Imaging shows epidural scar or arachnoiditis",
        ("enhancing_scar", "arachnoiditis"),
        ("epidural_fibrosis",),
        "Gd-MRI enhancing scar / clumped roots; the amount of scar does not correlate "
        "with sciatica (Annertz et al., Spine 1995)",
    ),
    FindingRule(
        "imaging.central_stenosis",
        "Imaging shows central stenosis",
        ("central_stenosis",),
        ("central_stenosis",),
        "MRI / CT (Waguespack et al., Pain Med 2002)",
    ),
    FindingRule(
        "imaging.foraminal_stenosis",
        "Imaging shows foraminal / lateral-recess stenosis",
        ("foraminal_stenosis",),
        ("foraminal_stenosis",),
        "MRI / CT (Waguespack et al., Pain Med 2002)",
    ),
    FindingRule(
        "imaging.adjacent_segment",
        "Imaging shows adjacent-segment degeneration",
        ("adjacent_degeneration",),
        ("adjacent_segment",),
        "MRI / CT (Waguespack et al., Pain Med 2002)",
    ),
    FindingRule(
        "imaging.discogenic",
        "Imaging shows a degenerate or torn disc",
        ("annular_tear", "modic", "disc_degeneration"),
        ("discogenic",),
        "MRI degeneration / Modic change / HIZ (Waguespack et al., Pain Med 2002)",
    ),
    FindingRule(
        "imaging.pseudarthrosis_hardware",
        "Imaging shows pseudarthrosis or hardware failure",
        ("pseudarthrosis", "hardware_loosening", "hardware_breakage"),
        ("pseudarthrosis_hardware",),
        "CT: no bridging bone, screw loosening / breakage (criteria UNVERIFIED)",
        unverified=True,
    ),
    FindingRule(
        "imaging.hardware_malposition",
        "Imaging shows hardware malposition",
        ("hardware_malposition",),
        ("hardware_malposition",),
        "CT screw breach (Waguespack et al., Pain Med 2002)",
    ),
    FindingRule(
        "imaging.instability",
        "Imaging shows instability",
        ("instability",),
        ("instability",),
        "Flexion-extension films: no validated threshold (Hipp et al. 2023, preprint)",
        unverified=True,
    ),
    FindingRule(
        "imaging.infection",
        "Imaging suggests infection: treat as a red flag",
        ("infection",),
        ("infection",),
        "Gd-MRI, bloods (NICE NG59; BMJ Best Practice)",
    ),
    FindingRule(
        "imaging.sagittal_imbalance",
        "Imaging shows sagittal imbalance",
        ("sagittal_imbalance",),
        ("sagittal_imbalance",),
        "Standing full-length spine radiograph (Sebaaly et al., Asian Spine J 2018)",
    ),
)


def describe_study(number: int, row: Mapping[str, Any]) -> str:
    """'Study 1 (2024-05-01, MRI with and without gadolinium)'."""
    modality = str(row.get("modality") or "")
    return (
        f"Study {number} ({row.get('date') or 'date not recorded'}, "
        f"{_MODALITY_LABELS.get(modality, modality or 'modality not recorded')})"
    )


def _caveats(row: Mapping[str, Any], findings: tuple[str, ...], data: VisitData) -> list[str]:
    notes: list[str] = []
    if {"recurrent_herniation", "enhancing_scar"} & set(findings) and row.get(
        "modality"
    ) != "mri_gd":
        notes.append(
            "Not a gadolinium MRI: scar and recurrent disc are best told apart with "
            "Gd-MRI (Hueftle 1988)"
        )
    studied = parse_date(row.get("date"))
    if studied is None:
        return notes
    previous = last_operation_before(data, studied)
    if previous is not None:
        number, operation, operated = previous
        if studied - operated < timedelta(days=EARLY_POSTOP_DAYS):
            notes.append(
                f"{(studied - operated).days} days after "
                f"{describe_operation(number, operation)}: the first weeks after "
                "surgery are hard to interpret"
            )
    return notes


def _fusion_context(data: VisitData) -> list[str]:
    """Fusions on record, with their number of levels (adjacent-segment risk grows with it)."""
    notes = []
    for number, row in enumerate(data.rows("surgical_history", "operations"), start=1):
        if not is_fusion(row):
            continue
        levels = row.get("n_levels")
        extent = f" of {levels} level(s)" if isinstance(levels, int) and levels > 0 else ""
        notes.append(
            f"{describe_operation(number, row)}: fusion{extent}; adjacent-segment risk "
            "grows with the number of fused levels"
        )
    return notes


@rule
def imaging_findings(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """One pointer per finding group, listing every study that reported it."""
    studies = data.rows("imaging", "studies")
    for fr in FINDING_RULES:
        reasons: list[str] = []
        for number, row in enumerate(studies, start=1):
            findings = row.get("findings") or []
            hits = tuple(f for f in fr.findings if f in findings)
            if not hits:
                continue
            words = ", ".join(_FINDING_LABELS[f].lower() for f in hits)
            reasons.append(f"{describe_study(number, row)}: {words}")
            reasons.extend(_caveats(row, hits, data))
        if reasons and fr.key == "imaging.adjacent_segment":
            reasons.extend(_fusion_context(data))
        if reasons:
            yield Pointer(
                rule=fr.key,
                title=fr.title,
                suggests=fr.suggests,
                reasons=tuple(reasons),
                source=fr.source,
                unverified=fr.unverified,
            )


@rule
def sij_after_fusion(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Fusion to the sacrum plus >= 3 positive SIJ provocation tests."""
    fused = [
        (n, row)
        for n, row in enumerate(data.rows("surgical_history", "operations"), 1)
        if fused_to_sacrum(row)
    ]
    positive = data.get("examination", "sij_provocation_positive")
    if not fused or isinstance(positive, bool) or not isinstance(positive, (int, float)):
        return
    if positive < SIJ_PROVOCATION_MIN:
        return
    reasons = [f"{describe_operation(n, row)}: fusion to the sacrum / pelvis" for n, row in fused]
    reasons.append(
        f"SIJ provocation tests positive: {int(positive)} of 5 "
        f"(>= {SIJ_PROVOCATION_MIN} supports SIJ pain)"
    )
    if data.get("examination", "sij_pain_pattern") == "yes":
        reasons.append("Unilateral pain below L5 / over the sacral sulcus")
    yield Pointer(
        rule="imaging.sij_after_fusion",
        title="SIJ pain after fusion to the sacrum",
        suggests=("sij",),
        reasons=tuple(reasons),
        source="Katz et al. 2003 (SIJ the cause in 32% after lumbosacral fusion); Liliang 2011; "
        "Pain Med 2011",
    )
