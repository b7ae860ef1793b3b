"""Psychosocial and lifestyle risk factors as pointers (reference 3.f).

Questionnaire flags, yellow flags, compensation/litigation, smoking and obesity point to
``nociplastic_psychosocial``: they amplify pain and predict a poor outcome; they do not explain it
away, and a structural cause must still be sought.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..instruments.common import fmt
from ..schema import Result
from ..sections.psychosocial import YELLOW_FLAGS
from ..sections.psychosocial import bmi
from ..sections.surgical_history import FUSION_PROCEDURES
from ..settings import ScoringSettings
from .base import Pointer
from .base import VisitData
from .base import rule

SUGGESTS = ("nociplastic_psychosocial",)
PHQ9_CUTOFF = 10  # >= 10: moderate depression, major depression likely (Kroenke 2010) [V]
GAD7_CUTOFF = 10  # >= 10: probable GAD (Spitzer 2006) [V]
BMI_OBESE = 30.0
_FLAG_LABELS = {opt.value: opt.label for opt in YELLOW_FLAGS}
_CLAIMS_IN_HISTORY = {"workers_comp": "workers' compensation", "litigation": "litigation",
                      "both": "workers' compensation and litigation"}


def _sub(result: Result, *names: str) -> float | None:
    """The first of these subscores that the result carries."""
    for name in names:
        value = result.subscores.get(name)
        if value is not None:
            return value
    return None


def questionnaire_flags(data: VisitData, settings: ScoringSettings) -> tuple[list[str], bool]:
    """Flagged psychosocial questionnaires in words, and whether any rests on an unverified
    threshold (the PCS boundary, FABQ-W > 34)."""
    found: list[str] = []
    unverified = False
    phq9 = data.result("phq9")
    if phq9 is not None and phq9.score is not None and phq9.score >= PHQ9_CUTOFF:
        found.append(f"PHQ-9 {fmt(phq9.score)} (>= {PHQ9_CUTOFF}: depression likely)")
    gad7 = data.result("gad7")
    if gad7 is not None and gad7.score is not None and gad7.score >= GAD7_CUTOFF:
        found.append(f"GAD-7 {fmt(gad7.score)} (>= {GAD7_CUTOFF}: probable anxiety disorder)")
    pcs = data.result("pcs")
    if pcs is not None and pcs.score is not None:
        limit = settings.pcs_threshold
        flagged = pcs.positive if pcs.positive is not None else (
            pcs.score >= limit if settings.pcs_inclusive else pcs.score > limit)
        if flagged:
            found.append(f"PCS {fmt(pcs.score)} (catastrophising, threshold {limit})")
            unverified = unverified or pcs.score == limit
    startback = data.result("startback")
    if startback is not None and startback.band == "high":
        found.append("STarT Back high risk (psychosocial subscale >= 4)")
    fabq = data.result("fabq")
    if fabq is not None:
        pa = _sub(fabq, "pa", "fabq_pa", "physical_activity")
        work = _sub(fabq, "w", "fabq_w", "work")
        if pa is not None and pa > settings.fabq_pa_above:
            found.append(f"FABQ-PA {fmt(pa)} (> {settings.fabq_pa_above})")
        if work is not None and work > settings.fabq_w_above:
            found.append(f"FABQ-W {fmt(work)} (> {settings.fabq_w_above})")
            unverified = True
    tsk = data.result("tsk")
    if tsk is not None and tsk.score is not None and (tsk.band == "high" or tsk.positive):
        found.append(f"TSK {fmt(tsk.score)} (high kinesiophobia)")
    return found, unverified


@rule
def questionnaires(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Depression, anxiety, catastrophising, fear-avoidance or STarT high risk."""
    found, unverified = questionnaire_flags(data, settings)
    if found:
        yield Pointer(
            rule="psychosocial.questionnaires",
            title="Psychological distress or fear-avoidance on questionnaires",
            suggests=SUGGESTS,
            reasons=tuple(found),
            source="PHQ-9 (Kroenke 2001), GAD-7 (Spitzer 2006), PCS (Sullivan 1995), FABQ (Waddell 1993), "
            "TSK (Woby 2005), STarT Back (Hill 2008); yellow flags (Nicholas et al., Phys Ther 2011)",
            unverified=unverified,
        )


