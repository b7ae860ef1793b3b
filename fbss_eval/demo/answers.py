"""The answers of one demo visit, section by section, consistent with the patient's scenario.

``generate_answers`` asks each section's maker for its answers: the history and patient-reported
sections are here; ``findings`` (examination, imaging, EMG, blocks), ``assessment`` (differential,
plan) and ``instruments`` hold the rest; ``fit`` answers sections (or required fields) the
generator does not know, such as an optional instrument or a field added to the checklist later.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from collections.abc import Iterable

from ..checklist.schema import Section
from ..checklist.sections.red_flags import SCREEN_KEYS
from .assessment import differential_section
from .assessment import plan_section
from .findings import blocks_section
from .findings import electrodiagnostics_section
from .findings import examination_section
from .findings import imaging_section
from .fit import fill_required
from .fit import generic_answers
from .instruments import instrument_section
from .scenarios import OCCUPATIONS
from .scenarios import SCENARIO_SYMPTOMS
from .scenarios import Answers
from .scenarios import Profile
from .scenarios import Scenario
from .scenarios import procedure_words
from .timeline import VisitInfo
from .timeline import clamp
from .timeline import level_at
from .timeline import months_between

SectionMaker = Callable[[random.Random, Profile, VisitInfo, Section, bool], Answers]


def _nrs(value: float) -> int:
    return int(round(clamp(value, 0, 10)))


def _pain_timing(outcome: str, pain_free: int | None) -> str:
    """The visit's "when did the pain begin" answer that fits the index operation's course."""
    if outcome == "unchanged":
        return "never_relieved"
    if outcome == "worse":
        return "immediately_after"
    if pain_free is not None and pain_free < 6:
        return "days_weeks"
    if pain_free is not None and pain_free < 26:
        return "weeks_months"
    return "months_years"


def _pain_areas(rng: random.Random, sc: Scenario) -> list[str]:
    areas = ["low_back"]
    if sc.leg_dominant or sc.radicular:
        areas += ["buttock", "thigh_posterior", "below_knee"] + (["foot"] if rng.random() < 0.5 else [])
    elif sc.key == "sij_after_fusion":
        areas += ["buttock", "groin"] + (["thigh_posterior"] if rng.random() < 0.5 else [])
    elif sc.key == "adjacent_segment":
        areas += ["buttock", "thigh_anterior"]
    elif rng.random() < 0.6:
        areas += ["buttock"]
    if sc.key == "nociplastic":
        areas += ["thoracic", "widespread"]
    return list(dict.fromkeys(areas))


def _symptoms(rng: random.Random, p: Profile) -> list[str]:
    sc = p.scenario
    symptoms = ["low_back_pain"]
    if sc.leg_dominant or sc.radicular:
        symptoms += ["leg_pain_sciatica", "tingling"] + (["numbness"] if rng.random() < 0.6 else [])
    if p.neuropathic:
        symptoms += ["burning"] + (["allodynia"] if rng.random() < 0.4 else [])
    return list(dict.fromkeys(symptoms + SCENARIO_SYMPTOMS.get(sc.key, [])))


def visit_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """The visit section: complaint, pain scores and distribution, timing, impact."""
    sc = p.scenario
    index = p.operations[-1]
    level = level_at(p, v, rng=rng)
    dominant = 3 + 6 * level
    other = dominant - rng.uniform(1, 4)
    leg, back = (dominant, other) if sc.leg_dominant else (other, dominant)
    leg_pct = rng.randrange(55, 90, 5) if sc.leg_dominant else rng.randrange(10, 50, 5)
    recall = rng.choices(("7d", "24h", "now"), weights=(70, 20, 10))[0]
    pain_free = index.row.get("pain_free_weeks")
    timing = _pain_timing(index.row["immediate_outcome"], pain_free)
    areas = _pain_areas(rng, sc)
    symptoms = _symptoms(rng, p)
    impact = ("none", "mild", "moderate", "severe")
    word = impact[min(3, int(level * 3.6))]
    side_word = {"left": "Left", "right": "Right", "bilateral": "Bilateral"}[p.side]
    answers: Answers = {
        "visit_date": v.date.isoformat(),
        "visit_type": v.kind,
        "chief_complaint": sc.complaint.format(
            side=side_word, side_lower=side_word.lower(), weeks=pain_free or 0,
            proc=procedure_words(index.row["procedure"]), segment=p.segment),
        "nrs_recall": recall,
        "back_nrs_now": _nrs(back + rng.uniform(-1, 1)),
        "leg_nrs_now": _nrs(leg + rng.uniform(-1, 1)),
        "pain_distribution": areas,
        "pain_side": p.side,
        "back_pct": 100 - leg_pct,
        "leg_pct": leg_pct,
        "pain_duration_months": months_between(p.onset, v.date),
        "pain_vs_preop": rng.choice(sc.pain_vs_preop),
        "pain_timing": timing,
        "symptoms": symptoms,
        "impact_work": "none" if p.work == "retired" and rng.random() < 0.5 else word,
        "impact_daily": word,
        "impact_relationships": impact[min(3, int((level + p.psych) * 1.6))],
        "emotional_fatigue": impact[min(3, int(p.psych * 3.9))],
        "fear_further_procedures": rng.choices(("no", "some", "marked"), weights=(40, 45, 15))[0],
        "veteran_service_injury": rng.choices(("no", "veteran", "service_injury", "unknown"),
                                              weights=(88, 6, 3, 3))[0],
    }
    if recall != "now":
        answers["back_nrs_avg"] = _nrs(back)
        answers["leg_nrs_avg"] = _nrs(leg)
    if rng.random() < 0.6:
        answers["patient_goals"] = rng.choice((
            "Walk the dog again without stopping.", "Return to work.", "Sleep through the night.",
            "Understand what is causing the pain.", "Play with the grandchildren.", "Avoid another operation."))
    if v.number and rng.random() < 0.5:
        answers["visit_notes"] = "Follow-up: " + ("better since the last visit." if v.drift < 0 else
                                                   "no better since the last visit.")
    return answers


def red_flags_section(rng: random.Random, p: Profile, v: VisitInfo, keys: Iterable[str]) -> Answers:
    """The red-flag screen: "no" except the patient's own flags (diabetes, drawn ones); age over
    55 is computed from the date of birth, not asked."""
    answers: Answers = {}
    for key in (k for k in keys if k in SCREEN_KEYS):
        if key == "rf_inf_diabetes":
            answers[key] = "yes" if p.diabetic else "no"
        else:
            answers[key] = p.red_flags.get(key, "no")
    if answers.get("rf_ces_bladder_bowel") == "yes" or answers.get("rf_ces_saddle") == "yes":
        answers["rf_pvr_ml"] = rng.randint(50, 350)
    positive = sorted(k for k, val in answers.items() if val == "yes" and k.startswith("rf_"))
    if positive:
        words = ", ".join(k[3:].replace("_", " ") for k in positive)
        answers["rf_notes"] = f"Discussed with the patient: {words}."
    return answers


def surgical_history_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """The operations done by the visit's date, and the history around them."""
    ops = [o for o in p.operations if o.when <= v.date]
    last = ops[-1].when
    answers: Answers = {
        "records_reviewed": p.records,
        "operations": [dict(o.row) for o in ops],
        "n_prior_operations": len(ops),
        "current_pain_onset": min(p.onset, v.date).isoformat(),
        "compensation_litigation": p.compensation,
        "opioids_before": p.opioids_before,
        "opioids_after": p.opioids_after,
    }
    if p.compensation in ("workers_comp", "litigation", "both"):
        answers["compensation_details"] = "Claim open since " + str(last.year + 1) + "."
    if len(ops) > 1:
        answers["history_notes"] = f"{len(ops)} lumbar operations; index operation {last.isoformat()}."
    return answers


