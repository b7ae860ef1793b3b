"""Biologic disc repair (intra-annular fibrin injection) candidacy: the source article's criteria."""

from __future__ import annotations

from collections.abc import Iterable

from ...options import LEVELS
from ...settings import ScoringSettings
from ..base import VisitData
from ..rehabilitation import describe
from ..rehabilitation import treatment_rows
from .common import LIKELY
from .common import MEDICATIONS
from .common import CandidacyReport
from .common import Criterion
from .common import answer_status
from .common import as_number
from .common import blocking_flags
from .common import join_evidence
from .common import n_operations
from .common import operated_levels
from .common import red_flag_criterion
from .revision import structural_findings

DISC_FINDINGS = ("annular_tear", "disc_degeneration", "modic", "adjacent_degeneration")
_ORDER = [opt.value for opt in LEVELS if opt.value != "pelvis"]


def _near(levels: Iterable[str], operated: set[str]) -> bool:
    """True when any level is an operated level or next to one."""
    index = {lvl: i for i, lvl in enumerate(_ORDER)}
    targets = {index[lvl] for lvl in operated if lvl in index}
    return any(abs(index[lvl] - t) <= 1 for lvl in levels if lvl in index for t in targets)




def _bdr_discogenic(data: VisitData) -> Criterion:
    name = "Persistent discogenic pain after >= 1 spinal surgery"
    answer = data.get("plan", "bdr_persistent_discogenic_pain")
    status = answer_status(answer)
    if status:
        return Criterion(name, status, f"clinician: {answer}")
    ops = n_operations(data)
    likelihood = data.get("differential", "lh_discogenic")
    evidence = join_evidence([f"{ops} prior operation(s)" if ops is not None else "operations not "
                      "recorded", f"differential: discogenic {likelihood or 'not assessed'}"])
    if ops == 0 or likelihood == "unlikely":
        return Criterion(name, "unmet", evidence)
    if ops and likelihood in LIKELY:
        return Criterion(name, "met", evidence)
    return Criterion(name, "unknown", evidence)


def _bdr_imaging(data: VisitData) -> Criterion:
    name = "Imaging: annular tear or disc degeneration at the operated or an adjacent level"
    answer = data.get("plan", "bdr_imaging_annular_tear")
    status = answer_status(answer)
    if status:
        return Criterion(name, status, f"clinician: {answer}")
    studies = data.rows("imaging", "studies")
    if not studies:
        return Criterion(name, "unknown", "no imaging recorded")
    operated = operated_levels(data)
    near, far, unplaced = [], [], []
    for row in studies:
        found = [f for f in row.get("findings") or [] if f in DISC_FINDINGS]
        if not found:
            continue
        levels = list(row.get("levels") or [])
        text = f"{row.get('modality') or 'study'} {row.get('date') or ''}: " + ", ".join(
            f.replace("_", " ") for f in found) + (f" at {', '.join(levels)}" if levels else "")
        if not levels or not operated:
            unplaced.append(text)
        elif _near(levels, operated):
            near.append(text)
        else:
            far.append(text)
    ops = f"operated levels {', '.join(sorted(operated))}" if operated else ""
    if near:
        return Criterion(name, "met", join_evidence([*near, ops]))
    if unplaced:
        return Criterion(name, "met", join_evidence([*unplaced, "levels not compared with the operated "
                                             "levels"]))
    if far:
        return Criterion(name, "unmet", join_evidence([*far, "not at or next to the " + (ops or
                                                                               "operated levels")]))
    return Criterion(name, "unmet", f"no annular tear or disc degeneration on {len(studies)} "
                     "imaging stud(ies)")


def _bdr_conservative(data: VisitData, settings: ScoringSettings) -> Criterion:
    name = "Inadequate response to physiotherapy, epidural steroids or other conservative care"
    answer = data.get("plan", "bdr_inadequate_conservative")
    status = answer_status(answer)
    if status:
        return Criterion(name, status, f"clinician: {answer}")
    rows = treatment_rows(data, ("physiotherapy", "chiropractic", "injection_epidural",
                                 "pain_programme", "acupuncture", *MEDICATIONS))
    evidence = [describe(row) for row in rows]
    good = [describe(row) for row in rows if row.get("response") == "good"]
    for block in data.rows("blocks", "blocks"):
        relief = as_number(block.get("relief_pct"))
        if block.get("type") == "esi" and relief is not None:
            evidence.append(f"epidural steroid injection {block.get('date') or ''}: "
                            f"{relief:g}% relief")
            if relief >= settings.esi_positive_pct:
                good.append(evidence[-1])
    if good:
        return Criterion(name, "unknown", join_evidence(["good response recorded: " + "; ".join(good),
                                                 "judge whether the response lasted"]))
    if evidence:
        return Criterion(name, "met", join_evidence(evidence))
    return Criterion(name, "unknown", "no conservative care recorded")


def biologic_disc_repair_candidacy(data: VisitData, settings: ScoringSettings,
                                   age_over_55: bool | None = None) -> CandidacyReport:
    """Biologic disc repair (intra-annular fibrin injection): the source article's criteria, and
    no red flag left unaddressed."""
    goal = data.get("plan", "bdr_goal_avoid_revision")
    notes = ["Criteria as named by a regenerative-spine clinic's overview of FBSS (not peer-reviewed); "
             "the evidence for intra-annular fibrin injection has not been reviewed for this checklist"]
    structural = structural_findings(data)
    if structural:
        notes.append("Structural lesion on imaging (" + ", ".join(structural) + "): see the "
                     "revision-surgery considerations")
    criteria = (
        red_flag_criterion(data, "address it before an intradiscal procedure", age_over_55),
        _bdr_discogenic(data),
        _bdr_imaging(data),
        _bdr_conservative(data, settings),
        Criterion("Goal: avoid or delay revision surgery", answer_status(goal) or "unknown",
                  f"clinician: {goal}" if goal else "not recorded"),
    )
    return CandidacyReport(
        title="Biologic disc repair (intra-annular fibrin injection) candidacy",
        criteria=criteria,
        source="Clinic overview of FBSS treatments (candidacy criteria, not peer-reviewed); UNVERIFIED",
        notes=tuple(notes),
        unverified=True,
        blocked_by=blocking_flags(data),
    )