def claims(data: VisitData) -> list[str]:
    """Compensation / litigation (recorded once, in the surgical-history summary)."""
    history = _CLAIMS_IN_HISTORY.get(data.get("surgical_history", "compensation_litigation"))
    return [history] if history else []


def recorded_yellow_flags(data: VisitData) -> list[str]:
    """Yellow flags recorded for the visit, in words: the checklist plus those implied by the
    work, family, expectation and compensation fields (each flag once)."""
    flags = [value for value in data.get("psychosocial", "yellow_flags", []) if value != "none"]
    implied = {
        "compensation_problems": bool(claims(data)),
        "work_problems": data.get("psychosocial", "occupational_stress") == "severe",
        "family_overprotective_unsupportive": data.get("psychosocial", "family_support")
        in ("over_protective", "unsupportive"),
        "passive_expectations": data.get("psychosocial", "expectations") == "passive_fix",
    }
    flags += [key for key, present in implied.items() if present and key not in flags]
    return [_FLAG_LABELS.get(flag, flag) for flag in flags]


@rule
def yellow_flags(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """One or more psychosocial yellow flags."""
    flags = recorded_yellow_flags(data)
    if flags:
        yield Pointer(
            rule="psychosocial.yellow_flags",
            title=f"{len(flags)} psychosocial yellow flag{'s' if len(flags) > 1 else ''}",
            suggests=SUGGESTS,
            reasons=tuple(flags),
            source="Kendall et al. 1997 (NZ yellow flags); Nicholas et al., Phys Ther 2011",
        )


@rule
def compensation(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Workers' compensation, a benefit claim or litigation."""
    found = claims(data)
    if found:
        yield Pointer(
            rule="psychosocial.compensation",
            title="Compensation or litigation",
            suggests=SUGGESTS,
            reasons=(
                "Compensation / litigation recorded: " + ", ".join(found),
                "Compensation is associated with an unsatisfactory surgical outcome (RR 2.12)",
            ),
            source="Meta-analysis of 31 studies, Spine J 2015;15(12):2564-2573",
        )


def _had_fusion(data: VisitData) -> bool:
    return any(row.get("procedure") in FUSION_PROCEDURES
               for row in data.rows("surgical_history", "operations"))


@rule
def smoking(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Current smoking: worse pain and disability; pseudarthrosis risk after fusion."""
    if data.get("psychosocial", "smoking") != "current":
        return
    reasons = ["Current smoker"]
    pack_years = data.get("psychosocial", "pack_years")
    if pack_years is not None:
        reasons[0] += f" ({fmt(float(pack_years))} pack-years)"
    reasons.append("Smoking predicts worse pain and disability and recurrent herniation")
    suggests: tuple[str, ...] = SUGGESTS
    if _had_fusion(data):
        reasons.append("After a fusion, smoking raises the risk of pseudarthrosis: check fusion "
                       "on CT")
        suggests = (*SUGGESTS, "pseudarthrosis_hardware")
    else:
        reasons.append("Smoking is also a risk factor for pseudarthrosis after any fusion")
    yield Pointer(
        rule="psychosocial.smoking",
        title="Current smoker",
        suggests=suggests,
        reasons=tuple(reasons),
        source="Prasarn et al. 2012; ISSLS textbook (smoking and recurrent herniation)",
    )


@rule
def obesity(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """BMI >= 30."""
    value = bmi(data.get("psychosocial", "height_cm"), data.get("psychosocial", "weight_kg"))
    if value is None or value < BMI_OBESE:
        return
    yield Pointer(
        rule="psychosocial.obesity",
        title="Obesity (BMI >= 30)",
        suggests=SUGGESTS,
        reasons=(
            f"BMI {value:.1f} kg/m2 (>= 30)",
            "Obesity is a risk factor for a poor outcome; BMI >= 30 was linked to reherniation "
            "in one study",
        ),
        source="Reherniation after discectomy and BMI >= 30 (single study; ISSLS textbook)",
    )
