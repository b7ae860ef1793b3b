"""Visit and pain profile: visit type, chief complaint, NRS back/leg, symptoms and impact.

Sources: clinical-reference.md 2.3 (NRS back and leg separately, recall period stored) and 3.b
(current pain same/different/new location); design.md section 7 (symptoms, impact, veterans).
"""

from __future__ import annotations

from ..options import SIDES
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import Section

VISIT_TYPES: tuple[Option, ...] = (
    Option("initial", "Initial"),
    Option("follow_up", "Follow-up"),
    Option("pre_procedure", "Pre-procedure"),
    Option("post_procedure", "Post-procedure"),
)

NRS_RECALL: tuple[Option, ...] = (
    Option("now", "Now only (no average rated)"),
    Option("24h", "Average over the last 24 hours"),
    Option("7d", "Average over the last 7 days"),
)

PAIN_AREAS: tuple[Option, ...] = (
    Option("low_back", "Low back"),
    Option("buttock", "Buttock"),
    Option("groin", "Groin"),
    Option("thigh_anterior", "Anterior thigh"),
    Option("thigh_posterior", "Posterior thigh"),
    Option("below_knee", "Below the knee (calf / shin)"),
    Option("foot", "Foot"),
    Option("thoracic", "Thoracic"),
    Option("widespread", "Widespread (beyond the back and legs)"),
)

PAIN_VS_PREOP: tuple[Option, ...] = (
    Option("same", "Same as before surgery"),
    Option("different", "Different in character"),
    Option("new_location", "New location"),
)

PAIN_TIMING: tuple[Option, ...] = (
    Option("never_relieved", "Never relieved by the last operation"),
    Option("immediately_after", "Immediately after the operation (new or worse)"),
    Option("days_weeks", "Returned within days to weeks"),
    Option("weeks_months", "Returned after weeks to months"),
    Option("months_years", "Returned months to years later"),
)

SYMPTOMS: tuple[Option, ...] = (
    Option("low_back_pain", "Persistent low back pain"),
    Option("leg_pain_sciatica", "Leg pain / sciatica"),
    Option("burning", "Burning pain"),
    Option("tingling", "Tingling / pins and needles"),
    Option("numbness", "Numbness"),
    Option("muscle_spasm", "Muscle spasm"),
    Option("weakness", "Weakness"),
    Option("balance_problems", "Balance problems"),
    Option("pain_returning", "Pain returning after a period of relief"),
    Option("neurogenic_claudication", "Leg pain on walking/standing, eased by sitting or bending"),
    Option("worse_sitting_flexion", "Worse sitting or bending forward"),
    Option("worse_extension", "Worse leaning back (extension)"),
    Option("mechanical_catching", "Mechanical pain / catching on movement"),
    Option("standing_fatigue", "Pain and fatigue standing, leaning forward"),
    Option("allodynia", "Pain from light touch or clothing"),
)

IMPACT: tuple[Option, ...] = (
    Option("none", "None"),
    Option("mild", "Mild"),
    Option("moderate", "Moderate"),
    Option("severe", "Severe"),
)

FEAR_OPTIONS: tuple[Option, ...] = (
    Option("no", "No"),
    Option("some", "Some worry"),
    Option("marked", "Marked fear of further procedures"),
)

VETERAN: tuple[Option, ...] = (
    Option("no", "No"),
    Option("veteran", "Veteran or serving, back problem not service-related"),
    Option("service_injury", "Service-related back injury"),
    Option("unknown", "Unknown"),
)

_AVG_ENABLED = (EnableWhen("nrs_recall", "ne", "now"),)


def _nrs(key: str, label: str, enable_when: tuple[EnableWhen, ...] = ()) -> Field:
    return Field(
        key, label, "integer", min=0, max=10, unit="/10", required=True, enable_when=enable_when, own_layout=True
    )


SECTION = Section(
    key="visit",
    title="Visit and pain profile",
    description=(
        "Visit type, the chief complaint and the current pain: back and leg NRS separately with "
        "the recall period, distribution, symptoms and impact."
    ),
    items=(
        Field("visit_date", "Visit date", "date", required=True, own_layout=True),
        Field("visit_type", "Visit type", "choice", options=VISIT_TYPES, required=True, own_layout=True),
        Field("chief_complaint", "Chief complaint", "textarea", max_length=2000, required=True,
              own_layout=True, key_fact=1),
        Field(
            "nrs_recall",
            "NRS recall period for the average ratings",
            "choice",
            options=NRS_RECALL,
            required=True,
            hint="Store the recall period with the ratings.",
        ),
        _nrs("back_nrs_now", "Back pain now (NRS 0-10)"),
        _nrs("back_nrs_avg", "Back pain, average over the recall period", _AVG_ENABLED),
        _nrs("leg_nrs_now", "Leg pain now (NRS 0-10)"),
        _nrs("leg_nrs_avg", "Leg pain, average over the recall period", _AVG_ENABLED),
        Field(
            "pain_distribution",
            "Pain distribution",
            "multichoice",
            options=PAIN_AREAS,
            required=True,
            summary=True,
        ),
        Field("pain_side", "Side of leg pain", "choice", options=SIDES, required=True, summary=True),
        Field(
            "back_pct",
            "Share of pain in the back",
            "integer",
            min=0,
            max=100,
            unit="%",
            required=True,
            hint="% back and % leg should add up to 100.",
            summary=True,
        ),
        Field(
            "leg_pct",
            "Share of pain in the leg(s)",
            "integer",
            min=0,
            max=100,
            unit="%",
            required=True,
            summary=True,
        ),
        Field(
            "pain_duration_months",
            "Duration of the current pain",
            "integer",
            min=0,
            max=1200,
            unit="months",
            required=True,
            summary=True,
        ),
        Field(
            "pain_vs_preop",
            "Current pain compared with the pain before surgery",
            "choice",
            options=PAIN_VS_PREOP,
            required=True,
            hint="A different pain or a new location points away from the operated level "
            "(Sebaaly et al., Asian Spine J 2018).",
            summary=True,
        ),
        Field(
            "pain_timing",
            "When the current pain began relative to the last operation",
            "choice",
            options=PAIN_TIMING,
            required=True,
            hint="Timing heuristic (Sebaaly et al. 2018); record dates in Surgical history.",
            summary=True,
        ),
        Field("symptoms", "Symptoms", "multichoice", options=SYMPTOMS, required=True, summary=True),
        Field("impact_work", "Impact on work", "choice", options=IMPACT, required=True, summary=True),
        Field(
            "impact_daily",
            "Impact on daily activities",
            "choice",
            options=IMPACT,
            required=True,
            summary=True,
        ),
        Field(
            "impact_relationships",
            "Impact on relationships and social life",
            "choice",
            options=IMPACT,
            required=True,
        ),
        Field("emotional_fatigue", "Emotional fatigue", "choice", options=IMPACT, required=True),
        Field(
            "fear_further_procedures",
            "Fear of further procedures",
            "choice",
            options=FEAR_OPTIONS,
            required=True,
        ),
        Field(
            "veteran_service_injury",
            "Veteran / service-related injury",
            "choice",
            options=VETERAN,
            required=True,
            hint="Risk factor named in the source articles (design section 7).",
            summary=True,
        ),
        Field("patient_goals", "Patient's goals and expectations", "textarea", max_length=2000, summary=True),
        Field("visit_notes", "Notes", "textarea", max_length=4000),
    ),
    summary="marked",
)
