"""Red-flag screen (reference 3.a): every item answered yes / no / unknown.

A blank item means the screen is incomplete; "unknown" means asked but not established. The
conditions below are also what ``rules.red_flags`` turns into must-acknowledge alerts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..options import YES_NO_UNKNOWN
from ..schema import Field
from ..schema import Section


@dataclass(frozen=True)
class RedFlagCondition:
    """One condition of the screen: its items, and what the reference says to do."""

    key: str  # alert kind suffix: red_flag.<key>
    title: str
    items: tuple[tuple[str, str], ...]  # (field key, label)
    action: str
    source: str


CONDITIONS: tuple[RedFlagCondition, ...] = (
    RedFlagCondition(
        "cauda_equina",
        "Suspected cauda equina syndrome",
        (
            (
                "rf_ces_bladder_bowel",
                "Bladder or bowel disturbance (retention, reduced sensation, incontinence)",
            ),
            ("rf_ces_saddle", "Saddle / perianal / genital numbness or altered sensation"),
            ("rf_ces_bilateral_deficit", "Bilateral leg neurological deficit or weakness"),
            ("rf_ces_bilateral_sciatica", "Bilateral sciatica"),
            ("rf_ces_sexual_dysfunction", "New sexual dysfunction"),
        ),
        "Immediate same-day referral; emergency MRI lumbosacral spine (within 4 h of request "
        "in hospital). Bladder scan if it causes no delay: PVR >=200 mL makes CES more likely, "
        "<200 mL does not exclude it. A digital rectal exam is not required before MRI. "
        "Retention with overflow is a late sign; do not wait for it.",
        "BMJ Best Practice: cauda equina syndrome",
    ),
    RedFlagCondition(
        "neuro_deficit",
        "Progressive or new neurological deficit",
        (
            ("rf_neuro_progressive_weakness", "Progressive motor weakness"),
            ("rf_neuro_multiroot", "Multi-root deficit"),
            ("rf_neuro_gait", "Gait disturbance or widespread neurology"),
        ),
        "Urgent surgical / spinal review and MRI.",
        "NICE NG59; Downie et al., BMJ 2013;347:f7095",
    ),
    RedFlagCondition(
        "infection",
        "Possible infection (discitis, epidural abscess, wound infection)",
        (
            ("rf_inf_fever", "Fever, systemically unwell or sepsis"),
            ("rf_inf_wound", "Wound redness, discharge or dehiscence"),
            ("rf_inf_immunosuppression", "Immunosuppression (HIV, steroids, chemotherapy)"),
            ("rf_inf_ivdu", "Intravenous drug use"),
            ("rf_inf_diabetes", "Diabetes"),
            ("rf_inf_raised_markers", "Raised ESR / CRP"),
        ),
        "Urgent bloods (ESR/CRP, WBC, blood cultures) and MRI with gadolinium; spinal surgical "
        "review.",
        "NICE NG59; Downie et al., BMJ 2013;347:f7095",
    ),
    RedFlagCondition(
        "fracture",
        "Possible fracture",
        (
            ("rf_fx_trauma", "Significant trauma"),
            ("rf_fx_osteoporosis_steroids", "Osteoporosis or systemic steroids"),
            ("rf_fx_age_over_55", "Age over 55"),
        ),
        "Imaging (X-ray / CT).",
        "NICE NG59; Downie et al., BMJ 2013;347:f7095",
    ),
    RedFlagCondition(
        "malignancy",
        "Possible malignancy",
        (
            ("rf_mal_cancer_history", "History of cancer"),
            ("rf_mal_weight_loss", "Unexplained weight loss"),
            ("rf_mal_new_onset_over_55", "New-onset pain at age over 55"),
            ("rf_mal_night_pain", "Unremitting night pain"),
            ("rf_mal_thoracic_pain", "Thoracic pain"),
        ),
        "MRI; urgent referral.",
        "NICE NG59; Downie et al., BMJ 2013;347:f7095",
    ),
    RedFlagCondition(
        "postop_emergency",
        "Possible post-operative emergency",
        (
            (
                "rf_postop_haematoma",
                "Early post-op rapid neurological deficit (epidural haematoma)",
            ),
            (
                "rf_postop_csf_leak",
                "Positional headache or clear wound fluid (CSF leak / pseudomeningocele)",
            ),
            ("rf_postop_hardware_deformity", "Acute hardware failure with deformity"),
            ("rf_postop_instability_deficit", "Suspected instability with neurological deficit"),
        ),
        "Urgent surgical review.",
        "Standard surgical practice (UNVERIFIED list)",
    ),
    RedFlagCondition(
        "inflammatory_deformity",
        "Inflammatory disease, structural deformity or new pain under 20",
        (
            ("rf_infl_inflammatory_disease", "Known inflammatory condition"),
            ("rf_infl_deformity", "Structural deformity"),
            ("rf_infl_flexion_restriction", "Persistent severe restriction of lumbar flexion"),
            ("rf_infl_under_20", "New pain before age 20"),
        ),
        "Specialist referral.",
        "NICE NG59; Downie et al., BMJ 2013;347:f7095",
    ),
)

SCREEN_KEYS: tuple[str, ...] = tuple(key for cond in CONDITIONS for key, _ in cond.items)

_HINTS: dict[str, str] = {
    "cauda_equina": "Recent onset (<14 days) or deterioration counts (BMJ Best Practice: cauda equina syndrome).",
    "postop_emergency": "Early post-operative period.",
}


def _screen_fields() -> tuple[Field, ...]:
    return tuple(
        Field(
            key, label, "choice", options=YES_NO_UNKNOWN, required=True, hint=_HINTS.get(cond.key), own_layout=True
        )
        for cond in CONDITIONS
        for key, label in cond.items
    )


SECTION = Section(
    key="red_flags",
    title="Red flags",
    description=(
        "Blocking screen: answer every item. Any 'yes' raises an alert that must "
        "be acknowledged with the action taken; 'unknown' keeps it visible as unassessed."
    ),
    items=(
        *_screen_fields(),
        Field(
            "rf_pvr_ml",
            "Post-void residual (bladder scan)",
            "integer",
            min=0,
            max=3000,
            unit="mL",
            hint=">=200 mL makes CES more likely; <200 mL does not exclude it (BMJ Best Practice: "
            "cauda equina syndrome).",
            summary=True,
        ),
        Field("rf_notes", "Red-flag notes and actions taken", "textarea", max_length=4000, summary=True),
    ),
    summary="marked",
)
