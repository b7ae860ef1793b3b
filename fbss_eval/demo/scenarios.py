"""Who the demo patients are: the clinical scenarios of failed back surgery, and one patient's story.

Each patient gets one *scenario* (recurrent herniation, epidural fibrosis, adjacent segment
disease, SIJ pain after a fusion to the sacrum, pseudarthrosis, discogenic pain, facet pain, wrong
level, foraminal stenosis, nociplastic pain). A scenario names checklist option values (procedures,
imaging findings, pain generators, plan options ...); ``tests/web/test_demo_visits.py`` checks
that every one of them is an option of the checklist field it answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from ..checklist.options import SEGMENTS as SEGMENT_OPTIONS
from ..checklist.sections import surgical_history as surgery

Answers = dict[str, Any]

# The operated segments the demo draws from (the checklist's lumbar segments below L1-L2), in
# the checklist's order (the order the draw's weights are given in).
SEGMENTS: tuple[str, ...] = tuple(opt.value for opt in SEGMENT_OPTIONS if opt.value != "L1-L2")
# Segment -> the root it usually compresses (paracentral herniation / lateral recess): the
# exiting root of the vertebra below, e.g. L4-L5 -> L5.
ROOT_OF: dict[str, str] = {segment: segment.split("-")[1] for segment in SEGMENTS}
# Segment -> the segment above it (adjacent segment disease).
ABOVE: dict[str, str] = {
    lower: upper for upper, lower in zip(SEGMENTS, SEGMENTS[1:], strict=False)
}


def in_option_order(values: Iterable[str]) -> tuple[str, ...]:
    """Procedure values in the checklist's option order (a set has no order a seed can rely on)."""
    wanted = set(values)
    return tuple(opt.value for opt in surgery.PROCEDURES if opt.value in wanted)


# What the scenarios draw an operation from: the checklist's own classes of procedure, so a fusion
# type added to the checklist is drawn too. Microdiscectomy, the commonest, is drawn twice as often.
FUSIONS: tuple[str, ...] = in_option_order(surgery.FUSION_PROCEDURES)
DISCECTOMIES: tuple[str, ...] = ("microdiscectomy", *in_option_order(surgery.DISCECTOMIES))
DECOMPRESSIONS: tuple[str, ...] = in_option_order(surgery.DECOMPRESSIONS - surgery.DISCECTOMIES)  # no discectomy
# The fusions that commonly end on the sacrum (or are revised): posterior, instrumented.
POSTERIOR_FUSIONS: tuple[str, ...] = ("fusion_tlif", "fusion_plif", "fusion_posterolateral")


def hardware(procedure: str) -> tuple[str, tuple[str, ...]]:
    """The approach and instrumentation an operation of this kind is recorded with."""
    if procedure in HARDWARE:
        return HARDWARE[procedure]
    if procedure in surgery.FUSION_PROCEDURES:
        return "posterior", ("pedicle_screws_rods",)
    return "posterior", ("none",)


def procedure_words(procedure: str) -> str:
    """How a sentence names a procedure ("TLIF"); else the checklist's label, in lower case."""
    if procedure in PROCEDURE_WORDS:
        return PROCEDURE_WORDS[procedure]
    option = next((opt for opt in surgery.PROCEDURES if opt.value == procedure), None)
    return option.label.lower() if option else "surgery"


def verts(segment: str) -> list[str]:
    """The two vertebrae of a segment ("L4-L5" -> ["L4", "L5"])."""
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
        "epidural_fibrosis", DISCECTOMIES + ("laminectomy", "hemilaminectomy"), ("improved",), (6, 12), True,
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
        "sij_after_fusion", POSTERIOR_FUSIONS, ("resolved", "improved"),
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
        "nociplastic", DISCECTOMIES + ("fusion_tlif", "fusion_plif"), ("improved", "unchanged"), (6, 80), False,
        ("normal_postop",), (), ("mri",),
        ("nociplastic_psychosocial",), ("myofascial", "inadequate_rehab"),
        ("undetermined",), ("mixed", "undetermined"), ("nociplastic_predominant", "benign_persistent_back_pain"),
        ("psychology_cbt", "mdt_referral", "conservative_rehab", "medication_review"),
        None, neuropathic=0.2, psych=(0.5, 1.0), pain_vs_preop=("different", "new_location"),
        complaint="Widespread back pain spreading beyond the operated area after {proc} at {segment}.",
    ),
)

# Procedure -> (approach, instrumentation); another fusion: posterior, screws and rods (``hardware``);
# anything else: posterior, none.
HARDWARE: dict[str, tuple[str, tuple[str, ...]]] = {
    "fusion_alif": ("anterior", ("interbody_cage", "plate")),
    "fusion_llif": ("lateral", ("interbody_cage", "pedicle_screws_rods")),
    "fusion_olif": ("oblique", ("interbody_cage", "pedicle_screws_rods")),
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
    "fusion_alif": "ALIF", "fusion_llif": "LLIF", "fusion_olif": "OLIF", "revision": "revision",
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


# Symptoms each scenario adds to the visit section's symptom list.
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


# Revision planned, by scenario (plan section); anything else: decompression.
REVISION_TYPES = {"pseudarthrosis": ["hardware_replacement"], "adjacent_segment": ["fusion_extension", "decompression"]}
