"""The clinician's assessment at one demo visit: the differential (pain generators and their
evidence, PSPS-T2 category, ICD-11 criteria) and the plan (options, revision, SCS, biologic disc
repair) that fit the patient's scenario."""

from __future__ import annotations

import random
from datetime import timedelta

from ..checklist.categories import PAIN_GENERATORS
from .scenarios import REVISION_TYPES
from .scenarios import Answers
from .scenarios import Profile
from .scenarios import procedure_words
from .timeline import VisitInfo
from .timeline import clamp
from .timeline import level_at
from .timeline import months_between


def _evidence(p: Profile, category: str) -> str:
    sc = p.scenario
    study = next((s for s in reversed(p.studies)), None)
    parts = []
    if study and category in sc.primary:
        parts.append(f"Imaging {study.when.isoformat()}: {', '.join(study.row['findings'])}")
    if p.blocks and category in sc.primary:
        parts.append(f"{p.blocks[-1].row['type'].upper()} block on {p.blocks[-1].when.isoformat()}")
    if category in ("neuropathic_root", "epidural_fibrosis") and p.neuropathic:
        parts.append("neuropathic screens positive")
    parts.append(f"history fits {sc.key.replace('_', ' ')}")
    return "; ".join(parts) + "."


def differential_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """Every pain generator's likelihood (the scenario's primary ones probable or confirmed)."""
    sc = p.scenario
    answers: Answers = {}
    blocks_done = [b for b in p.blocks if b.when <= v.date]
    for option in PAIN_GENERATORS:
        cat = option.value
        if cat in sc.primary:
            likelihood = "confirmed" if blocks_done and rng.random() < 0.5 else "probable"
        elif cat in sc.secondary:
            likelihood = "possible"
        elif cat == "infection" and p.red_flags.get("rf_inf_raised_markers"):
            likelihood = "possible"
        elif cat in ("nociplastic_psychosocial",) and p.psych > 0.6:
            likelihood = "possible"
        else:
            likelihood = rng.choices(("unlikely", "not_assessed"), weights=(85, 15))[0]
        answers[f"lh_{cat}"] = likelihood
        if likelihood in ("possible", "probable", "confirmed") and rng.random() < 0.8:
            answers[f"ev_{cat}"] = _evidence(p, cat)
    since = months_between(p.operations[-1].when, v.date)
    positive_flags = [k for k, val in p.red_flags.items() if val == "yes" and k != "rf_fx_age_over_55"]
    answers.update({
        "psps_t2_category": rng.choice(sc.psps),
        "pain_mechanism": rng.choice(sc.mechanism),
        "icd_prior_spinal_surgery": "yes",
        "icd_pain_3_months": "yes" if since >= 3 else "no",
        "icd_red_flags_addressed": "no" if positive_flags and v.number == 0 and rng.random() < 0.5 else "yes",
        "working_conclusion": rng.choice(sc.conclusion),
    })
    if rng.random() < 0.85:
        answers["summary"] = (f"Working diagnosis: {sc.primary[0].replace('_', ' ')} after "
                              f"{procedure_words(p.operations[-1].row['procedure'])} at {p.segment}; "
                              f"{'neuropathic features' if p.neuropathic else 'no clear neuropathic features'}.")
    return answers



