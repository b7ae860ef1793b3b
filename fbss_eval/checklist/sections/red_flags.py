"""Red-flag screen: every item answered yes / no / unknown.

A blank item means the screen is incomplete; "unknown" means asked but not established.

Each item is either a red-flag *feature* or a *risk factor* (Downie et al., BMJ 2013;347:f7095:
most single red flags have high false-positive rates; only a history of cancer alone meaningfully
raises the probability of malignancy; fracture flags are informative in combination):

- a feature answered yes raises its condition's critical, must-acknowledge alert;
- a risk factor alone raises a warning (no banner): it "raises the suspicion of <condition> if
  <its related features>";
- a risk factor together with a related feature raises the critical alert of that condition,
  naming the risk factor. ``RedFlagCondition.risk_factors`` is that combination table, as data:
  every risk factor listed there combines with every feature of the condition. A risk factor may
  combine with the features of another condition than the one it is listed under on the screen
  (age over 55 sits under fracture and also combines with the features of malignancy).

``rules.red_flags`` turns these into alerts; the candidacy reports read them too (an unaddressed
red flag makes a candidacy "not met until addressed").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..derived import AGE_OVER_55_ITEM
from ..options import YES_NO_UNKNOWN
from ..schema import Field
from ..schema import Option
from ..schema import Section

# The screen item that says whether the patient is over 55. Rules read it through
# ``rules.red_flags.screen_answer``, which prefers a value computed from the birth date.
AGE_OVER_55 = AGE_OVER_55_ITEM

DOWNIE = "Downie et al., BMJ 2013;347:f7095"


@dataclass(frozen=True)
class RedFlagCondition:
    """One condition of the screen: its items (features and risk factors, in screen order), the
    risk factors that combine with its features, and what to do."""

    key: str  # alert kind suffix: red_flag.<key> (critical), red_flag_risk.<key> (warning)
    title: str
    short: str  # a few words for the acknowledged-alert chip and the candidacy reports
    items: tuple[tuple[str, str], ...]  # (field key, label), shown under this condition
    action: str
    source: str  # the published source, printed with the alert
    risk_factors: tuple[str, ...] = ()  # field keys (any condition's) that combine with its features
    suspicion: str = ""  # "<the related features>", completing "raises the suspicion of ... if"


CONDITIONS: tuple[RedFlagCondition, ...] = (
    RedFlagCondition(
        "cauda_equina",
        "Suspected cauda equina syndrome",
        "suspected cauda equina syndrome",
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
        "progressive or new neurological deficit",
        (
            ("rf_neuro_progressive_weakness", "Progressive motor weakness"),
            ("rf_neuro_multiroot", "Multi-root deficit"),
            ("rf_neuro_gait", "Gait disturbance or widespread neurology"),
        ),
        "Urgent surgical / spinal review and MRI.",
        "NICE NG59 (new or changed symptoms)",
    ),
    RedFlagCondition(
        "infection",
        "Possible infection (discitis, epidural abscess, wound infection)",
        "possible infection",
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
        "NICE NG59 (exclude specific causes: infection)",
        risk_factors=("rf_inf_immunosuppression", "rf_inf_ivdu", "rf_inf_diabetes"),
        suspicion="fever, wound signs or raised ESR/CRP",
    ),
    RedFlagCondition(
        "fracture",
        "Possible fracture",
        "possible fracture",
        (
            ("rf_fx_trauma", "Significant trauma"),
            ("rf_fx_osteoporosis_steroids", "Osteoporosis or systemic steroids"),
            (AGE_OVER_55, "Age over 55 (computed from the date of birth)"),
        ),
        "Imaging (X-ray / CT).",
        DOWNIE,
        risk_factors=("rf_fx_osteoporosis_steroids", AGE_OVER_55),
        suspicion="significant trauma",
    ),
    RedFlagCondition(
        "malignancy",
        "Possible malignancy",
        "possible malignancy",
        (
            ("rf_mal_cancer_history", "History of cancer"),
            ("rf_mal_weight_loss", "Unexplained weight loss"),
            ("rf_mal_new_onset_over_55", "New-onset pain at age over 55"),
            ("rf_mal_night_pain", "Unremitting night pain"),
            ("rf_mal_thoracic_pain", "Thoracic pain"),
        ),
        "MRI; urgent referral.",
        DOWNIE,
        risk_factors=("rf_mal_new_onset_over_55", AGE_OVER_55),
        suspicion="a history of cancer, unexplained weight loss, unremitting night pain or "
        "thoracic pain",
    ),
    RedFlagCondition(
        "postop_emergency",
        "Possible post-operative emergency",
        "possible post-operative emergency",
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
        "Standard post-operative practice (no single published source)",
    ),
    RedFlagCondition(
        "inflammatory_deformity",
        "Inflammatory disease, structural deformity or new pain under 20",
        "inflammatory disease, deformity or new pain under 20",
        (
            ("rf_infl_inflammatory_disease", "Known inflammatory condition"),
            ("rf_infl_deformity", "Structural deformity"),
            ("rf_infl_flexion_restriction", "Persistent severe restriction of lumbar flexion"),
            ("rf_infl_under_20", "New pain before age 20"),
        ),
        "Specialist referral.",
        "NICE NG59 (exclude specific causes: inflammatory disease)",
    ),
)

CONDITION_BY_KEY: dict[str, RedFlagCondition] = {cond.key: cond for cond in CONDITIONS}
# Items that are facts of a stored date (derived.py): read by the rules, never asked.
COMPUTED_ITEMS: frozenset[str] = frozenset({AGE_OVER_55})
SCREEN_KEYS: tuple[str, ...] = tuple(
    key for cond in CONDITIONS for key, _ in cond.items if key not in COMPUTED_ITEMS
)
ITEM_LABELS: dict[str, str] = {key: label for cond in CONDITIONS for key, label in cond.items}
RISK_FACTOR_KEYS: frozenset[str] = frozenset(key for cond in CONDITIONS for key in cond.risk_factors)


def features_of(cond: RedFlagCondition) -> tuple[str, ...]:
    """The condition's feature items (its screen items that are not risk factors)."""
    return tuple(key for key, _ in cond.items if key not in RISK_FACTOR_KEYS)


