"""Physical examination: neurology by root and side, nerve tension, SIJ / facet provocation,
non-organic signs, gait and balance, and the non-spinal mimics (hip, pulses, peripheral nerves).

Sources: clinical-reference.md 3.a (deficits), 3.e (supporting findings per pain generator),
design.md section 7 (reflexes, strength, sensation, neurological deficits).
"""

from __future__ import annotations

from ..options import YES_NO_UNKNOWN
from ..schema import Field
from ..schema import Option
from ..schema import Section

_SIDES = (("left", "left"), ("right", "right"))

# Root -> (key muscle action, sensory area).
ROOT_TESTS: tuple[tuple[str, str, str], ...] = (
    ("L2", "hip flexion", "anterior upper thigh"),
    ("L3", "knee extension", "medial knee"),
    ("L4", "ankle dorsiflexion", "medial leg / malleolus"),
    ("L5", "great-toe extension", "dorsum of foot"),
    ("S1", "ankle plantar flexion", "lateral foot / sole"),
)

# Reflex -> root(s) it tests.
REFLEXES: tuple[tuple[str, str, str], ...] = (
    ("knee", "Knee jerk", "L3-L4"),
    ("hamstring", "Medial hamstring jerk", "L5"),
    ("ankle", "Ankle jerk", "S1"),
)

MOTOR: tuple[Option, ...] = (
    Option("normal", "Normal (MRC 5)"),
    Option("reduced", "Reduced (MRC 1-4)"),
    Option("absent", "Absent (MRC 0)"),
    Option("not_tested", "Not tested"),
)
SENSORY: tuple[Option, ...] = (
    Option("normal", "Normal"),
    Option("reduced", "Reduced"),
    Option("absent", "Absent"),
    Option("increased", "Increased / allodynia"),
    Option("not_tested", "Not tested"),
)
REFLEX: tuple[Option, ...] = (
    Option("normal", "Normal"),
    Option("brisk", "Brisk"),
    Option("reduced", "Reduced"),
    Option("absent", "Absent"),
    Option("not_tested", "Not tested"),
)
SLR: tuple[Option, ...] = (
    Option("negative", "Negative"),
    Option("positive", "Positive: reproduces leg pain below the knee"),
    Option("back_hamstring_only", "Back or hamstring pain only"),
    Option("not_tested", "Not tested"),
)
SIDED_RESULT: tuple[Option, ...] = (
    Option("negative", "Negative / normal"),
    Option("left", "Positive / abnormal left"),
    Option("right", "Positive / abnormal right"),
    Option("bilateral", "Positive / abnormal both sides"),
    Option("not_tested", "Not tested"),
)
GAIT: tuple[Option, ...] = (
    Option("normal", "Normal"),
    Option("antalgic", "Antalgic"),
    Option("foot_drop", "Foot drop / high-stepping"),
    Option("trendelenburg", "Trendelenburg"),
    Option("ataxic_wide_based", "Ataxic / wide-based"),
    Option("stooped", "Stooped, forward-leaning"),
    Option("not_tested", "Not tested"),
)
BALANCE: tuple[Option, ...] = (
    Option("normal", "Normal"),
    Option("impaired", "Impaired (e.g. Romberg, tandem gait)"),
    Option("not_tested", "Not tested"),
)
POSTURE: tuple[Option, ...] = (
    Option("normal", "Normal"),
    Option("forward_lean", "Forward lean / flat back"),
    Option("lateral_shift", "Lateral shift / list"),
    Option("scoliosis", "Scoliosis"),
)
FLEXION: tuple[Option, ...] = (
    Option("normal", "Normal"),
    Option("reduced", "Reduced"),
    Option("severely_restricted", "Severely restricted"),
    Option("not_tested", "Not tested"),
)
PERIPHERAL_NERVE: tuple[Option, ...] = (
    Option("none", "None"),
    Option("polyneuropathy", "Stocking sensory loss (polyneuropathy)"),
    Option("peroneal", "Common peroneal at the fibular head"),
    Option("lateral_femoral_cutaneous", "Lateral femoral cutaneous (meralgia)"),
    Option("tarsal_tunnel", "Tarsal tunnel"),
    Option("other", "Other entrapment"),
)


