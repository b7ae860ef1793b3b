"""Answers for a complete visit, generated from the section definitions plus a few hand-written
sections whose content the PDF tests look for (operations, blocks, differential, plan).

Everything here passes ``checklist.validate.clean_answers``: the visits are built through
``services.visits.start_visit`` and ``save_section`` like the app builds them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from datetime import timedelta
from typing import Any

from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.checklist.validate import clean_answers

# Values the tests search for in the PDF text.
CHIEF_COMPLAINT = "Burning left leg pain since the second operation"
OPERATION_INDICATION = "L5-S1 disc herniation with left S1 radiculopathy"
REVISION_DETAILS = "Redo decompression and TLIF L5-S1"
BLOCK_NOTES = "Comparative block planned after this one"
PLAN_SUMMARY = "Trial of SCS after MDT review; graded activity meanwhile"
EVIDENCE_ROOT = "Concordant S1 dermatomal pain, positive SLR and DN4 4/10"
IMAGING_REPORT = "Enhancing scar around the left S1 root; no recurrent disc"

# The headline instruments of the visit, item by item (option values are the item scores), taken
# from the worked examples of the clinical reference so the expected scores can be checked by hand:
SCORED: dict[str, dict[str, str]] = {
    # ODI (reference 2.1): sections 2,3,2,1,3,2,2,1,2,2 -> 20/50 -> 40% moderate disability.
    "odi": {f"odi_{n}": str(s) for n, s in enumerate((2, 3, 2, 1, 3, 2, 2, 1, 2, 2), start=1)},
    # PHQ-9 (reference 2.4): 3,3,2,2,2,2,2,2,1 -> 19 moderately severe, item 9 >= 1 -> alert.
    "phq9": {f"phq9_{n}": str(s) for n, s in enumerate((3, 3, 2, 2, 2, 2, 2, 2, 1), start=1)},
    # GAD-7 (reference 2.5): 2,2,2,1,1,1,1 -> 10 moderate.
    "gad7": {f"gad7_{n}": str(s) for n, s in enumerate((2, 2, 2, 1, 1, 1, 1), start=1)},
    # DN4 (reference 2.6): interview Y,N,Y,Y,N,N,N (3) + exam Y,N,N (1) -> 4/10 positive.
    "dn4": {"dn4_exam_done": "yes"} | {f"dn4_{n}": str(s) for n, s in enumerate((1, 0, 1, 1, 0, 0, 0, 1, 0, 0),
                                                                                  start=1)},
    # painDETECT (reference 2.7): 3,3,2,2,1,3,2 (16), persistent with attacks (-1), radiating (+2) -> 17 unclear.
    "paindetect": {f"pd_{n}": str(s) for n, s in enumerate((3, 3, 2, 2, 1, 3, 2), start=1)}
    | {"pd_course": "persistent_attacks", "pd_radiating": "yes"},
}
# The earlier visit of the trend: the ODI only (reference 2.1 worked example: 4 x 9 and 5 -> 41/50
# -> 82% bed-bound or exaggerating), the other instruments generated.
EARLIER_SCORED: dict[str, dict[str, str]] = {
    "odi": {f"odi_{n}": str(s) for n, s in enumerate((4, 4, 4, 4, 4, 4, 4, 4, 4, 5), start=1)},
}


def _value(field: Field, rng: random.Random, today: date) -> Any:
    """A plausible value for one field."""
    if field.type == "choice":
        options = [o for o in field.options if o.value not in ("unknown", "not_assessed")] or list(field.options)
        return rng.choice(options).value
    if field.type == "multichoice":
        options = [o for o in field.options if o.value not in ("none", "unknown")] or list(field.options)
        return [o.value for o in rng.sample(options, k=min(2, len(options)))]
    if field.type in ("integer", "decimal"):
        low = field.min if field.min is not None else 0
        high = field.max if field.max is not None else low + 20
        number = rng.randint(int(low), int(min(high, low + 12)))
        return number if field.type == "integer" else float(number) + 0.5 if number + 0.5 <= high else float(number)
    if field.type == "date":
        return (today - timedelta(days=rng.randint(30, 900))).isoformat()
    if field.type == "boolean":
        return True
    text = f"Sample {field.label.lower()}"
    return text[: field.max_length or 200]


def _fill(fields: tuple[Field, ...], rng: random.Random, today: date, preset: Mapping[str, Any] = ()) -> dict[str, Any]:
    """Values for every field whose enable-when holds (repeated until stable)."""
    answers: dict[str, Any] = dict(preset)
    for field in fields:
        if field.key not in answers and field.enabled(answers):
            answers[field.key] = _value(field, rng, today)
    changed = True
    while changed:
        changed = False
        for field in fields:
            if field.key in answers and not field.enabled(answers):
                del answers[field.key]
                changed = True
    return answers


def generated_answers(section: Section, rng: random.Random, today: date) -> dict[str, Any]:
    """Every applicable field of a section filled; repeat groups get two rows."""
    answers = _fill(section.fields(), rng, today)
    for group in section.groups():
        if group.enabled(answers):
            answers[group.key] = [_fill(group.fields, rng, today) for _ in range(2)]
    return answers


def _red_flags(section: Section) -> dict[str, Any]:
    answers: dict[str, Any] = {f.key: "no" for f in section.fields() if f.type == "choice"}
    if "rf_fx_age_over_55" in answers:  # asked by 2026.11.1; computed from the date of birth since
        answers["rf_fx_age_over_55"] = "unknown"
    answers["rf_inf_diabetes"] = "yes"  # a risk factor alone: an infection warning
    answers["rf_notes"] = "Diabetes well controlled; no fever, wound healed"
    return answers


def hand_written(visit_date: date) -> dict[str, dict[str, Any]]:
    """Sections written by hand, so the tests know what to look for."""
    return {
        "visit": {
            "visit_date": visit_date.isoformat(),
            "visit_type": "follow_up",
            "chief_complaint": CHIEF_COMPLAINT,
            "nrs_recall": "7d",
            "back_nrs_now": 4, "back_nrs_avg": 5, "leg_nrs_now": 7, "leg_nrs_avg": 8,
            "pain_distribution": ["buttock", "thigh_posterior", "below_knee"],
            "pain_side": "left", "back_pct": 30, "leg_pct": 70, "pain_duration_months": 20,
            "pain_vs_preop": "different", "pain_timing": "weeks_months",
            "symptoms": ["leg_pain_sciatica", "burning", "numbness"],
            "impact_work": "severe", "impact_daily": "moderate", "impact_relationships": "mild",
            "emotional_fatigue": "moderate", "fear_further_procedures": "some",
            "veteran_service_injury": "no",
            "patient_goals": "Walk the dog for 30 minutes",
        },
        "surgical_history": {
            "records_reviewed": "full",
            "operations": [
                {"date": "2021-03-02", "centre_surgeon": "City Hospital", "indication": OPERATION_INDICATION,
                 "procedure": "microdiscectomy", "levels": ["L5", "S1"], "side": "left", "approach": "posterior",
                 "instrumentation": ["none"], "complications": ["none"], "immediate_outcome": "improved",
                 "new_deficit": "no", "pain_free_weeks": 30},
                {"date": "2023-01-10", "indication": "Recurrent herniation L5-S1", "procedure": "revision",
                 "procedure_details": REVISION_DETAILS, "levels": ["L5", "S1"], "side": "left",
                 "approach": "posterior", "instrumentation": ["pedicle_screws_rods", "interbody_cage"],
                 "fusion_to_sacrum": True, "bone_graft_source": "local_autograft",
                 "complications": ["dural_tear_csf_leak"], "immediate_outcome": "unchanged", "new_deficit": "no"},
            ],
            "n_prior_operations": 2, "current_pain_onset": "2023-02-01",
            "compensation_litigation": "none", "opioids_before": "no", "opioids_after": "yes",
        },
        "blocks": {
            "blocks_status": "yes",
            "blocks": [
                {"type": "mbb", "level": ["L4-L5"], "side": "left", "date": "2024-02-01", "series": "single",
                 "relief_pct": 80, "duration_hours": 6.0, "concordant": "yes", "notes": BLOCK_NOTES},
                {"type": "sij", "side": "left", "date": "2024-03-01", "relief_pct": 20, "duration_hours": 2.0,
                 "concordant": "yes"},
            ],
        },
        "imaging": {
            "studies": [
                {"modality": "mri_gd", "date": "2024-05-02", "levels": ["L5", "S1"],
                 "findings": ["enhancing_scar", "foraminal_stenosis"], "reviewed": "images_and_report",
                 "report": IMAGING_REPORT},
                {"modality": "flex_ext_xray", "date": "2024-05-02", "levels": ["L4", "L5"],
                 "findings": ["normal_postop"]},
            ],
            "bloods_done": "no",
        },
        "electrodiagnostics": {
            "emg_status": "done",
            "studies": [{"date": "2024-01-15", "test": "emg_ncs", "roots": ["S1"], "side": "left",
                         "findings": ["chronic_changes"], "report": "Chronic left S1 changes"}],
        },
        "treatments": {
            "treatments": [
                {"category": "physiotherapy", "weeks": 12, "sessions": 10, "adherence": "good", "response": "minimal"},
                {"category": "medication_neuropathic", "name": "Pregabalin", "weeks": 26, "dose": "150 mg bd",
                 "adherence": "good", "response": "partial", "relief_pct": 30},
                {"category": "psychology_cbt", "weeks": 8, "sessions": 8, "adherence": "partial",
                 "response": "partial"},
            ],
            "mdt_involvement": "reviewed", "mdt_members": ["spine_surgeon", "pain_specialist"],
            "mdt_date": "2024-04-01", "home_exercise": "irregular",
        },
        "differential": {
            "lh_neuropathic_root": "probable", "ev_neuropathic_root": EVIDENCE_ROOT,
            "lh_epidural_fibrosis": "possible", "lh_facet": "possible", "lh_sij": "unlikely",
            "psps_t2_category": "technical_failure", "pain_mechanism": "neurologic",
            "icd_prior_spinal_surgery": "yes", "icd_pain_3_months": "yes", "icd_red_flags_addressed": "yes",
            "working_conclusion": "neuropathic_predominant",
            "summary": "Predominantly neuropathic S1 pain after revision fusion",
        },
        "plan": {
            "options": ["scs_evaluation", "psychology_cbt"],
            "scs_modality": "high_frequency", "scs_neuropathic_predominance": "yes",
            "scs_duration_6_months": "yes", "scs_pain_measure": "vas_mm", "scs_vas_mm": 70,
            "scs_tried_drugs": "yes", "scs_tried_physio": "yes", "scs_tried_psychology": "yes",
            "scs_psych_eval": "suitable", "scs_relative_ci": ["none"], "scs_absolute_ci": ["none"],
            "scs_decision": "proceed_trial", "follow_up_weeks": 6, "summary": PLAN_SUMMARY,
        },
    }


def complete_answers(sections: tuple[Section, ...], visit_date: date, seed: int = 7,
                     scored: Mapping[str, dict[str, str]] = SCORED) -> dict[str, dict[str, Any]]:
    """Answers for every section: hand-written where the tests look for text, the instruments of
    ``scored`` as given, generated elsewhere. Raises when any answer does not pass the
    checklist's validation."""
    rng = random.Random(seed)
    fixed = hand_written(visit_date) | dict(scored)
    out: dict[str, dict[str, Any]] = {}
    for section in sections:
        if section.key in fixed:
            answers = fixed[section.key]
        elif section.key == "red_flags":
            answers = _red_flags(section)
        else:
            answers = generated_answers(section, rng, visit_date)
        clean, errors = clean_answers(section, answers)
        if errors:
            raise AssertionError(f"test answers for {section.key} do not validate: {errors}")
        out[section.key] = clean
    return out


def group_keys(section: Section) -> list[str]:
    """Keys of the repeat groups of a section (for callers that need them)."""
    return [item.key for item in section.items if isinstance(item, RepeatGroup)]
