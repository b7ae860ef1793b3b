"""Candidacy reports: SCS (NICE TA159), biologic disc repair, revision surgery.

Not pointers: each function returns a report listing its criteria as met / unmet / unknown with
the evidence it used, so the clinician sees what is missing. The clinician's own answers in the
plan section win; otherwise the report reads the other sections (treatments, imaging, ...).
Sources: clinical-reference.md 3.g; design.md section 7 (biologic disc repair criteria).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from typing import Literal
from typing import NamedTuple

from ..options import LEVELS
from ..settings import ScoringSettings
from .base import VisitData
from .neuropathic import positive_screens
from .psychosocial import claims
from .rehabilitation import describe
from .rehabilitation import treatment_rows

Status = Literal["met", "unmet", "unknown"]
SCS_VAS_MIN_MM = 50  # NICE TA159 [V]
SCS_MIN_MONTHS = 6  # NICE TA159 [V]
SCS_TRIAL_SUCCESS_PCT = 50  # conventional [S]
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


def _join(parts: Iterable[str]) -> str:
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


# --- SCS (NICE TA159) ---------------------------------------------------------------------------

def _scs_neuropathic(data: VisitData, settings: ScoringSettings) -> Criterion:
    screens = positive_screens(data, settings)
    likely = [f"differential: {key.replace('_', ' ')} {data.get('differential', 'lh_' + key)}"
              for key in ("neuropathic_root", "epidural_fibrosis")
              if data.get("differential", "lh_" + key) in LIKELY]
    answer = data.get("plan", "scs_neuropathic_predominance")
    status = answer_status(answer)
    head = f"clinician: {answer}" if status else "clinician judgement not recorded"
    support = screens + likely or ["no positive neuropathic screen"]
    return Criterion("Chronic pain of predominantly neuropathic origin", status or "unknown",
                     _join([head, *support]))


def _scs_duration(data: VisitData) -> Criterion:
    name = f"Pain for >= {SCS_MIN_MONTHS} months despite conventional management"
    status = answer_status(data.get("plan", "scs_duration_6_months"))
    if status:
        return Criterion(name, status, f"clinician: {data.get('plan', 'scs_duration_6_months')}")
    months = as_number(data.get("visit", "pain_duration_months"))
    if months is None:
        return Criterion(name, "unknown", "pain duration not recorded")
    return Criterion(name, "met" if months >= SCS_MIN_MONTHS else "unmet",
                     f"current pain for {months:g} months (visit)")


def _scs_intensity(data: VisitData) -> Criterion:
    name = f"Pain >= {SCS_VAS_MIN_MM} mm on a 0-100 mm VAS"
    value = as_number(data.get("plan", "scs_vas_mm"))
    proxy = data.get("plan", "scs_pain_measure") == "nrs_proxy"
    if value is not None:
        status: Status = "met" if value >= SCS_VAS_MIN_MM else "unmet"
        if proxy:
            return Criterion(name, status, f"NRS x 10 = {value:g} (proxy: an NRS is not formally "
                             "equivalent to the VAS)", unverified=True)
        return Criterion(name, status, f"VAS {value:g} mm")
    nrs = [f"{where} NRS {data.get('visit', key)}/10"
           for where, key in (("back", "back_nrs_avg"), ("leg", "leg_nrs_avg"))
           if data.get("visit", key) is not None]
    return Criterion(name, "unknown", _join(["no VAS recorded", *nrs,
                                             "an NRS is not formally equivalent to the VAS"
                                             if nrs else ""]))


def _scs_tried(data: VisitData, key: str, what: str, categories: tuple[str, ...]) -> Criterion:
    name = f"Conventional management tried: {what}"
    answer = data.get("plan", key)
    rows = treatment_rows(data, categories)
    found = [describe(row) for row in rows]
    status = answer_status(answer)
    if status:
        since = data.get("plan", f"{key}_date")
        return Criterion(name, status, _join([f"clinician: {answer}"
                                              + (f" (from {since})" if since else ""), *found]))
    if found:
        return Criterion(name, "met", _join(found))
    if data.rows("treatments", "treatments"):
        return Criterion(name, "unmet", f"none among the treatments recorded ({what})")
    return Criterion(name, "unknown", "no treatments recorded")


def _scs_mdt(data: VisitData, today: date) -> Criterion:
    name = "Assessed by a specialist multidisciplinary team"
    review = as_date(data.get("plan", "scs_mdt_review_date"))
    if review is not None:
        if review <= today:
            return Criterion(name, "met", f"MDT review {review.isoformat()}")
        return Criterion(name, "unknown", f"MDT review scheduled for {review.isoformat()}")
    involvement = data.get("treatments", "mdt_involvement")
    if involvement in ("reviewed", "ongoing"):
        when = data.get("treatments", "mdt_date")
        return Criterion(name, "met", f"MDT involvement: {involvement}"
                         + (f" ({when})" if when else ""))
    if involvement == "none":
        return Criterion(name, "unmet", "no MDT involvement recorded")
    return Criterion(name, "unknown", f"MDT involvement: {involvement or 'not recorded'}")


_PSYCH_STATUS: dict[str, Status] = {
    "suitable": "met", "suitable_with_support": "met", "not_suitable": "unmet", "not_done": "unmet"
}


def _scs_psychology(data: VisitData) -> Criterion:
    name = "Psychological evaluation done and supportive"
    value = data.get("plan", "scs_psych_eval")
    when = data.get("plan", "scs_psych_eval_date")
    evidence = f"psychological evaluation: {value or 'not recorded'}" + (
        f" ({when})" if when else "")
    return Criterion(name, _PSYCH_STATUS.get(value or "", "unknown"), evidence)


def _scs_contraindications(data: VisitData, key: str, kind: str) -> Criterion:
    name = f"No {kind} contraindication"
    chosen = data.get("plan", key, [])
    present = [value.replace("_", " ") for value in chosen if value != "none"]
    if present:
        return Criterion(name, "unmet", f"{kind}: " + ", ".join(present))
    if "none" in chosen:
        return Criterion(name, "met", f"none recorded ({kind})")
    return Criterion(name, "unknown", f"{kind} contraindications not reviewed")


def _scs_trial(data: VisitData) -> Criterion:
    name = f"Successful trial of stimulation (>= {SCS_TRIAL_SUCCESS_PCT}% relief)"
    relief = as_number(data.get("plan", "scs_trial_relief_pct"))
    dates = [data.get("plan", "scs_trial_start"), data.get("plan", "scs_trial_end")]
    when = " to ".join(d for d in dates if d)
    function = data.get("plan", "scs_trial_function")
    extra = [f"trial {when}" if when else "", f"function: {function}" if function else ""]
    if relief is None:
        return Criterion(name, "unknown", _join(["trial relief not recorded", *extra]))
    status: Status = "met" if relief >= SCS_TRIAL_SUCCESS_PCT else "unmet"
    return Criterion(name, status, _join([f"{relief:g}% relief", *extra]))


def _scs_notes(data: VisitData) -> tuple[str, ...]:
    notes = ["SCS only after assessment by a specialist MDT experienced in chronic pain and SCS; "
             "not for ischaemic pain except in research (NICE TA159)",
             "Conventional medical management = drugs, physiotherapy and psychological support "
             "(NICE MTG41 resource)"]
    phq9 = data.result("phq9")
    if phq9 is not None and phq9.score is not None and phq9.score >= 20:
        notes.append(f"PHQ-9 {phq9.score:g} (severe): weigh 'unresolved major psychiatric "
                     "comorbidity'")
    if claims(data):
        notes.append("Compensation / litigation recorded: weigh 'unresolved secondary gain'")
    if [s for s in data.get("psychosocial", "substance_use", []) if s != "none"]:
        notes.append("Substance use recorded: weigh 'active untreated substance abuse'")
    return tuple(notes)


def scs_candidacy(
    data: VisitData, settings: ScoringSettings, today: date | None = None
) -> CandidacyReport:
    """SCS candidacy against NICE TA159 and the practice-parameter contraindications."""
    now = today or date.today()
    criteria = (
        _scs_neuropathic(data, settings),
        _scs_duration(data),
        _scs_intensity(data),
        _scs_tried(data, "scs_tried_drugs", "drugs", MEDICATIONS),
        _scs_tried(data, "scs_tried_physio", "physiotherapy", ("physiotherapy", "pain_programme")),
        _scs_tried(data, "scs_tried_psychology", "psychological support",
                   ("psychology_cbt", "pain_programme")),
        _scs_mdt(data, now),
        _scs_psychology(data),
        _scs_contraindications(data, "scs_absolute_ci", "absolute"),
        _scs_contraindications(data, "scs_relative_ci", "relative"),
        _scs_trial(data),
    )
    return CandidacyReport(
        title="Spinal cord stimulation candidacy (NICE TA159)",
        criteria=criteria,
        source="NICE TA159 (2008, static list); Neuromodulation Foundation SCS practice "
        "parameters; clinical-reference.md 3.g",
        notes=_scs_notes(data),
        unverified=any(c.unverified for c in criteria),
    )


# --- Biologic disc repair -----------------------------------------------------------------------

DISC_FINDINGS = ("annular_tear", "disc_degeneration", "modic", "adjacent_degeneration")
_ORDER = [opt.value for opt in LEVELS if opt.value != "pelvis"]


def _near(levels: Iterable[str], operated: set[str]) -> bool:
    """True when any level is an operated level or next to one."""
    index = {lvl: i for i, lvl in enumerate(_ORDER)}
    targets = {index[lvl] for lvl in operated if lvl in index}
    return any(abs(index[lvl] - t) <= 1 for lvl in levels if lvl in index for t in targets)


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


def _bdr_discogenic(data: VisitData) -> Criterion:
    name = "Persistent discogenic pain after >= 1 spinal surgery"
    answer = data.get("plan", "bdr_persistent_discogenic_pain")
    status = answer_status(answer)
    if status:
        return Criterion(name, status, f"clinician: {answer}")
    ops = n_operations(data)
    likelihood = data.get("differential", "lh_discogenic")
    evidence = _join([f"{ops} prior operation(s)" if ops is not None else "operations not "
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
        return Criterion(name, "met", _join([*near, ops]))
    if unplaced:
        return Criterion(name, "met", _join([*unplaced, "levels not compared with the operated "
                                             "levels"]))
    if far:
        return Criterion(name, "unmet", _join([*far, "not at or next to the " + (ops or
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
        return Criterion(name, "unknown", _join(["good response recorded: " + "; ".join(good),
                                                 "judge whether the response lasted"]))
    if evidence:
        return Criterion(name, "met", _join(evidence))
    return Criterion(name, "unknown", "no conservative care recorded")


def biologic_disc_repair_candidacy(data: VisitData, settings: ScoringSettings) -> CandidacyReport:
    """Biologic disc repair (intra-annular fibrin injection): the source article's criteria."""
    goal = data.get("plan", "bdr_goal_avoid_revision")
    notes = ["Criteria as named by the source article (design.md section 7); the evidence for "
             "intra-annular fibrin injection is not reviewed in clinical-reference.md"]
    structural = _structural_findings(data)
    if structural:
        notes.append("Structural lesion on imaging (" + ", ".join(structural) + "): see the "
                     "revision-surgery considerations")
    criteria = (
        _bdr_discogenic(data),
        _bdr_imaging(data),
        _bdr_conservative(data, settings),
        Criterion("Goal: avoid or delay revision surgery", answer_status(goal) or "unknown",
                  f"clinician: {goal}" if goal else "not recorded"),
    )
    return CandidacyReport(
        title="Biologic disc repair (intra-annular fibrin injection) candidacy",
        criteria=criteria,
        source="design.md section 7 (source article's candidacy criteria); UNVERIFIED",
        notes=tuple(notes),
        unverified=True,
    )