def _root_fields() -> tuple[Field, ...]:
    fields: list[Field] = []
    for root, muscle, area in ROOT_TESTS:
        for side, side_label in _SIDES:
            fields.append(
                Field(
                    f"motor_{root.lower()}_{side}",
                    f"{root} motor ({muscle}), {side_label}",
                    "choice",
                    options=MOTOR,
                    required=True,
                    own_layout=True,
                )
            )
        for side, side_label in _SIDES:
            fields.append(
                Field(
                    f"sensory_{root.lower()}_{side}",
                    f"{root} sensation ({area}), {side_label}",
                    "choice",
                    options=SENSORY,
                    required=True,
                    own_layout=True,
                )
            )
    for reflex, label, roots in REFLEXES:
        for side, side_label in _SIDES:
            fields.append(
                Field(
                    f"reflex_{reflex}_{side}",
                    f"{label} ({roots}), {side_label}",
                    "choice",
                    options=REFLEX,
                    required=True,
                    hint="The medial hamstring jerk is often absent normally."
                    if reflex == "hamstring"
                    else None,
                    own_layout=True,
                )
            )
    return tuple(fields)


SECTION = Section(
    key="examination",
    title="Examination",
    description=(
        "Neurology by root and side, nerve tension, SIJ and facet provocation, non-organic "
        "signs, gait and balance, and the non-spinal mimics."
    ),
    items=(
        *_root_fields(),
        Field(
            "umn_signs",
            "Upper motor neuron signs (Babinski, clonus, hyperreflexia)",
            "choice",
            options=YES_NO_UNKNOWN,
            required=True,
            hint="Suggests a lesion above the lumbar spine.",
            summary=True,
        ),
        Field("slr_left", "Straight-leg raise, left", "choice", options=SLR, required=True, summary=True),
        Field("slr_right", "Straight-leg raise, right", "choice", options=SLR, required=True, summary=True),
        Field(
            "slr_crossed", "Crossed straight-leg raise positive", "choice", options=YES_NO_UNKNOWN, summary=True
        ),
        Field("femoral_stretch", "Femoral stretch test (L2-L4)", "choice", options=SIDED_RESULT, summary=True),
        Field(
            "sij_provocation_positive",
            "SIJ provocation tests positive (of 5)",
            "integer",
            min=0,
            max=5,
            required=True,
            hint="Distraction, compression, thigh thrust, Gaenslen, sacral thrust. >=3 "
            "positive supports SIJ pain (Liliang et al., Pain Med 2011).",
            summary=True,
        ),
        Field(
            "sij_pain_pattern",
            "Unilateral pain below L5 / over the sacral sulcus",
            "choice",
            options=YES_NO_UNKNOWN,
            hint="Liliang 2011 predictor.",
        ),
        Field(
            "facet_loading",
            "Facet loading (extension-rotation) reproduces the pain",
            "choice",
            options=SIDED_RESULT,
            required=True,
            summary=True,
        ),
        Field("paraspinal_tenderness", "Paraspinal tenderness", "choice", options=YES_NO_UNKNOWN),
        Field("lumbar_flexion", "Lumbar flexion", "choice", options=FLEXION, required=True),
        Field(
            "posture",
            "Standing posture",
            "choice",
            options=POSTURE,
            required=True,
            hint="Forward lean / flat back: consider sagittal imbalance.",
        ),
        Field(
            "waddell_signs",
            "Non-organic (Waddell) signs present (of 5)",
            "integer",
            min=0,
            max=5,
            required=True,
            hint="Tenderness, simulation, distraction, regional, over-reaction. A predominance "
            "is a relative SCS contraindication (Neuromodulation Foundation SCS practice parameters).",
            summary=True,
        ),
        Field("gait", "Gait", "choice", options=GAIT, required=True, summary=True),
        Field("balance", "Balance", "choice", options=BALANCE, required=True),
        Field(
            "hip_exam",
            "Hip examination (pain or restriction on rotation)",
            "choice",
            options=SIDED_RESULT,
            required=True,
            hint="Hip OA is a non-spinal mimic.",
            summary=True,
        ),
        Field(
            "peripheral_pulses",
            "Peripheral pulses reduced",
            "choice",
            options=SIDED_RESULT,
            required=True,
            hint="Vascular claudication mimic: check ABPI.",
            summary=True,
        ),
        Field("abpi", "Ankle-brachial pressure index (lowest side)", "decimal", min=0, max=2),
        Field(
            "peripheral_nerve_signs",
            "Peripheral neuropathy / entrapment signs",
            "multichoice",
            options=PERIPHERAL_NERVE,
            hint="Non-spinal mimic: consider NCS.",
            summary=True,
        ),
        Field("exam_notes", "Examination notes", "textarea", max_length=4000),
    ),
    summary="marked",
)