def treatments_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """The treatments started by the visit's date, and the MDT's involvement."""
    rows = [dict(t.row) for t in p.treatments if t.when <= v.date]
    answers: Answers = {"mdt_involvement": p.mdt if p.mdt_date is None or p.mdt_date <= v.date else "referred"}
    if rows:
        answers["treatments"] = rows
    if answers["mdt_involvement"] in ("reviewed", "ongoing") and p.mdt_date is not None:
        answers["mdt_members"] = ["spine_surgeon", "pain_specialist", "physiotherapist"] + (
            ["psychologist"] if p.psych > 0.5 else [])
        answers["mdt_date"] = p.mdt_date.isoformat()
    answers["home_exercise"] = rng.choices(("regular", "irregular", "none"), weights=(35, 40, 25))[0]
    return answers


def psychosocial_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """Yellow flags, work, lifestyle and expectations, driven by the patient's distress."""
    flags = ["harmful_beliefs", "catastrophising", "fear_avoidance", "low_mood", "anxiety",
             "passive_expectations", "work_problems", "prior_sick_leave"]
    chosen = [f for f in flags if rng.random() < p.psych * 0.6]
    if p.compensation in ("workers_comp", "litigation", "both"):
        chosen.append("compensation_problems")
    answers: Answers = {
        "yellow_flags": chosen or ["none"],
        "work_status": p.work,
        "smoking": p.smoking,
        "height_cm": p.height,
        "weight_kg": p.weight,
        "alcohol_units_week": float(rng.choice((0, 0, 2, 4, 8, 12, 20))),
        "substance_use": ["cannabis"] if rng.random() < 0.1 else ["none"],
        "family_support": rng.choices(("supportive", "over_protective", "unsupportive", "none"),
                                      weights=(65, 12, 13, 10))[0],
        "expectations": rng.choice(("cure", "passive_fix", "pain_reduction", "function", "understanding")),
        "sleep_disturbance": ("none", "mild", "moderate", "severe")[min(3, int(level_at(p, v) * 3.5))],
        "sleep_hours": float(rng.choice((4, 5, 5.5, 6, 6.5, 7, 8))),
    }
    if p.work not in ("retired", "homemaker", "unemployed"):
        answers["occupation"] = rng.choice(OCCUPATIONS)
        answers["occupational_stress"] = rng.choice(("none", "mild", "moderate", "severe"))
    else:
        answers["occupational_stress"] = "not_applicable"
    if p.work in ("off_work_sick", "unemployed"):
        answers["off_work_weeks"] = rng.randint(4, 150)
    if p.smoking != "never" and p.pack_years is not None:
        answers["pack_years"] = p.pack_years
    if p.smoking == "current":
        answers["smoking_cessation_interest"] = rng.choice(("yes", "no", "unknown"))
    if answers["substance_use"] != ["none"]:
        answers["substance_details"] = "Occasional cannabis for sleep."
    if rng.random() < 0.4:
        answers["expectations_text"] = rng.choice(("I just want to be able to work.", "I need to know what is wrong.",
                                                   "Something must be done.", "Less pain at night."))
    return answers