# --- Revision surgery ---------------------------------------------------------------------------

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


def _structural_findings(data: VisitData) -> list[str]:
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
        return Criterion(name, "met", _join([head, *likely]))
    given = [v for v in answered.values() if v and v != "not_assessed"]
    if given and all(v == "unlikely" for v in given):
        return Criterion(name, "unmet", "every structural cause rated unlikely")
    return Criterion(name, "unknown", "no structural cause rated probable or confirmed")


def revision_surgery_considerations(data: VisitData, settings: ScoringSettings) -> CandidacyReport:
    """Whether revision surgery is worth an opinion: a clear structural lesion concordant with
    symptoms, and absolute SCS contraindications that send the patient to surgery first."""
    findings = _structural_findings(data)
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
        notes.append("Fibrosis alone responds poorly to re-operation [S]")
    ops = n_operations(data)
    if ops and ops >= 2:
        notes.append(f"{ops} prior operations: outcomes of revision are less predictable")
    notes.append("SCS vs reoperation (North et al.): 39% vs 12% success (NICE TA159)")
    return CandidacyReport(
        title="Revision surgery considerations",
        criteria=(lesion, _concordance(data), surgery_first),
        source="clinical-reference.md 3.g (3) [S]; Neuromodulation Foundation practice "
        "parameters [S]",
        notes=tuple(notes),
    )
