"""Synthetic, filled visits for the demo and the benchmarks (``flask seed-demo``).

Each patient gets one clinical *scenario* (recurrent herniation, epidural fibrosis, adjacent
segment disease, SIJ pain after a fusion to the sacrum, pseudarthrosis, discogenic pain, facet
pain, wrong level, foraminal stenosis, nociplastic pain) and a timeline drawn once: operations
before the first visit, imaging, EMG, blocks and treatments dated before the visit that shows
them. Every visit then answers every section consistently with that scenario: the imaging
findings, the examination, the blocks and the differential agree; fusion-only questions are only
answered for fusions; no date lies after the visit (or in the future).

Everything comes from the ``rng`` passed in, so a seed gives the same data. Answers go through
``services.visits.save_sections`` (``save_section`` for every section at once: validated, stored
and audited the same way, evaluated once) after ``start_visit`` carried the history forward.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from typing import Any

from ..checklist.categories import PAIN_GENERATORS
from ..checklist.completeness import blank
from ..checklist.schema import Field
from ..checklist.schema import Section
from ..checklist.sections.red_flags import SCREEN_KEYS
from ..checklist.validate import clean_answers
from ..models import Patient
from ..models import User
from ..models import Visit
from . import visits as service

Answers = dict[str, Any]
log = logging.getLogger(__name__)

SEGMENTS = ("L2-L3", "L3-L4", "L4-L5", "L5-S1")
# Segment -> the root it usually compresses (paracentral herniation / lateral recess).
ROOT_OF = {"L2-L3": "L3", "L3-L4": "L4", "L4-L5": "L5", "L5-S1": "S1"}
ABOVE = {"L3-L4": "L2-L3", "L4-L5": "L3-L4", "L5-S1": "L4-L5"}
FUSIONS = ("fusion_tlif", "fusion_plif", "fusion_posterolateral", "fusion_alif", "fusion_llif")
DISCECTOMIES = ("microdiscectomy", "microdiscectomy", "open_discectomy", "endoscopic_discectomy")
DECOMPRESSIONS = ("laminectomy", "hemilaminectomy", "laminotomy", "foraminotomy")


def _verts(segment: str) -> list[str]:
    return segment.split("-")


@dataclass(frozen=True)
class Scenario:
    """What one kind of failed-back patient looks like."""

    key: str
    procedures: tuple[str, ...]  # index operation
    outcomes: tuple[str, ...]  # its immediate outcome
    pain_free_weeks: tuple[int, int]  # when the outcome gave relief
    leg_dominant: bool
    findings: tuple[str, ...]  # imaging findings of the key study
    extra_findings: tuple[str, ...]  # some of these too
    modalities: tuple[str, ...]  # of the key study
    primary: tuple[str, ...]  # pain generators: probable / confirmed
    secondary: tuple[str, ...]  # possible
    psps: tuple[str, ...]
    mechanism: tuple[str, ...]
    conclusion: tuple[str, ...]
    plan: tuple[str, ...]
    block: str | None  # the diagnostic block that fits, if any
    block_positive: float = 0.7  # chance that block is positive
    radicular: bool = False
    neuropathic: float = 0.3  # chance of positive neuropathic screens
    psych: tuple[float, float] = (0.1, 0.5)
    pain_vs_preop: tuple[str, ...] = ("same", "different")
    complaint: str = ""


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "recurrent_herniation", DISCECTOMIES, ("resolved", "improved"), (30, 200), True,
        ("recurrent_herniation",), ("disc_degeneration", "modic", "enhancing_scar"), ("mri_gd", "mri"),
        ("recurrent_herniation",), ("neuropathic_root", "epidural_fibrosis"),
        ("biomechanical_sequelae", "technical_failure"), ("neurologic",),
        ("structural_lesion_concordant",),
        ("revision_surgery_referral", "epidural_injection", "conservative_rehab"),
        "snrb", radicular=True, neuropathic=0.4, pain_vs_preop=("same",),
        complaint="{side} leg pain back after {weeks} pain-free weeks following {proc} at {segment}.",
    ),
    Scenario(
        "epidural_fibrosis", DISCECTOMIES + DECOMPRESSIONS[:2], ("improved",), (6, 12), True,
        ("enhancing_scar",), ("disc_degeneration",), ("mri_gd",),
        ("epidural_fibrosis", "neuropathic_root"), ("recurrent_herniation", "nociplastic_psychosocial"),
        ("complications", "undetermined"), ("neurologic", "mixed"), ("neuropathic_predominant", "psps_t2_cpss"),
        ("medication_review", "pulsed_rf_drg", "scs_evaluation", "psychology_cbt"),
        "snrb", block_positive=0.4, radicular=True, neuropathic=0.85, psych=(0.2, 0.7),
        pain_vs_preop=("different", "same"),
        complaint="Burning {side_lower} leg pain returning weeks after {proc} at {segment}.",
    ),
    Scenario(
        "adjacent_segment", FUSIONS, ("resolved", "improved"), (100, 400), False,
        ("adjacent_degeneration",), ("central_stenosis", "foraminal_stenosis", "instability"),
        ("mri", "ct", "flex_ext_xray"),
        ("adjacent_segment",), ("central_stenosis", "facet", "sagittal_imbalance"),
        ("biomechanical_sequelae",), ("mechanical", "mixed"), ("structural_lesion_concordant",),
        ("conservative_rehab", "mbb_then_rf", "revision_surgery_referral"),
        "mbb", block_positive=0.5, neuropathic=0.2, pain_vs_preop=("different", "new_location"),
        complaint="Back and thigh pain years after {proc} at {segment}; worse standing and walking.",
    ),
    Scenario(
        "sij_after_fusion", ("fusion_tlif", "fusion_plif", "fusion_posterolateral"), ("resolved", "improved"),
        (30, 150), False,
        ("normal_postop",), (), ("ct", "mri", "spect_ct"),
        ("sij",), ("adjacent_segment", "myofascial"),
        ("biomechanical_sequelae",), ("mechanical",), ("structural_lesion_concordant", "psps_t2_cpss"),
        ("sij_intervention", "conservative_rehab"),
        "sij", block_positive=0.75, neuropathic=0.1, pain_vs_preop=("new_location",),
        complaint="New {side_lower} buttock and groin pain after fusion to the sacrum ({segment}).",
    ),
    Scenario(
        "pseudarthrosis", FUSIONS, ("improved", "unchanged"), (8, 40), False,
        ("pseudarthrosis",), ("hardware_loosening", "hardware_breakage"), ("ct",),
        ("pseudarthrosis_hardware",), ("instability", "facet"),
        ("technical_failure", "complications"), ("mechanical",), ("structural_lesion_concordant",),
        ("revision_surgery_referral", "conservative_rehab", "medication_review"),
        None, neuropathic=0.15, pain_vs_preop=("same", "different"),
        complaint="Mechanical back pain persisting after {proc} at {segment}; clicking on movement.",
    ),
    Scenario(
        "discogenic", DISCECTOMIES, ("improved", "resolved"), (20, 120), False,
        ("annular_tear", "disc_degeneration"), ("modic",), ("mri",),
        ("discogenic",), ("facet", "recurrent_herniation"),
        ("biomechanical_sequelae", "undetermined"), ("mechanical",), ("structural_lesion_concordant",),
        ("biologic_disc_repair_evaluation", "conservative_rehab"),
        "discography", block_positive=0.6, neuropathic=0.15, pain_vs_preop=("different",),
        complaint="Axial low back pain, worse sitting, after {proc} at {segment}.",
    ),
    Scenario(
        "facet", DECOMPRESSIONS + ("microdiscectomy",), ("resolved", "improved"), (40, 250), False,
        ("disc_degeneration",), ("modic", "instability"), ("mri", "spect_ct"),
        ("facet",), ("discogenic", "myofascial"),
        ("biomechanical_sequelae",), ("mechanical",), ("structural_lesion_concordant", "psps_t2_cpss"),
        ("mbb_then_rf", "conservative_rehab"),
        "mbb", block_positive=0.7, neuropathic=0.1, pain_vs_preop=("different", "new_location"),
        complaint="Low back pain on extension and rotation after {proc} at {segment}.",
    ),
    Scenario(
        "wrong_level", DISCECTOMIES + ("foraminotomy",), ("unchanged",), (0, 0), True,
        ("foraminal_stenosis",), ("disc_degeneration",), ("mri", "mri_gd"),
        ("wrong_level", "foraminal_stenosis"), ("neuropathic_root", "non_spinal"),
        ("inappropriate_procedure",), ("neurologic",), ("structural_lesion_concordant", "undetermined"),
        ("epidural_injection", "revision_surgery_referral", "medication_review"),
        "snrb", block_positive=0.7, radicular=True, neuropathic=0.5, pain_vs_preop=("same",),
        complaint="{side} leg pain never relieved by {proc} at {segment}.",
    ),
    Scenario(
        "foraminal_stenosis", DECOMPRESSIONS + ("microdiscectomy",), ("improved", "unchanged"), (10, 60), True,
        ("foraminal_stenosis",), ("central_stenosis", "disc_degeneration"), ("mri", "ct"),
        ("foraminal_stenosis",), ("neuropathic_root", "central_stenosis"),
        ("technical_failure", "biomechanical_sequelae"), ("neurologic",), ("structural_lesion_concordant",),
        ("epidural_injection", "pulsed_rf_drg", "revision_surgery_referral"),
        "snrb", block_positive=0.6, radicular=True, neuropathic=0.45, pain_vs_preop=("same", "different"),
        complaint="{side} leg pain on walking after {proc} at {segment}.",
    ),
    Scenario(
        "nociplastic", DISCECTOMIES + FUSIONS[:2], ("improved", "unchanged"), (6, 80), False,
        ("normal_postop",), (), ("mri",),
        ("nociplastic_psychosocial",), ("myofascial", "inadequate_rehab"),
        ("undetermined",), ("mixed", "undetermined"), ("nociplastic_predominant", "benign_persistent_back_pain"),
        ("psychology_cbt", "mdt_referral", "conservative_rehab", "medication_review"),
        None, neuropathic=0.2, psych=(0.5, 1.0), pain_vs_preop=("different", "new_location"),
        complaint="Widespread back pain spreading beyond the operated area after {proc} at {segment}.",
    ),
)

# Procedure -> (approach, instrumentation); anything else: posterior, none.
HARDWARE: dict[str, tuple[str, tuple[str, ...]]] = {
    "fusion_alif": ("anterior", ("interbody_cage", "plate")),
    "fusion_llif": ("lateral", ("interbody_cage", "pedicle_screws_rods")),
    "fusion_tlif": ("posterior", ("pedicle_screws_rods", "interbody_cage")),
    "fusion_plif": ("posterior", ("pedicle_screws_rods", "interbody_cage")),
    "fusion_posterolateral": ("posterior", ("pedicle_screws_rods",)),
    "revision": ("posterior", ("pedicle_screws_rods",)),
    "endoscopic_discectomy": ("endoscopic", ("none",)),
}
PROCEDURE_WORDS = {
    "microdiscectomy": "microdiscectomy", "open_discectomy": "open discectomy",
    "endoscopic_discectomy": "endoscopic discectomy", "laminectomy": "laminectomy",
    "hemilaminectomy": "hemilaminectomy", "laminotomy": "laminotomy", "foraminotomy": "foraminotomy",
    "fusion_tlif": "TLIF", "fusion_plif": "PLIF", "fusion_posterolateral": "posterolateral fusion",
    "fusion_alif": "ALIF", "fusion_llif": "LLIF", "revision": "revision",
}
CENTRES = ("City General, Mr Okoye", "St Luke's spinal unit", "University Hospital, Ms Varga",
           "Regional Spine Centre", "Private hospital (records requested)")
OCCUPATIONS = ("Nurse", "Warehouse operative", "Teacher", "Electrician", "Office manager", "Driver",
               "Carer", "Farmer", "Software developer", "Shop assistant", "Builder", "Chef")


@dataclass
class Operation:
    """One operation of the patient's history (answers of one row)."""

    when: date
    row: Answers


