"""Section 9: psychosocial yellow flags, work, lifestyle risk factors and the impact of the pain.

Sources: clinical-reference.md 3.f (yellow flags after Kendall et al. 1997 and Nicholas et al.
2011; risk factors: compensation/litigation RR 2.12, Spine J 2015; smoking; BMI >= 30) and design.md
section 7 (occupational stress, fear of further procedures, impact on relationships, smoking and
obesity as risk factors). Emotional fatigue and the impact on daily activities are in ``visit``.
"""

from __future__ import annotations

from typing import Any

from ..options import YES_NO_UNKNOWN
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import Section


def _opts(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


SEVERITY = _opts(("none", "None"), ("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"))

# Reference 3.f: New Zealand yellow-flags guide (Kendall 1997) and its reappraisal (Nicholas 2011).
# Smoking, alcohol/substance use and medico-legal claims (the NHS Dumfries & Galloway additions)
# have their own fields below.
YELLOW_FLAGS = _opts(
    ("none", "None identified"),
    ("harmful_beliefs", "Belief that pain or activity is harmful"),
    ("catastrophising", "Catastrophising"),
    ("fear_avoidance", "Fear-avoidance and reduced activity"),
    ("low_mood", "Low mood / depression / social withdrawal"),
    ("anxiety", "Anxiety"),
    ("passive_expectations", "Passive treatment expectations"),
    ("compensation_problems", "Compensation / claim problems"),
    ("work_problems", "Work problems / low job satisfaction"),
    ("family_overprotective_unsupportive", "Over-protective or unsupportive family"),
    ("prior_sick_leave", "Prior sick leave / claims"),
)

WORK_STATUS = _opts(
    ("working_full_time", "Working full time"),
    ("working_part_time", "Working part time"),
    ("modified_duties", "Working, modified duties"),
    ("off_work_sick", "Off work sick"),
    ("unemployed", "Unemployed"),
    ("retired", "Retired"),
    ("student", "Student"),
    ("homemaker", "Homemaker"),
)

COMPENSATION = _opts(
    ("none", "None"),
    ("workers_compensation", "Workers' compensation claim"),
    ("disability_claim", "Disability / sickness benefit claim"),
    ("personal_injury_litigation", "Personal-injury litigation"),
    ("medico_legal_other", "Other medico-legal claim"),
)

SUBSTANCES = _opts(
    ("none", "None"),
    ("cannabis", "Cannabis"),
    ("non_prescribed_opioids", "Non-prescribed opioids"),
    ("sedatives", "Non-prescribed sedatives / benzodiazepines"),
    ("stimulants", "Stimulants"),
    ("other", "Other"),
)

EXPECTATIONS = _opts(
    ("cure", "Expects a cure / complete pain relief"),
    ("passive_fix", "Expects a procedure or operation to fix it"),
    ("pain_reduction", "Hopes for less pain"),
    ("function", "Hopes for better function / return to activity"),
    ("understanding", "Wants an explanation / diagnosis"),
    ("unsure", "Unsure"),
)


def bmi(height_cm: Any, weight_kg: Any) -> float | None:
    """Body-mass index (kg/m^2) to one decimal; None when either value is missing, zero,
    negative or not a number. ``bmi(175, 70) == 22.9``."""
    try:
        height = float(height_cm)
        weight = float(weight_kg)
    except (TypeError, ValueError):
        return None
    if not (height > 0 and weight > 0):  # also rejects NaN
        return None
    metres = height / 100
    return round(weight / (metres * metres), 1)


SECTION = Section(
    key="psychosocial",
    title="Psychosocial and lifestyle",
    description=(
        "Yellow flags, work and lifestyle risk factors for a poor outcome (Kendall et al. 1997; "
        "Nicholas et al., Phys Ther 2011). "
        "Questionnaire scores (PHQ-9, GAD-7, PCS, FABQ, TSK, STarT Back) are taken from the "
        "instrument sections."
    ),
    items=(
        Field(
            "yellow_flags",
            "Yellow flags identified",
            "multichoice",
            options=YELLOW_FLAGS,
            required=True,
            hint="New Zealand yellow-flags guide (Kendall 1997; Nicholas et al. 2011).",
            summary=True,
        ),
        Field("work_status", "Work status", "choice", options=WORK_STATUS, summary=True),
        Field("occupation", "Occupation", "text", max_length=200),
        Field(
            "off_work_weeks",
            "Weeks off work",
            "integer",
            unit="weeks",
            min=0,
            max=1040,
            enable_when=(EnableWhen("work_status", "in", ("off_work_sick", "unemployed")),),
            summary=True,
        ),
        Field(
            "occupational_stress",
            "Occupational stress",
            "choice",
            options=(*SEVERITY, Option("not_applicable", "Not applicable (not working)")),
        ),
        Field(
            "smoking",
            "Smoking",
            "choice",
            options=_opts(("never", "Never"), ("former", "Former"), ("current", "Current")),
            required=True,
            summary=True,
        ),
        Field(
            "pack_years",
            "Pack-years",
            "decimal",
            unit="pack-years",
            min=0,
            max=200,
            enable_when=(EnableWhen("smoking", "in", ("former", "current")),),
            summary=True,
        ),
        Field(
            "smoking_cessation_interest",
            "Interested in stopping smoking",
            "choice",
            options=YES_NO_UNKNOWN,
            enable_when=(EnableWhen("smoking", "eq", "current"),),
        ),
        Field("height_cm", "Height", "decimal", unit="cm", min=100, max=230, required=True),
        Field("weight_kg", "Weight", "decimal", unit="kg", min=25, max=300, required=True,
              hint="BMI is computed from height and weight; BMI >= 30 is a risk factor."),
        Field("alcohol_units_week", "Alcohol", "decimal", unit="units/week", min=0, max=300, summary=True),
        Field("substance_use", "Substance use", "multichoice", options=SUBSTANCES, summary=True),
        Field(
            "substance_details",
            "Substance use details",
            "text",
            max_length=500,
            enable_when=(EnableWhen("substance_use", "truthy"),),
        ),
        Field(
            "family_support",
            "Family support",
            "choice",
            options=_opts(
                ("supportive", "Supportive"),
                ("over_protective", "Over-protective"),
                ("unsupportive", "Unsupportive"),
                ("none", "No family / carer involved"),
            ),
        ),
        Field("expectations", "Patient's expectations", "choice", options=EXPECTATIONS, summary=True),
        Field("expectations_text", "Expectations in the patient's words", "textarea",
              max_length=2000),
        Field("sleep_disturbance", "Sleep disturbed by pain", "choice", options=SEVERITY, summary=True),
        Field("sleep_hours", "Usual sleep", "decimal", unit="hours/night", min=0, max=24),
        Field("notes", "Psychosocial notes", "textarea", max_length=4000),
    ),
    summary="marked",
)
