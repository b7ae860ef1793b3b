"""What one row of a patient's history says: an operation, an imaging study, a block, a treatment.

Each row is drawn from the patient's profile (scenario, side, segment) so that the history agrees
with itself; ``timeline`` decides when each happened.
"""

from __future__ import annotations

import random
from datetime import date

from ..checklist.sections import surgical_history as surgery
from ..checklist.settings import DEFAULT_SETTINGS
from .scenarios import ABOVE
from .scenarios import CENTRES
from .scenarios import ROOT_OF
from .scenarios import Answers
from .scenarios import Profile
from .scenarios import hardware
from .scenarios import verts


def operation_row(rng: random.Random, procedure: str, segment: str, side: str, outcome: str,
                   pain_free: int | None, when: date, index: bool, to_sacrum: bool) -> Answers:
    """One operation (a surgical-history row); fusion-only questions only for fusions."""
    fusion = procedure in surgery.FUSION_OR_REVISION
    levels = verts(segment)
    if fusion and to_sacrum and "S1" not in levels:
        levels = [*levels, "S1"]
    if fusion and to_sacrum and rng.random() < 0.2:
        levels = [*levels, "pelvis"]
    n_segments = max(1, len([v for v in levels if v != "pelvis"]) - 1)
    approach, instrumentation = hardware(procedure)
    row: Answers = {
        "date": when.isoformat(),
        "indication": (
            f"{'Radicular' if not fusion else 'Mechanical back and'} {side} leg pain, "
            f"{'disc herniation' if procedure in surgery.DISCECTOMIES else 'degenerative disease'} at {segment}"
        ),
        "procedure": procedure,
        "levels": levels,
        "n_levels": n_segments,
        "side": "midline" if fusion else side,
        "approach": approach,
        "instrumentation": list(instrumentation),
        "complications": ["dural_tear_csf_leak"] if rng.random() < 0.08 else ["none"],
        "immediate_outcome": outcome,
        "new_deficit": "yes" if outcome == "worse" and rng.random() < 0.5 else "no",
    }
    if rng.random() < 0.7:
        row["centre_surgeon"] = rng.choice(CENTRES)
    if rng.random() < 0.8:
        row["preop_back_pct"] = rng.randrange(10, 45, 5) if not fusion else rng.randrange(40, 80, 5)
        row["preop_side"] = side
    if procedure == "revision":
        row["procedure_details"] = f"Revision fusion {segment}: screws replaced, cage added"
    if fusion:
        row["fusion_to_sacrum"] = to_sacrum
        row["bone_graft_source"] = rng.choice(("local_autograft", "iliac_crest", "allograft", "synthetic"))
    row["preop_deficit"] = rng.choice(("no", "no", "yes", "unknown"))
    if outcome in ("resolved", "improved") and pain_free is not None:
        row["pain_free_weeks"] = pain_free
    if index and rng.random() < 0.5:
        row["back_outcome"] = rng.choice(("improved", "unchanged", "worse"))
    if rng.random() < 0.25:
        row["operation_notes"] = "Operative note reviewed." if rng.random() < 0.5 else "History from the patient."
    return row


def study_row(rng: random.Random, p: Profile, when: date, key: bool) -> Answers:
    """One imaging study: the scenario's key study, or a supporting film of the operated level."""
    sc = p.scenario
    segment = ABOVE.get(p.segment, p.segment) if sc.key == "adjacent_segment" else p.segment
    if key:
        modality = rng.choice(sc.modalities)
        findings = list(sc.findings) + [f for f in sc.extra_findings if rng.random() < 0.4]
    else:  # a supporting study: plain films or CT of the operated level
        modality = rng.choice(("xray", "flex_ext_xray", "ct"))
        findings = ["normal_postop"] if not any(o.row["procedure"] in surgery.FUSION_PROCEDURES for o in p.operations) \
            else rng.choice((["normal_postop"], ["disc_degeneration"]))
        segment = p.segment
    if modality == "spect_ct" and sc.key == "sij_after_fusion":
        findings = ["normal_postop"]
    levels = verts(segment)
    if sc.key == "sij_after_fusion" and key:
        levels = [*levels, "pelvis"] if "pelvis" not in levels else levels
    labels = {"recurrent_herniation": "recurrent disc herniation", "enhancing_scar": "enhancing epidural scar",
              "adjacent_degeneration": f"degeneration at {segment}", "pseudarthrosis": "no bridging bone",
              "annular_tear": "high-intensity zone", "foraminal_stenosis": "foraminal narrowing",
              "normal_postop": "expected post-operative appearance"}
    words = ", ".join(labels.get(f, f.replace("_", " ")) for f in findings)
    row: Answers = {"modality": modality, "date": when.isoformat(), "levels": levels, "findings": findings,
                    "reviewed": rng.choice(("images_and_report", "report_only"))}
    if rng.random() < 0.8:
        row["report"] = f"{segment}: {words}."
    return row


