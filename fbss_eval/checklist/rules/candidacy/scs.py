"""SCS candidacy (NICE TA159): each criterion met / unmet / unknown with its evidence."""

from __future__ import annotations

from datetime import date

from ...settings import ScoringSettings
from ..base import VisitData
from ..neuropathic import positive_screens
from ..psychosocial import claims
from ..rehabilitation import describe
from ..rehabilitation import treatment_rows
from .common import LIKELY
from .common import MEDICATIONS
from .common import CandidacyReport
from .common import Criterion
from .common import Status
from .common import answer_status
from .common import as_date
from .common import as_number
from .common import join_evidence

SCS_VAS_MIN_MM = 50  # NICE TA159 [V]
SCS_MIN_MONTHS = 6  # NICE TA159 [V]
SCS_TRIAL_SUCCESS_PCT = 50  # conventional [S]

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
                     join_evidence([head, *support]))


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
    return Criterion(name, "unknown", join_evidence(["no VAS recorded", *nrs,
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
        return Criterion(name, status, join_evidence([f"clinician: {answer}"
                                              + (f" (from {since})" if since else ""), *found]))
    if found:
        return Criterion(name, "met", join_evidence(found))
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
        return Criterion(name, "unknown", join_evidence(["trial relief not recorded", *extra]))
    status: Status = "met" if relief >= SCS_TRIAL_SUCCESS_PCT else "unmet"
    return Criterion(name, status, join_evidence([f"{relief:g}% relief", *extra]))


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
        "parameters",
        notes=_scs_notes(data),
        unverified=any(c.unverified for c in criteria),
    )
