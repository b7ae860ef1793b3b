"""What the examination and the investigations found at one demo visit: the neurology of the
compressed root, the provocation tests of the scenario, and the imaging, EMG and blocks done by
the visit's date."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta

from .scenarios import ROOT_OF
from .scenarios import Answers
from .scenarios import Profile
from .timeline import VisitInfo
from .timeline import between


def _neurology(rng: random.Random, p: Profile, keys: Iterable[str]) -> Answers:
    """Motor, sensory and reflex findings by root and side: normal, except the compressed root
    on the painful side(s) in the radicular scenarios."""
    known = set(keys)
    answers: Answers = {key: "normal" if rng.random() < 0.97 else "not_tested" for key in sorted(known)
                        if key.partition("_")[0] in ("motor", "sensory", "reflex")}
    if not p.scenario.radicular:
        return answers
    root = ROOT_OF[p.segment].lower()
    reflex = {"s1": "ankle", "l4": "knee", "l3": "knee"}.get(root)
    for side in _sides(p):
        if rng.random() < 0.5:
            answers[f"motor_{root}_{side}"] = "reduced"
        sensory = "reduced" if rng.random() < 0.7 else "normal"
        answers[f"sensory_{root}_{side}"] = "increased" if p.neuropathic and rng.random() < 0.3 else sensory
        if reflex and rng.random() < 0.6:
            answers[f"reflex_{reflex}_{side}"] = "reduced"
    return {k: val for k, val in answers.items() if k in known}


def _sides(p: Profile) -> tuple[str, ...]:
    return ("left", "right") if p.side == "bilateral" else (p.side,)


def _sided(p: Profile) -> str:
    """A positive sided test on the painful side (SIDED_RESULT options)."""
    return p.side if p.side in ("left", "right") else "bilateral"


def examination_section(rng: random.Random, p: Profile, v: VisitInfo, keys: Iterable[str]) -> Answers:
    """Neurology, tension signs, SIJ and facet provocation, posture and gait."""
    sc = p.scenario
    answers = _neurology(rng, p, keys)
    slr_positive = sc.radicular and rng.random() < 0.75
    for side in ("left", "right"):
        negative = rng.choices(("negative", "back_hamstring_only"), weights=(75, 25))[0]
        answers[f"slr_{side}"] = "positive" if slr_positive and side in _sides(p) else negative
    femoral = sc.radicular and ROOT_OF[p.segment] in ("L3", "L4")
    facet = sc.key in ("facet", "adjacent_segment") and rng.random() < 0.8
    forward_lean = sc.key in ("adjacent_segment", "pseudarthrosis") and rng.random() < 0.4
    answers.update({
        "umn_signs": "no",
        "slr_crossed": "no",
        "femoral_stretch": _sided(p) if femoral else "negative",
        "sij_provocation_positive": rng.randint(3, 5) if sc.key == "sij_after_fusion"
        else rng.choices((0, 1, 2), weights=(60, 30, 10))[0],
        "sij_pain_pattern": "yes" if sc.key == "sij_after_fusion" else "no",
        "facet_loading": _sided(p) if facet else "negative",
        "paraspinal_tenderness": rng.choice(("yes", "no")),
        "lumbar_flexion": rng.choices(("normal", "reduced", "severely_restricted"), weights=(25, 65, 10))[0],
        "posture": "forward_lean" if forward_lean else "normal",
        "waddell_signs": rng.randint(2, 4) if sc.key == "nociplastic"
        else rng.choices((0, 1, 2), weights=(70, 25, 5))[0],
        "gait": "antalgic" if rng.random() < 0.4 else "normal",
        "balance": "normal" if rng.random() < 0.9 else "impaired",
        "hip_exam": "negative",
        "peripheral_pulses": "negative",
        "peripheral_nerve_signs": ["polyneuropathy"] if p.diabetic and rng.random() < 0.5 else ["none"],
    })
    if "reduced" in (answers.get("motor_l5_left"), answers.get("motor_l5_right")) and rng.random() < 0.3:
        answers["gait"] = "foot_drop"
    if p.age > 60 and rng.random() < 0.4:
        answers["abpi"] = round(rng.uniform(0.9, 1.25), 2)
    if rng.random() < 0.3:
        answers["exam_notes"] = "Examination limited by pain." if v.number == 0 else "Unchanged from the last visit."
    return answers


def imaging_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """The studies done by the visit's date, and bloods when infection is a question."""
    studies = [dict(s.row) for s in p.studies if s.when <= v.date]
    answers: Answers = {"studies": studies} if studies else {}
    infection_question = any(p.red_flags.get(k) for k in ("rf_inf_raised_markers",)) or p.diabetic
    if infection_question or rng.random() < 0.15:
        day = between(rng, v.date - timedelta(days=60), v.date)
        answers.update({"bloods_done": "yes", "bloods_date": day.isoformat(), "esr": rng.randint(2, 25),
                        "crp": round(rng.uniform(0.5, 8), 1), "wbc": round(rng.uniform(4.5, 10.5), 1),
                        "blood_cultures": "not_done"})
    else:
        answers["bloods_done"] = "no"
    if rng.random() < 0.2:
        answers["imaging_notes"] = "Images reviewed at the spinal MDT." if p.mdt != "none" else "Outside imaging."
    return answers


def electrodiagnostics_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """The EMG done by the visit's date, or why there is none."""
    studies = [dict(s.row) for s in p.emg if s.when <= v.date]
    if studies:
        return {"emg_status": "done", "studies": studies}
    if p.emg:
        return {"emg_status": "requested"}
    return {"emg_status": "not_indicated" if not p.scenario.radicular else "not_done"}


def blocks_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    """The diagnostic blocks done by the visit's date (or planned)."""
    rows = [dict(b.row) for b in p.blocks if b.when <= v.date]
    if rows:
        return {"blocks_status": "yes", "blocks": rows}
    return {"blocks_status": "planned" if p.blocks else "no"}