def _field_keys(section: Section) -> list[str]:
    return [f.key for f in section.fields()]


SECTION_ANSWERS: dict[str, SectionMaker] = {
    "visit": lambda rng, p, v, section, final: visit_section(rng, p, v),
    "red_flags": lambda rng, p, v, section, final: red_flags_section(rng, p, v, _field_keys(section)),
    "surgical_history": lambda rng, p, v, section, final: surgical_history_section(rng, p, v),
    "examination": lambda rng, p, v, section, final: examination_section(rng, p, v, _field_keys(section)),
    "imaging": lambda rng, p, v, section, final: imaging_section(rng, p, v),
    "electrodiagnostics": lambda rng, p, v, section, final: electrodiagnostics_section(rng, p, v),
    "blocks": lambda rng, p, v, section, final: blocks_section(rng, p, v),
    "treatments": lambda rng, p, v, section, final: treatments_section(rng, p, v),
    "psychosocial": lambda rng, p, v, section, final: psychosocial_section(rng, p, v),
    "differential": lambda rng, p, v, section, final: differential_section(rng, p, v),
    "plan": lambda rng, p, v, section, final: plan_section(rng, p, v, final),
}


def generate_answers(rng: random.Random, p: Profile, v: VisitInfo, sections: Iterable[Section],
                     final: bool = False) -> dict[str, Answers]:
    """Every section's answers for one visit (before ``fit``)."""
    out: dict[str, Answers] = {}
    for section in sections:
        make = SECTION_ANSWERS.get(section.key)
        if make is not None:
            answers = make(rng, p, v, section, final)
        elif section.instrument:
            answers = instrument_section(rng, p, v, section)
        else:  # a section added to the checklist after this generator was written
            answers = generic_answers(rng, section.fields(), level_at(p, v))
        fill_required(rng, section, answers, level_at(p, v))
        out[section.key] = answers
    return out
