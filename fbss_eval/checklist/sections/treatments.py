"""Section 10: rehabilitation and treatments tried, one row per treatment.

"Conservative care failed" is recorded as evidence (what, when, how long, adherence, response),
not as a tick box: the candidacy reports and the rehabilitation rules read these rows.
Sources: clinical-reference.md 3.g (conservative, interventional, NICE TA159 "conventional medical
management" = drugs, physiotherapy and psychological support) and design.md section 7 (physical
therapy, chiropractic care, NSAIDs, muscle relaxants, neuropathic agents, injections and blocks,
pain psychology and CBT, a multidisciplinary team).
"""

from __future__ import annotations

from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import RepeatGroup
from ..schema import Section


def _opts(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


CATEGORIES = _opts(
    ("physiotherapy", "Physiotherapy / exercise therapy"),
    ("chiropractic", "Chiropractic care"),
    ("medication_nsaid", "Medication: NSAID"),
    ("medication_muscle_relaxant", "Medication: muscle relaxant"),
    ("medication_neuropathic", "Medication: neuropathic agent (gabapentinoid, TCA, SNRI ...)"),
    ("medication_opioid", "Medication: opioid"),
    ("medication_other", "Medication: other"),
    ("injection_epidural", "Epidural steroid injection"),
    ("injection_facet", "Facet joint / medial branch injection"),
    ("injection_sij", "Sacroiliac joint injection"),
    ("radiofrequency", "Radiofrequency (ablation or pulsed)"),
    ("psychology_cbt", "Pain psychology / CBT"),
    ("pain_programme", "Interdisciplinary pain-management programme"),
    ("acupuncture", "Acupuncture"),
    ("scs_trial", "Spinal cord stimulation trial"),
    ("other", "Other"),
)

MEDICATIONS = tuple(opt.value for opt in CATEGORIES if opt.value.startswith("medication_"))
# One-off procedures: adherence does not apply, sessions rarely do.
PROCEDURES = ("injection_epidural", "injection_facet", "injection_sij", "radiofrequency",
              "scs_trial")
# Treatments given over sessions (the ones where "too short" or "poor adherence" matters).
SESSION_BASED = ("physiotherapy", "chiropractic", "psychology_cbt", "pain_programme",
                 "acupuncture")

RESPONSES = _opts(
    ("none", "None"),
    ("minimal", "Minimal"),
    ("partial", "Partial"),
    ("good", "Good"),
    ("worse", "Worse"),
)

STOPPED = _opts(
    ("ongoing", "Still ongoing"),
    ("completed", "Course completed"),
    ("no_benefit", "No benefit"),
    ("side_effects", "Side effects"),
    ("access", "Cost / access / waiting list"),
    ("patient_choice", "Patient's choice"),
    ("other", "Other"),
)

TREATMENT_FIELDS: tuple[Field, ...] = (
    Field("category", "Treatment", "choice", options=CATEGORIES, required=True,
          column=1, heading="Treatment · what exactly"),
    Field("name", "What exactly (drug, technique, level)", "text", max_length=200, column=1),
    Field("start_date", "Started", "date", hint="Approximate is fine (1st of the month)."),
    Field("weeks", "Duration", "integer", unit="weeks", min=0, max=1040, required=True, column=2),
    Field(
        "sessions",
        "Sessions attended",
        "integer",
        min=0,
        max=500,
        enable_when=(EnableWhen("category", "in", SESSION_BASED),),
    ),
    Field(
        "dose",
        "Dose and frequency",
        "text",
        max_length=200,
        enable_when=(EnableWhen("category", "in", MEDICATIONS),),
    ),
    Field(
        "adherence",
        "Adherence",
        "choice",
        options=_opts(("good", "Good"), ("partial", "Partial"), ("poor", "Poor")),
        enable_when=(EnableWhen("category", "not_in", PROCEDURES),),
        column=3,
        heading="Adherence · response",
    ),
    Field("response", "Response", "choice", options=RESPONSES, required=True, column=3),
    Field("relief_pct", "Pain relief", "integer", unit="%", min=0, max=100, column=4, heading="Relief"),
    Field(
        "relief_weeks",
        "Relief lasted",
        "integer",
        unit="weeks",
        min=0,
        max=520,
        hint="Injections and blocks often give short-term relief only.",
    ),
    Field("side_effects", "Side effects", "text", max_length=500),
    Field("stopped_reason", "Stopped because", "choice", options=STOPPED),
    Field("notes", "Notes", "text", max_length=500),
)

SECTION = Section(
    key="treatments",
    title="Rehabilitation and treatments tried",
    description=(
        "One row per treatment with dates, duration, adherence and response: the evidence that "
        "conservative care was adequate (or not) and failed (or not)."
    ),
    items=(
        RepeatGroup(
            key="treatments",
            label="Treatments tried",
            fields=TREATMENT_FIELDS,
            row_label="treatment",
            max_rows=60,
            hint="Include physiotherapy, medication, injections, psychology and programmes.",
        ),
        Field(
            "mdt_involvement",
            "Multidisciplinary team involvement",
            "choice",
            options=_opts(
                ("none", "None"),
                ("referred", "Referred, not yet seen"),
                ("reviewed", "Reviewed by an MDT"),
                ("ongoing", "Ongoing MDT care"),
            ),
            required=True,
            summary=True,
        ),
        Field(
            "mdt_members",
            "MDT members involved",
            "multichoice",
            options=_opts(
                ("spine_surgeon", "Spine surgeon"),
                ("pain_specialist", "Pain specialist"),
                ("physiotherapist", "Physiotherapist"),
                ("psychologist", "Psychologist"),
                ("other", "Other"),
            ),
            enable_when=(EnableWhen("mdt_involvement", "in", ("reviewed", "ongoing")),),
        ),
        Field(
            "mdt_date",
            "Most recent MDT review",
            "date",
            enable_when=(EnableWhen("mdt_involvement", "in", ("reviewed", "ongoing")),),
            summary=True,
        ),
        Field(
            "home_exercise",
            "Current home exercise",
            "choice",
            options=_opts(("regular", "Regular"), ("irregular", "Irregular"), ("none", "None")),
            summary=True,
        ),
        Field("notes", "Treatment notes", "textarea", max_length=4000),
    ),
    summary="marked",
)
