"""Section 11: the pain-generator differential and the working conclusion.

One likelihood per pain-generator category (categories.PAIN_GENERATORS) with its evidence, the
PSPS-T2 aetiological category (van de Minkelis 2024, reference 3.0), the working classification
of the pain (mechanical / neurologic / inflammatory, design.md section 7), the ICD-11 chronic
post-surgical pain criteria (MG30.21, reference 3.0 "App rule") and the working conclusion,
which may be "benign persistent back pain".
"""

from __future__ import annotations

from ..categories import LIKELIHOODS
from ..categories import PAIN_GENERATORS
from ..categories import PSPS_T2_CATEGORIES
from ..options import YES_NO
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Item
from ..schema import Option
from ..schema import Section

# Likelihoods at which the clinician should say what supports the category.
EVIDENCE_LIKELIHOODS = ("possible", "probable", "confirmed")

PAIN_MECHANISMS: tuple[Option, ...] = (
    Option("mechanical", "Mechanical (instability, loading pain)"),
    Option("neurologic", "Neurologic (compression, root injury, neuropathic)"),
    Option("inflammatory", "Inflammatory"),
    Option("mixed", "Mixed"),
    Option("undetermined", "Undetermined"),
)

WORKING_CONCLUSIONS: tuple[Option, ...] = (
    Option("psps_t2_cpss", "PSPS-T2 / chronic pain after spinal surgery (CPSS, ICD-11 MG30.21)"),
    Option("structural_lesion_concordant",
           "Structural lesion concordant with symptoms and examination"),
    Option("neuropathic_predominant", "Predominantly neuropathic pain"),
    Option("nociplastic_predominant", "Predominantly nociplastic pain / central sensitisation"),
    Option("benign_persistent_back_pain",
           "Benign persistent back pain (no serious or surgically treatable cause found)"),
    Option("non_spinal", "Non-spinal cause (hip, peripheral nerve, vascular ...)"),
    Option("red_flag_pathology", "Possible serious pathology: urgent investigation"),
    Option("undetermined", "Undetermined: further investigation needed"),
)


def _generator_fields() -> tuple[Item, ...]:
    fields: list[Item] = []
    for category in PAIN_GENERATORS:
        lh_key = f"lh_{category.value}"
        fields.append(Field(lh_key, category.label, "choice", options=LIKELIHOODS, required=True, own_layout=True))
        fields.append(
            Field(
                f"ev_{category.value}",
                f"Evidence: {category.label}",
                "textarea",
                max_length=2000,
                enable_when=(EnableWhen(lh_key, "in", EVIDENCE_LIKELIHOODS),),
                own_layout=True,
            )
        )
    return tuple(fields)


SECTION = Section(
    key="differential",
    title="Pain-generator differential",
    description=(
        "Weigh each pain generator; the pointers beside this page list the findings that "
        "support each one. Pointers support the clinician's reasoning; they do not diagnose."
    ),
    items=(
        *_generator_fields(),
        Field(
            "psps_t2_category",
            "Working PSPS-T2 aetiological category",
            "choice",
            options=PSPS_T2_CATEGORIES,
            required=True,
            hint="van de Minkelis et al., Pain Pract 2024;24(7):919-936.",
            own_layout=True,
            key_fact=3,
        ),
        Field(
            "pain_mechanism",
            "Working classification of the pain",
            "choice",
            options=PAIN_MECHANISMS,
            required=True,
            key_fact=4,
        ),
        Field(
            "icd_prior_spinal_surgery",
            "ICD-11 CPSS (a): prior spinal surgery",
            "choice",
            options=YES_NO,
            required=True,
        ),
        Field(
            "icd_pain_3_months",
            "ICD-11 CPSS (b): pain persisting >= 3 months after the most recent surgery",
            "choice",
            options=YES_NO,
            required=True,
        ),
        Field(
            "icd_red_flags_addressed",
            "ICD-11 CPSS (c): red flags screened and negative or addressed "
            "(infection, malignancy excluded)",
            "choice",
            options=YES_NO,
            required=True,
        ),
        Field(
            "working_conclusion",
            "Working conclusion",
            "choice",
            options=WORKING_CONCLUSIONS,
            required=True,
            hint="PSPS-T2 (Christelis 2021) is proposed; ICD-11's own title is CPSS (MG30.21).",
            key_fact=2,
        ),
        Field("summary", "Differential summary", "textarea", max_length=6000, summary=True),
    ),
    summary="marked",
)