@dataclass
class Dated:
    """A dated repeat-group row (study, block, treatment) of the patient's timeline."""

    when: date
    row: Answers


@dataclass
class Profile:
    """One synthetic patient's story, drawn once and read by every visit."""

    scenario: Scenario
    age: int
    sex: str
    side: str  # left / right / bilateral
    segment: str
    severity: float  # 0..1: pain and disability
    psych: float  # 0..1: distress
    neuropathic: bool
    suicidal: bool  # PHQ-9 item 9 >= 1 at some visits
    red_flags: dict[str, str]  # screen item -> "yes" / "unknown"
    operations: list[Operation]
    onset: date  # of the current pain
    studies: list[Dated] = field(default_factory=list)
    emg: list[Dated] = field(default_factory=list)
    blocks: list[Dated] = field(default_factory=list)
    treatments: list[Dated] = field(default_factory=list)
    smoking: str = "never"
    pack_years: float | None = None
    height: float = 170.0
    weight: float = 75.0
    work: str = "working_full_time"
    compensation: str = "none"
    opioids_before: str = "no"
    opioids_after: str = "no"
    diabetic: bool = False
    mdt: str = "none"
    mdt_date: date | None = None
    records: str = "full"


# ---------------------------------------------------------------------------------------------
# Drawing a patient's story
# ---------------------------------------------------------------------------------------------


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _between(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, span)) if span > 0 else start


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _operation_row(rng: random.Random, procedure: str, segment: str, side: str, outcome: str,
                   pain_free: int | None, when: date, index: bool, to_sacrum: bool) -> Answers:
    fusion = procedure.startswith("fusion_") or procedure == "revision"
    levels = _verts(segment)
    if fusion and to_sacrum and "S1" not in levels:
        levels = [*levels, "S1"]
    if fusion and to_sacrum and rng.random() < 0.2:
        levels = [*levels, "pelvis"]
    n_segments = max(1, len([v for v in levels if v != "pelvis"]) - 1)
    approach, hardware = HARDWARE.get(procedure, ("posterior", ("none",)))
    instrumentation = list(hardware)
    row: Answers = {
        "date": when.isoformat(),
        "indication": (
            f"{'Radicular' if not fusion else 'Mechanical back and'} {side} leg pain, "
            f"{'disc herniation' if procedure in DISCECTOMIES else 'degenerative disease'} at {segment}"
        ),
        "procedure": procedure,
        "levels": levels,
        "n_levels": n_segments,
        "side": "midline" if fusion else side,
        "approach": approach,
        "instrumentation": instrumentation,
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


def draw_profile(rng: random.Random, patient: Patient, first_visit: date, last_visit: date) -> Profile:
    """The story of one patient: scenario, operations, and the dated events of the timeline."""
    scenario = rng.choice(SCENARIOS)
    side = rng.choices(("left", "right", "bilateral"), weights=(45, 45, 10))[0]
    segment = rng.choices(SEGMENTS, weights=(5, 15, 45, 35))[0]
    if scenario.key == "adjacent_segment" and segment == "L2-L3":
        segment = "L4-L5"
    if scenario.key == "sij_after_fusion":
        segment = rng.choice(("L4-L5", "L5-S1"))
    low, high = scenario.psych
    age = _age_on(patient.birth_date, first_visit)
    profile = Profile(
        scenario=scenario, age=age, sex=patient.sex, side=side, segment=segment,
        severity=rng.uniform(0.2, 0.95), psych=rng.uniform(low, high),
        neuropathic=rng.random() < scenario.neuropathic, suicidal=rng.random() < 0.07,
        red_flags={}, operations=[], onset=first_visit,
    )
    _draw_operations(rng, profile, first_visit)
    _draw_red_flags(rng, profile)
    _draw_lifestyle(rng, profile)
    _draw_studies(rng, profile, first_visit, last_visit)
    _draw_emg(rng, profile, first_visit, last_visit)
    _draw_blocks(rng, profile, first_visit, last_visit)
    _draw_treatments(rng, profile, first_visit, last_visit)
    return profile


def _draw_operations(rng: random.Random, p: Profile, first_visit: date) -> None:
    sc = p.scenario
    outcome = rng.choice(sc.outcomes)
    pain_free = rng.randint(*sc.pain_free_weeks) if outcome in ("resolved", "improved") else None
    # The current pain began pain_free weeks after the index operation, and 2-30 months before
    # the first visit here (ICD-11: pain for >= 3 months).
    onset = first_visit - timedelta(days=rng.randint(60, 900))
    index_date = onset - timedelta(weeks=pain_free or 0, days=rng.randint(1, 6) if not pain_free else 0)
    procedure = rng.choice(sc.procedures)
    to_sacrum = sc.key == "sij_after_fusion" or (
        procedure.startswith("fusion_") and p.segment == "L5-S1" and rng.random() < 0.6)
    n_prior = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
    if sc.key == "pseudarthrosis" and n_prior and rng.random() < 0.4:
        procedure = "revision"  # a revision fusion that did not fuse either
    ops: list[Operation] = []
    when = index_date
    earlier: list[date] = []
    for _ in range(n_prior):
        when = when - timedelta(days=rng.randint(300, 2000))
        earlier.append(when)
    for n, day in enumerate(sorted(earlier)):
        prior_proc = rng.choice(DISCECTOMIES) if n == 0 else rng.choice(DISCECTOMIES + DECOMPRESSIONS)
        if procedure == "revision" and n == len(earlier) - 1:
            prior_proc = rng.choice(("fusion_tlif", "fusion_plif", "fusion_posterolateral"))
        weeks_to_next = max(1, ((sorted(earlier) + [index_date])[n + 1] - day).days // 7 - rng.randint(5, 40))
        ops.append(Operation(day, _operation_row(
            rng, prior_proc, p.segment, p.side, rng.choice(("resolved", "improved")),
            weeks_to_next, day, False, to_sacrum and prior_proc.startswith("fusion_"))))
    ops.append(Operation(index_date, _operation_row(
        rng, procedure, p.segment, p.side, outcome, pain_free, index_date, True, to_sacrum)))
    p.operations = ops
    p.onset = onset
    p.records = rng.choices(("full", "partial", "none"), weights=(60, 30, 10))[0]


def _draw_red_flags(rng: random.Random, p: Profile) -> None:
    flags: dict[str, str] = {}
    if p.age > 55:
        flags["rf_fx_age_over_55"] = "yes"  # a fact of the patient's age: answered truthfully
    p.diabetic = rng.random() < 0.09
    if p.diabetic:
        flags["rf_inf_diabetes"] = "yes"
    if rng.random() < 0.04:
        flags["rf_mal_cancer_history"] = "yes"
    if rng.random() < 0.03:
        flags[rng.choice(("rf_ces_saddle", "rf_ces_bladder_bowel", "rf_neuro_progressive_weakness"))] = "yes"
    if rng.random() < 0.06:
        flags[rng.choice(("rf_inf_raised_markers", "rf_mal_night_pain", "rf_fx_osteoporosis_steroids"))] = "unknown"
    p.red_flags = flags


def _draw_lifestyle(rng: random.Random, p: Profile) -> None:
    p.smoking = rng.choices(("never", "former", "current"), weights=(50, 30, 20))[0]
    if p.smoking != "never":
        p.pack_years = round(rng.uniform(2, 45), 1)
    mean_height = 176 if p.sex == "male" else 163
    p.height = round(_clamp(rng.gauss(mean_height, 7), 140, 205), 1)
    bmi = _clamp(rng.gauss(28.5, 5), 18.5, 45)
    p.weight = round(_clamp(bmi * (p.height / 100) ** 2, 40, 200), 1)
    if p.age >= 67:
        p.work = "retired"
    else:
        p.work = rng.choices(
            ("working_full_time", "working_part_time", "modified_duties", "off_work_sick", "unemployed", "homemaker"),
            weights=(30, 15, 15, 25, 10, 5))[0]
    p.compensation = rng.choices(("none", "workers_comp", "litigation", "both", "unknown"),
                                 weights=(70, 14, 8, 3, 5))[0]
    p.opioids_before = rng.choices(("no", "yes", "unknown"), weights=(60, 35, 5))[0]
    p.opioids_after = "yes" if p.opioids_before == "yes" or rng.random() < 0.35 else "no"
    p.mdt = rng.choices(("none", "referred", "reviewed", "ongoing"), weights=(40, 25, 25, 10))[0]


def _study_row(rng: random.Random, p: Profile, when: date, key: bool) -> Answers:
    sc = p.scenario
    segment = ABOVE.get(p.segment, p.segment) if sc.key == "adjacent_segment" else p.segment
    if key:
        modality = rng.choice(sc.modalities)
        findings = list(sc.findings) + [f for f in sc.extra_findings if rng.random() < 0.4]
    else:  # a supporting study: plain films or CT of the operated level
        modality = rng.choice(("xray", "flex_ext_xray", "ct"))
        findings = ["normal_postop"] if not any(o.row["procedure"].startswith("fusion_") for o in p.operations) \
            else rng.choice((["normal_postop"], ["disc_degeneration"]))
        segment = p.segment
    if modality == "spect_ct" and sc.key == "sij_after_fusion":
        findings = ["normal_postop"]
    levels = _verts(segment)
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


def _draw_studies(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    index = p.operations[-1].when
    # The key study: at least 6 weeks after the index operation, before the first visit.
    start = max(index + timedelta(weeks=6), p.onset)
    key_date = _between(rng, start, first_visit - timedelta(days=3)) if start < first_visit else first_visit
    p.studies = [Dated(key_date, _study_row(rng, p, key_date, True))]
    if rng.random() < 0.4:  # an earlier plain film
        day = _between(rng, index + timedelta(weeks=6), key_date)
        p.studies.insert(0, Dated(day, _study_row(rng, p, day, False)))
    if last_visit > first_visit + timedelta(days=60) and rng.random() < 0.5:  # a repeat study later
        day = _between(rng, first_visit + timedelta(days=14), last_visit)
        p.studies.append(Dated(day, _study_row(rng, p, day, rng.random() < 0.7)))


def _draw_emg(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    if not p.scenario.radicular or rng.random() < 0.4:
        return
    index = p.operations[-1].when
    day = _between(rng, max(index + timedelta(weeks=4), first_visit - timedelta(days=365)), last_visit)
    root = ROOT_OF[p.segment]
    active = rng.random() < 0.6
    row: Answers = {"date": day.isoformat(), "test": "emg_ncs", "roots": [root], "side": p.side,
                    "findings": ["active_denervation"] if active else rng.choice((["chronic_changes"], ["normal"]))}
    if active:
        row["denervation_site"] = rng.choice(("limb_myotomal", "limb_proximal_distal"))
    if rng.random() < 0.7:
        row["report"] = f"{root} {'active denervation in limb muscles' if active else 'no active denervation'}."
    p.emg = [Dated(day, row)]


def _block_row(rng: random.Random, p: Profile, kind: str, when: date, positive: bool, series: str) -> Answers:
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
        row["pain_score"] = rng.randint(7, 9) if positive else rng.randint(2, 6)
        row["pressure_psi"] = round(rng.uniform(12, 45), 1)
        row["control_disc_painless"] = "yes"
        row["nucleogram_degenerated"] = "yes" if positive else rng.choice(("yes", "no"))
        row["volume_ml"] = round(rng.uniform(1.0, 3.0), 1)
        return row
    threshold = {"mbb": 50, "sij": 75, "snrb": 50, "esi": 50}[kind]
    row["series"] = series
    row["relief_pct"] = rng.randrange(threshold, 100, 5) if positive else rng.randrange(0, threshold, 5)
    row["duration_hours"] = float(rng.choice((2, 3, 4, 6, 8, 24)) if kind != "esi" else rng.choice((168, 336, 672)))
    row["volume_ml"] = 0.5 if kind == "mbb" else round(rng.uniform(1.0, 3.0), 1)
    row["sedation"] = "no" if rng.random() < 0.85 else "yes"
    if rng.random() < 0.3:
        row["notes"] = "Usual pain relieved." if positive else "Little change in the usual pain."
    return row


def _draw_blocks(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    kind = p.scenario.block
    if kind is None or rng.random() < 0.3:
        return
    positive = rng.random() < p.scenario.block_positive
    index = p.operations[-1].when
    # Most blocks follow the first consultation; some were done before it.
    if last_visit > first_visit and rng.random() < 0.7:
        day = _between(rng, first_visit + timedelta(days=7), last_visit)
    else:
        day = _between(rng, max(index + timedelta(weeks=12), first_visit - timedelta(days=200)), first_visit)
    series = "first_of_dual" if kind == "mbb" else "single"
    p.blocks = [Dated(day, _block_row(rng, p, kind, day, positive, series))]
    if kind == "mbb" and positive and day + timedelta(days=14) <= last_visit:
        second = _between(rng, day + timedelta(days=14), last_visit)
        p.blocks.append(Dated(second, _block_row(rng, p, kind, second, rng.random() < 0.8, "second_of_dual")))


def _treatment(rng: random.Random, category: str, start: date, *, name: str | None = None,
               dose: str | None = None, response: str | None = None) -> Answers:
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


def _draw_treatments(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    onset = p.onset
    out: list[Dated] = []

    def add(category: str, earliest: date, latest: date, **kw: Any) -> None:
        day = _between(rng, earliest, latest).replace(day=1)
        day = max(day, earliest.replace(day=1))
        out.append(Dated(day, _treatment(rng, category, day, **kw)))

    before = first_visit - timedelta(days=14)
    add("physiotherapy", onset, before, name=rng.choice(("Core stability programme", "McKenzie", "Graded exercise")))
    add("medication_nsaid", onset, before, name="Naproxen", dose="500 mg twice daily")
    if p.neuropathic or p.scenario.radicular:
        add("medication_neuropathic", onset, before, name=rng.choice(("Pregabalin", "Gabapentin", "Amitriptyline",
                                                                      "Duloxetine")), dose="Titrated")
    if p.opioids_after == "yes":
        add("medication_opioid", onset, before, name=rng.choice(("Codeine", "Tramadol", "Oxycodone")),
            dose="As needed")
    if p.scenario.radicular and rng.random() < 0.5:
        add("injection_epidural", onset, before, name=f"Transforaminal {ROOT_OF[p.segment]}")
    if p.psych > 0.5 and rng.random() < 0.6:
        add("psychology_cbt", onset, last_visit)
    if rng.random() < 0.2:
        add(rng.choice(("chiropractic", "acupuncture")), onset, before)
    if rng.random() < 0.15:
        add("pain_programme", first_visit, last_visit)
    p.treatments = sorted(out, key=lambda d: d.when)
    if p.mdt in ("reviewed", "ongoing"):
        p.mdt_date = _between(rng, onset, first_visit)


# ---------------------------------------------------------------------------------------------
# The answers of one visit
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitInfo:
    """Where one visit sits in the patient's story."""

    date: date
    number: int  # 0 = first
    kind: str
    drift: float  # change in severity since the first visit (negative = better)


def _months(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def _level(p: Profile, v: VisitInfo, spread: float = 0.15, rng: random.Random | None = None) -> float:
    value = p.severity + v.drift
    if rng is not None:
        value += rng.uniform(-spread, spread)
    return _clamp(value, 0.0, 1.0)


def _nrs(value: float) -> int:
    return int(round(_clamp(value, 0, 10)))


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


SCENARIO_SYMPTOMS = {
    "recurrent_herniation": ["pain_returning", "worse_sitting_flexion"],
    "adjacent_segment": ["neurogenic_claudication", "pain_returning"],
    "foraminal_stenosis": ["neurogenic_claudication"],
    "facet": ["worse_extension"],
    "discogenic": ["worse_sitting_flexion"],
    "pseudarthrosis": ["mechanical_catching"],
    "sij_after_fusion": ["pain_returning"],
    "nociplastic": ["muscle_spasm", "balance_problems"],
    "epidural_fibrosis": ["pain_returning"],
}


def _symptoms(rng: random.Random, p: Profile) -> list[str]:
    sc = p.scenario
    symptoms = ["low_back_pain"]
    if sc.leg_dominant or sc.radicular:
        symptoms += ["leg_pain_sciatica", "tingling"] + (["numbness"] if rng.random() < 0.6 else [])
    if p.neuropathic:
        symptoms += ["burning"] + (["allodynia"] if rng.random() < 0.4 else [])
    return list(dict.fromkeys(symptoms + SCENARIO_SYMPTOMS.get(sc.key, [])))


def visit_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    sc = p.scenario
    index = p.operations[-1]
    level = _level(p, v, rng=rng)
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
            proc=PROCEDURE_WORDS.get(index.row["procedure"], index.row["procedure"]), segment=p.segment),
        "nrs_recall": recall,
        "back_nrs_now": _nrs(back + rng.uniform(-1, 1)),
        "leg_nrs_now": _nrs(leg + rng.uniform(-1, 1)),
        "pain_distribution": areas,
        "pain_side": p.side,
        "back_pct": 100 - leg_pct,
        "leg_pct": leg_pct,
        "pain_duration_months": _months(p.onset, v.date),
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
    answers: Answers = {}
    for key in (k for k in keys if k in SCREEN_KEYS):
        if key == "rf_inf_diabetes":
            answers[key] = "yes" if p.diabetic else "no"
        elif key == "rf_fx_age_over_55":
            answers[key] = "yes" if p.age > 55 else "no"
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
    ops = [o for o in p.operations if o.when <= v.date]
    last = ops[-1].when
    answers: Answers = {
        "records_reviewed": p.records,
        "operations": [dict(o.row) for o in ops],
        "n_prior_operations": len(ops),
        "months_since_last": _months(last, v.date),
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
    studies = [dict(s.row) for s in p.studies if s.when <= v.date]
    answers: Answers = {"studies": studies} if studies else {}
    infection_question = any(p.red_flags.get(k) for k in ("rf_inf_raised_markers",)) or p.diabetic
    if infection_question or rng.random() < 0.15:
        day = _between(rng, v.date - timedelta(days=60), v.date)
        answers.update({"bloods_done": "yes", "bloods_date": day.isoformat(), "esr": rng.randint(2, 25),
                        "crp": round(rng.uniform(0.5, 8), 1), "wbc": round(rng.uniform(4.5, 10.5), 1),
                        "blood_cultures": "not_done"})
    else:
        answers["bloods_done"] = "no"
    if rng.random() < 0.2:
        answers["imaging_notes"] = "Images reviewed at the spinal MDT." if p.mdt != "none" else "Outside imaging."
    return answers


def electrodiagnostics_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    studies = [dict(s.row) for s in p.emg if s.when <= v.date]
    if studies:
        return {"emg_status": "done", "studies": studies}
    if p.emg:
        return {"emg_status": "requested"}
    return {"emg_status": "not_indicated" if not p.scenario.radicular else "not_done"}


def blocks_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
    rows = [dict(b.row) for b in p.blocks if b.when <= v.date]
    if rows:
        return {"blocks_status": "yes", "blocks": rows}
    return {"blocks_status": "planned" if p.blocks else "no"}


def treatments_section(rng: random.Random, p: Profile, v: VisitInfo) -> Answers:
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
        "sleep_disturbance": ("none", "mild", "moderate", "severe")[min(3, int(_level(p, v) * 3.5))],
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


def _scale(rng: random.Random, n: int, top: int, level: float, spread: float = 0.9) -> list[int]:
    """n item scores 0..top centred on level x top."""
    return [int(round(_clamp(rng.gauss(level * top, spread), 0, top))) for _ in range(n)]


def _items(prefix: str, scores: Iterable[int]) -> Answers:
    return {f"{prefix}_{n}": str(score) for n, score in enumerate(scores, start=1)}


def _odi(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    answers = _items("odi", _scale(rng, 10, 5, 0.1 + 0.75 * level))
    if rng.random() < 0.15:
        answers.pop("odi_8")  # sex life not applicable: the missing-section rule applies
    return answers


def _phq9(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    answers = _items("phq9", _scale(rng, 9, 3, 0.7 * mood))
    answers["phq9_9"] = str(rng.choice((1, 1, 2)) if p.suicidal and rng.random() < 0.7 else 0)
    return answers


def _gad7(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    return _items("gad7", _scale(rng, 7, 3, 0.7 * mood))


def _dn4(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    exam = rng.random() < 0.9  # otherwise only the DN4-interview (items 1-7)
    odds = 0.7 if p.neuropathic else 0.15
    answers = {"dn4_exam_done": "yes" if exam else "no"}
    answers.update(_items("dn4", (int(rng.random() < odds) for _ in range(10 if exam else 7))))
    return answers


def _paindetect(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    answers = _items("pd", _scale(rng, 7, 5, 0.65 if p.neuropathic else 0.25, 1.0))
    answers["pd_course"] = rng.choice(("persistent", "persistent_attacks", "attacks_only", "attacks_between"))
    leg = p.scenario.leg_dominant or p.scenario.radicular
    answers["pd_radiating"] = "yes" if leg else rng.choice(("yes", "no"))
    return answers


def _startback(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    # items 1-4 physical, 5-9 psychosocial
    answers = _items("sbst", (int(rng.random() < ((0.3 + 0.6 * level) if n <= 4 else (0.1 + 0.8 * mood)))
                              for n in range(1, 9)))
    answers["sbst_9"] = ("not_at_all", "slightly", "moderately", "very_much", "extremely")[min(4, int(level * 5))]
    return answers


def _pcs(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    return _items("pcs", _scale(rng, 13, 4, 0.15 + 0.75 * mood))


INSTRUMENT_ANSWERS = {"odi": _odi, "phq9": _phq9, "gad7": _gad7, "dn4": _dn4, "paindetect": _paindetect,
                      "startback": _startback, "pcs": _pcs}


def instrument_section(rng: random.Random, p: Profile, v: VisitInfo, section: Section) -> Answers:
    """Item answers driven by the patient's pain level and distress (optional instruments and any
    instrument added later: answered generically from their options)."""
    level = _level(p, v, rng=rng)
    mood = _clamp(p.psych + v.drift / 2 + rng.uniform(-0.1, 0.1), 0, 1)
    make = INSTRUMENT_ANSWERS.get(section.instrument or section.key)
    return make(rng, p, level, mood) if make else _generic(rng, section.fields(), level)


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
    since = _months(p.operations[-1].when, v.date)
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
                              f"{PROCEDURE_WORDS.get(p.operations[-1].row['procedure'], 'surgery')} at {p.segment}; "
                              f"{'neuropathic features' if p.neuropathic else 'no clear neuropathic features'}.")
    return answers


REVISION_TYPES = {"pseudarthrosis": ["hardware_replacement"], "adjacent_segment": ["fusion_extension", "decompression"]}


def plan_section(rng: random.Random, p: Profile, v: VisitInfo, final: bool) -> Answers:
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
        "scs_duration_6_months": "yes" if _months(p.onset, v.date) >= 6 else "no",
        "scs_pain_measure": "nrs_proxy",
        "scs_vas_mm": int(round(_clamp(30 + 65 * _level(p, v), 0, 100))),
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


# ---------------------------------------------------------------------------------------------
# Sections the generator does not know (optional instruments, fields added later)
# ---------------------------------------------------------------------------------------------


def _generic_value(rng: random.Random, spec: Field, level: float) -> Any:
    if spec.type == "choice" and spec.options:
        position = int(round(_clamp(rng.gauss(level, 0.2), 0, 1) * (len(spec.options) - 1)))
        return spec.options[position].value
    if spec.type == "multichoice" and spec.options:
        return [spec.options[0].value]
    if spec.type in ("integer", "decimal"):
        low = spec.min if spec.min is not None else 0
        high = spec.max if spec.max is not None else low + 10
        value = low + (high - low) * _clamp(rng.gauss(level, 0.15), 0, 1)
        return int(round(value)) if spec.type == "integer" else round(value, 1)
    if spec.type == "boolean":
        return rng.random() < 0.5
    if spec.type in ("text", "textarea"):
        return "Recorded."
    return None  # dates: left blank rather than invented


def _generic(rng: random.Random, fields: Iterable[Field], level: float) -> Answers:
    answers: Answers = {}
    for spec in fields:
        if spec.enabled(answers) and (spec.required or spec.type == "choice"):
            value = _generic_value(rng, spec, level)
            if value is not None:
                answers[spec.key] = value
    return answers


def _fill_required(rng: random.Random, section: Section, answers: Answers, level: float) -> None:
    """Answer required, applicable top-level questions the scenario left blank (a field added to
    the checklist after this generator was written)."""
    for spec in section.fields():
        if spec.required and blank(answers.get(spec.key)) and spec.enabled(answers):
            value = _generic_value(rng, spec, level)
            if value is not None:
                answers[spec.key] = value


def fit(section: Section, answers: Answers) -> Answers:
    """The answers without anything the current checklist refuses (a field renamed or removed
    since this generator was written), so seeding never stops on a checklist change."""
    current: Answers = {k: v for k, v in answers.items()}
    for _ in range(5):
        _clean, errors = clean_answers(section, current)
        if not errors:
            return current
        for key in errors:
            _drop(section, current, key)
    return clean_answers(section, current)[0]


def _drop(section: Section, answers: Answers, error_key: str) -> None:
    if error_key in answers:
        answers.pop(error_key)
        return
    for group in section.groups():
        prefix = f"{group.key}-"
        if not error_key.startswith(prefix):
            continue
        number, _, name = error_key[len(prefix):].partition("-")
        rows = answers.get(group.key)
        if number.isdigit() and isinstance(rows, list) and int(number) < len(rows):
            if name:
                rows[int(number)] = {k: v for k, v in rows[int(number)].items() if k != name}
            else:
                rows.pop(int(number))
            return


SectionMaker = Callable[[random.Random, Profile, VisitInfo, Section, bool], Answers]


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
            answers = _generic(rng, section.fields(), _level(p, v))
        _fill_required(rng, section, answers, _level(p, v))
        out[section.key] = answers
    return out


# ---------------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------------

ACK_ACTIONS = {
    "phq9_item9": "Asked directly: passive thoughts, no plan or intent. Safety plan agreed; GP informed.",
    "red_flag.cauda_equina": "Same-day referral to the on-call spinal team; emergency MRI: no compression.",
    "red_flag.neuro_deficit": "Urgent spinal review and MRI arranged.",
    "red_flag.infection": "ESR/CRP and WBC normal; no wound concern. Safety-netting advice given.",
    "red_flag.fracture": "Considered; no trauma, no osteoporosis; X-ray not indicated.",
    "red_flag.malignancy": "History reviewed with oncology letters; MRI shows no metastatic disease.",
}


def visit_dates(rng: random.Random, count: int, today: date) -> list[date]:
    """``count`` visit dates within the past two years, oldest first (distinct when possible)."""
    if count <= 730:
        offsets = rng.sample(range(1, 731), count)
    else:
        offsets = [rng.randint(1, 730) for _ in range(count)]
    return [today - timedelta(days=d) for d in sorted(offsets, reverse=True)]


def seed_visits(patients: list[Patient], per_patient: int, rng: random.Random, author: User) -> int:
    """Create ``per_patient`` filled visits for each patient; returns the number created."""
    if per_patient <= 0 or not patients:
        return 0
    sections = service.visit_sections()
    today = date.today()
    created = 0
    drifted: set[str] = set()  # sections whose generated answers the checklist refused in part
    for patient in patients:
        dates = visit_dates(rng, per_patient, today)
        profile = draw_profile(rng, patient, dates[0], dates[-1])
        trend = rng.uniform(-0.35, 0.15)  # most patients improve a little over the series
        for number, day in enumerate(dates):
            info = VisitInfo(day, number, "initial" if number == 0 else "follow_up",
                             trend * number / max(1, per_patient - 1))
            visit = service.start_visit(patient, author, day, info.kind)
            generated = generate_answers(rng, profile, info, sections, final=number == per_patient - 1)
            # One call stores every section (validated and audited per section as
            # save_section does) and evaluates the visit once: ~10x faster than one save each.
            entries = []
            for section in sections:
                answers = fit(section, generated[section.key])
                if answers != generated[section.key]:
                    drifted.add(section.key)
                entries.append((section, answers, 0))
            result = service.save_sections(visit, entries, author)
            if number < per_patient - 1 and rng.random() < 0.7:
                _acknowledge(visit, author, [a.kind for a in result.evaluation.alerts if a.must_acknowledge])
            created += 1
    if drifted:
        log.warning("demo visits: answers the checklist no longer accepts were left out in %s; "
                    "update services/demo_visits.py", ", ".join(sorted(drifted)))
    return created


def _acknowledge(visit: Visit, author: User, kinds: list[str]) -> None:
    """Acknowledge the visit's pending must-acknowledge alerts (an older, handled visit)."""
    if not kinds:
        return
    for alert in service.active_alerts(visit.id):
        if alert.pending:
            action = ACK_ACTIONS.get(alert.kind, "Reviewed with the patient; action recorded in the notes.")
            service.acknowledge_alert(visit, alert, action, author)


def answers_fit(section: Section, answers: Mapping[str, Any]) -> dict[str, str]:
    """The validation errors of generated answers (for tests: empty when they fit)."""
    return clean_answers(section, answers)[1]