def block_row(rng: random.Random, p: Profile, kind: str, when: date, positive: bool, series: str) -> Answers:
    """One diagnostic block (or discography), positive or not by the relief recorded."""
    side = p.side if p.side != "bilateral" else "bilateral"
    row: Answers = {"type": kind, "side": side, "date": when.isoformat(), "concordant": "yes" if positive else
                    rng.choice(("yes", "no"))}
    if kind != "sij":
        if kind == "snrb":
            row["level"] = [f"root_{ROOT_OF[p.segment]}"]
        elif kind == "mbb" and p.scenario.key == "adjacent_segment":
            row["level"] = [ABOVE.get(p.segment, p.segment)]
        else:
            row["level"] = [p.segment]
    row["guidance"] = "ct" if rng.random() < 0.15 else "fluoroscopy"
    if kind == "discography":
        concordant = DEFAULT_SETTINGS.discography_min_concordant_pain
        row["pain_score"] = rng.randint(concordant, 9) if positive else rng.randint(2, concordant - 1)
        row["pressure_psi"] = round(rng.uniform(12, 45), 1)
        row["control_disc_painless"] = "yes"
        row["nucleogram_degenerated"] = "yes" if positive else rng.choice(("yes", "no"))
        row["volume_ml"] = round(rng.uniform(1.0, 3.0), 1)
        return row
    # positive at the reference's relief threshold for this kind of block (scoring settings)
    threshold = int(getattr(DEFAULT_SETTINGS, f"{kind}_positive_pct"))
    row["series"] = series
    row["relief_pct"] = rng.randrange(threshold, 100, 5) if positive else rng.randrange(0, threshold, 5)
    row["duration_hours"] = float(rng.choice((2, 3, 4, 6, 8, 24)) if kind != "esi" else rng.choice((168, 336, 672)))
    row["volume_ml"] = 0.5 if kind == "mbb" else round(rng.uniform(1.0, 3.0), 1)
    row["sedation"] = "no" if rng.random() < 0.85 else "yes"
    if rng.random() < 0.3:
        row["notes"] = "Usual pain relieved." if positive else "Little change in the usual pain."
    return row


def treatment_row(rng: random.Random, category: str, start: date, *, name: str | None = None,
               dose: str | None = None, response: str | None = None) -> Answers:
    """One treatment tried (a treatments row) and how it went."""
    row: Answers = {"category": category, "start_date": start.replace(day=1).isoformat(),
                    "response": response or rng.choices(("none", "minimal", "partial", "good", "worse"),
                                                        weights=(25, 35, 30, 5, 5))[0]}
    if name:
        row["name"] = name
    procedure = category in ("injection_epidural", "injection_facet", "injection_sij", "radiofrequency", "scs_trial")
    row["weeks"] = rng.randint(1, 4) if procedure else rng.randint(6, 40)
    if category in ("physiotherapy", "chiropractic", "psychology_cbt", "pain_programme", "acupuncture"):
        row["sessions"] = rng.randint(4, 20)
    if dose and category.startswith("medication_"):
        row["dose"] = dose
    if not procedure:
        row["adherence"] = rng.choices(("good", "partial", "poor"), weights=(60, 30, 10))[0]
    if row["response"] in ("partial", "good"):
        row["relief_pct"] = rng.randrange(20, 70, 10)
        row["relief_weeks"] = rng.randint(1, 12)
    row["stopped_reason"] = rng.choice(("ongoing", "completed", "no_benefit", "side_effects")) \
        if not procedure else "completed"
    if row["stopped_reason"] == "side_effects":
        row["side_effects"] = rng.choice(("Drowsiness", "Dizziness", "Nausea", "Constipation"))
    return row