def _hint(cond: RedFlagCondition, key: str) -> str | None:
    if key in RISK_FACTOR_KEYS:
        related = [c for c in CONDITIONS if key in c.risk_factors]
        raises = "; of ".join(f"{c.short.removeprefix('possible ')} if {c.suspicion}" for c in related)
        return (f"Risk factor, not a red flag by itself: it raises the suspicion of {raises} "
                f"({DOWNIE}).")
    if cond.key == "cauda_equina":
        return "Recent onset (<14 days) or deterioration counts (BMJ Best Practice: cauda equina syndrome)."
    if cond.key == "postop_emergency":
        return "Early post-operative period."
    return None


def _screen_fields() -> tuple[Field, ...]:
    return tuple(
        Field(
            key, label, "choice", options=YES_NO_UNKNOWN, required=True, hint=_hint(cond, key), own_layout=True
        )
        for cond in CONDITIONS
        for key, label in cond.items
        if key not in COMPUTED_ITEMS
    )


ADDRESSED_OPTIONS: tuple[Option, ...] = tuple(Option(cond.key, cond.title) for cond in CONDITIONS)

SECTION = Section(
    key="red_flags",
    title="Red flags",
    description=(
        "Blocking screen: answer every item. A red-flag feature answered 'yes' raises an alert that "
        "must be acknowledged with the action taken; a risk factor alone raises a warning, and "
        "with a related feature the alert of that condition (Downie et al., BMJ 2013;347:f7095). "
        "'Unknown' keeps an item visible as unassessed."
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
        Field(
            "rf_addressed",
            "Red flags addressed (investigated and excluded, or treated)",
            "multichoice",
            options=ADDRESSED_OPTIONS,
            hint="Until a raised red flag is ticked here, the SCS, biologic disc repair and "
            "revision candidacy reports read it as not met until addressed.",
            summary=True,
        ),
        Field("rf_notes", "Red-flag notes and actions taken", "textarea", max_length=4000, summary=True),
    ),
    summary="marked",
)