def plan_section(rng: random.Random, p: Profile, v: VisitInfo, final: bool) -> Answers:
    """The scenario's plan options, with the lifestyle, urgent and MDT options that apply."""
    sc = p.scenario
    options = [o for o in sc.plan if rng.random() < 0.8] or [sc.plan[0]]
    if p.psych > 0.6 and "psychology_cbt" not in options:
        options.append("psychology_cbt")
    if p.smoking == "current":
        options.append("lifestyle_smoking_cessation")
    if p.weight / (p.height / 100) ** 2 >= 30 and rng.random() < 0.6:
        options.append("lifestyle_weight_loss")
    urgent = [k for k in ("rf_ces_saddle", "rf_ces_bladder_bowel", "rf_neuro_progressive_weakness")
              if p.red_flags.get(k) == "yes"]
    if urgent:
        options.append("urgent_referral")
    if p.mdt == "none" and rng.random() < 0.2:
        options.append("mdt_referral")
    options = list(dict.fromkeys(options))
    answers: Answers = {"options": options, "follow_up_weeks": rng.choice((4, 6, 8, 12, 12, 16, 26))}
    if urgent:
        answers["urgent_referral_reason"] = "Same-day referral to the on-call spinal team; emergency MRI requested."
    if "revision_surgery_referral" in options:
        answers["revision_type"] = REVISION_TYPES.get(sc.key, ["decompression"])
        answers["revision_approach"] = rng.choice(("minimally_invasive", "open", "undecided"))
        answers["revision_indication"] = f"{sc.findings[0].replace('_', ' ')} at {p.segment}"
    if "scs_evaluation" in options:
        answers.update(_scs(rng, p, v))
    if "biologic_disc_repair_evaluation" in options:
        tear = any("annular_tear" in s.row["findings"] for s in p.studies if s.when <= v.date)
        answers.update({
            "bdr_persistent_discogenic_pain": "yes",
            "bdr_imaging_annular_tear": "yes" if tear else "unknown",
            "bdr_levels": [p.segment],
            "bdr_inadequate_conservative": "yes",
            "bdr_goal_avoid_revision": rng.choice(("yes", "unknown")),
        })
    answers["summary"] = (
        f"{'Initial assessment' if v.number == 0 else 'Review'}: {sc.key.replace('_', ' ')} pattern. "
        f"Plan: {', '.join(o.replace('_', ' ') for o in options)}."
        + (" Final visit of this series." if final else "")
    )
    return answers


def _scs(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    out: Answers = {
        "scs_modality": rng.choice(("conventional", "high_frequency", "drg", "undecided")),
        "scs_neuropathic_predominance": "yes" if p.neuropathic else "unknown",
        "scs_duration_6_months": "yes" if months_between(p.onset, v.date) >= 6 else "no",
        "scs_pain_measure": "nrs_proxy",
        "scs_vas_mm": int(round(clamp(30 + 65 * level_at(p, v), 0, 100))),
        "scs_relative_ci": ["none"] if p.psych < 0.7 else ["psychiatric"],
        "scs_absolute_ci": ["none"],
    }
    treated = {t.row["category"]: t.when for t in p.treatments if t.when <= v.date}
    for key, categories in (("scs_tried_drugs", ("medication_neuropathic", "medication_opioid", "medication_nsaid")),
                            ("scs_tried_physio", ("physiotherapy",)), ("scs_tried_psychology", ("psychology_cbt",))):
        since = [treated[c] for c in categories if c in treated]
        out[key] = "yes" if since else "no"
        if since:
            out[f"{key}_date"] = min(since).isoformat()
    if p.mdt_date is not None and p.mdt_date <= v.date:
        out["scs_mdt_review_date"] = p.mdt_date.isoformat()
    evaluated = v.number > 0 and rng.random() < 0.6
    out["scs_psych_eval"] = rng.choice(("suitable", "suitable_with_support")) if evaluated else "pending"
    if evaluated:
        out["scs_psych_eval_date"] = (v.date - timedelta(days=rng.randint(7, 60))).isoformat()
    if evaluated and rng.random() < 0.5:
        start = v.date - timedelta(days=rng.randint(14, 40))
        out.update({"scs_trial_start": start.isoformat(), "scs_trial_end": (start + timedelta(days=7)).isoformat(),
                    "scs_trial_relief_pct": rng.randrange(20, 90, 5),
                    "scs_trial_function": rng.choice(("marked", "some", "none"))})
        out["scs_decision"] = "proceed_implant" if out["scs_trial_relief_pct"] >= 50 else "not_candidate"
    else:
        out["scs_decision"] = "proceed_trial" if evaluated else "undecided"
    return out
