"""Surgical history (reference 3.b): one row per lumbar operation, then summary fields.

The index operation for the timing heuristic is the most recent one by date
(``rules.timing.index_operation``). Time since each operation, months since the last one and the
pain-free interval after it are computed from the dates on the visit date (``derived.py``), not
asked: asked, they went stale when the section was carried forward to a later visit.
"""

from __future__ import annotations

from ..options import LEVELS
from ..options import SIDES
from ..options import YES_NO_UNKNOWN
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import RepeatGroup
from ..schema import Section

PROCEDURES: tuple[Option, ...] = (
    Option("microdiscectomy", "Microdiscectomy"),
    Option("open_discectomy", "Open discectomy"),
    Option("endoscopic_discectomy", "Endoscopic discectomy"),
    Option("laminotomy", "Laminotomy"),
    Option("hemilaminectomy", "Hemilaminectomy"),
    Option("laminectomy", "Laminectomy (decompression)"),
    Option("foraminotomy", "Foraminotomy"),
    Option("facetectomy", "Facetectomy"),
    Option("fusion_posterolateral", "Fusion, posterolateral"),
    Option("fusion_plif", "Fusion, PLIF"),
    Option("fusion_tlif", "Fusion, TLIF"),
    Option("fusion_alif", "Fusion, ALIF"),
    Option("fusion_llif", "Fusion, LLIF / XLIF"),
    Option("fusion_olif", "Fusion, OLIF"),
    Option("disc_replacement", "Total disc replacement"),
    Option("interspinous_device", "Interspinous / interlaminar device"),
    Option("dynamic_stabilisation", "Dynamic stabilisation"),
    Option("vertebral_augmentation", "Vertebral augmentation"),
    Option("revision", "Revision (specify)"),
    Option("hardware_removal", "Hardware removal"),
    Option("implant", "SCS or other implant"),
    Option("other", "Other (specify)"),
)

FUSION_PROCEDURES: frozenset[str] = frozenset(
    opt.value for opt in PROCEDURES if opt.value.startswith("fusion_")
)
# Revisions often extend or redo a fusion, so they can record fusion to the sacrum too.
FUSION_OR_REVISION: tuple[str, ...] = tuple(sorted(FUSION_PROCEDURES)) + ("revision",)
DISCECTOMIES: frozenset[str] = frozenset(
    {"microdiscectomy", "open_discectomy", "endoscopic_discectomy"}
)
DECOMPRESSIONS: frozenset[str] = DISCECTOMIES | {
    "laminotomy",
    "hemilaminectomy",
    "laminectomy",
    "foraminotomy",
    "facetectomy",
}

APPROACHES: tuple[Option, ...] = (
    Option("posterior", "Posterior"),
    Option("anterior", "Anterior"),
    Option("lateral", "Lateral"),
    Option("oblique", "Oblique"),
    Option("endoscopic", "Endoscopic"),
    Option("combined", "Combined anterior-posterior"),
)

INSTRUMENTATION: tuple[Option, ...] = (
    Option("none", "None"),
    Option("pedicle_screws_rods", "Pedicle screws / rods"),
    Option("interbody_cage", "Interbody cage"),
    Option("plate", "Plate"),
    Option("interspinous_device", "Interspinous device"),
    Option("disc_prosthesis", "Disc prosthesis"),
)

BONE_GRAFT: tuple[Option, ...] = (
    Option("none", "None"),
    Option("iliac_crest", "Iliac crest autograft"),
    Option("local_autograft", "Local autograft"),
    Option("allograft", "Allograft"),
    Option("synthetic", "Synthetic / biologic substitute"),
    Option("unknown", "Unknown"),
)

COMPLICATIONS: tuple[Option, ...] = (
    Option("none", "None known"),
    Option("dural_tear_csf_leak", "Dural tear / CSF leak"),
    Option("nerve_injury", "Nerve injury"),
    Option("haematoma", "Haematoma"),
    Option("infection", "Infection"),
    Option("other", "Other"),
)

OUTCOMES: tuple[Option, ...] = (
    Option("resolved", "Resolved"),
    Option("improved", "Improved"),
    Option("unchanged", "Unchanged"),
    Option("worse", "Worse"),
)

COMPENSATION: tuple[Option, ...] = (
    Option("none", "None"),
    Option("workers_comp", "Workers' compensation"),
    Option("litigation", "Litigation"),
    Option("both", "Both"),
    Option("unknown", "Unknown"),
)

RECORDS: tuple[Option, ...] = (
    Option("full", "Operative notes and letters reviewed"),
    Option("partial", "Partly reviewed"),
    Option("none", "Not available (history from the patient)"),
)

_RELIEF = (EnableWhen("immediate_outcome", "in", ("resolved", "improved")),)

OPERATION_FIELDS: tuple[Field, ...] = (
    Field("date", "Date of operation", "date", required=True, column=1, heading="Date"),
    Field("centre_surgeon", "Centre / surgeon", "text", max_length=200),
    Field(
        "indication", "Pre-op diagnosis / indication", "textarea", max_length=2000, required=True
    ),
    Field(
        "preop_back_pct",
        "Pre-op share of pain in the back",
        "integer",
        min=0,
        max=100,
        unit="%",
        hint="Pre-op symptom distribution (% back vs % leg).",
    ),
    Field("preop_side", "Pre-op side of leg pain", "choice", options=SIDES),
    Field("procedure", "Procedure", "choice", options=PROCEDURES, required=True,
          column=2, heading="Procedure · levels · side"),
    Field(
        "procedure_details",
        "Procedure details (revision: what was done)",
        "text",
        max_length=500,
        enable_when=(EnableWhen("procedure", "in", ("revision", "other")),),
        required=True,
    ),
    Field("levels", "Levels", "multichoice", options=LEVELS, required=True, column=2),
    Field(
        "n_levels",
        "Number of motion segments operated",
        "integer",
        min=0,
        max=10,
        hint="Adjacent-segment risk grows with the number of fused levels.",
    ),
    Field("side", "Side", "choice", options=SIDES, required=True, column=2),
    Field("approach", "Approach", "choice", options=APPROACHES, required=True),
    Field(
        "instrumentation", "Instrumentation", "multichoice", options=INSTRUMENTATION, required=True, column=3
    ),
    Field(
        "fusion_to_sacrum",
        "Fusion extends to the sacrum / pelvis",
        "boolean",
        enable_when=(EnableWhen("procedure", "in", FUSION_OR_REVISION),),
        hint="Raises the risk of SIJ pain (Katz 2003; Liliang 2011).",
    ),
    Field(
        "bone_graft_source",
        "Bone-graft source",
        "choice",
        options=BONE_GRAFT,
        enable_when=(EnableWhen("procedure", "in", FUSION_OR_REVISION),),
        hint="Iliac crest harvest can leave donor-site pain.",
    ),
    Field(
        "preop_deficit",
        "Neurological deficit before this operation",
        "choice",
        options=YES_NO_UNKNOWN,
    ),
    Field(
        "complications",
        "Intra-/peri-operative complications",
        "multichoice",
        options=COMPLICATIONS,
        required=True,
    ),
    Field(
        "immediate_outcome",
        "Immediate outcome of the pain operated on (usually leg)",
        "choice",
        options=OUTCOMES,
        required=True,
        column=4,
        heading="Immediate outcome (pain operated on)",
    ),
    Field("back_outcome", "Immediate outcome of back pain", "choice", options=OUTCOMES),
    Field(
        "new_deficit",
        "New neurological deficit after this operation",
        "choice",
        options=YES_NO_UNKNOWN,
        required=True,
    ),
    Field(
        "pain_free_weeks",
        "Pain-free (or good-relief) interval",
        "integer",
        min=0,
        max=5200,
        unit="weeks",
        enable_when=_RELIEF,
        hint="Weeks from the operation until the pain returned (timing heuristic, 3.b). For the "
        "most recent operation it is computed from its date and the onset of the current pain "
        "when both are recorded; enter it only when a date is not known.",
        column=5,
        heading="Pain-free interval",
    ),
    Field("operation_notes", "Notes", "textarea", max_length=2000),
)

SECTION = Section(
    key="surgical_history",
    title="Surgical history",
    description=(
        "Every lumbar operation, oldest first, then the summary fields. "
        "Review prior operative records where available."
    ),
    items=(
        Field(
            "records_reviewed",
            "Prior surgical records reviewed",
            "choice",
            options=RECORDS,
            required=True,
        ),
        RepeatGroup(
            "operations",
            "Operations",
            OPERATION_FIELDS,
            min_rows=1,
            row_label="operation",
            hint="The most recent operation is the index operation for the timing heuristic.",
        ),
        Field(
            "n_prior_operations",
            "Number of prior lumbar spine operations",
            "integer",
            min=0,
            max=50,
            required=True,
            hint="More operations, higher FBSS risk (OR 1.87; Inoue et al., J Pain Res).",
            summary=True,
        ),
        Field("current_pain_onset", "Onset of the current pain", "date", required=True),
        Field(
            "compensation_litigation",
            "Compensation / litigation",
            "choice",
            options=COMPENSATION,
            required=True,
            hint="Compensation: RR 2.12 for unsatisfactory outcome (Spine J 2015;15:2564).",
            summary=True,
        ),
        Field(
            "compensation_details",
            "Claim details (status, dates)",
            "text",
            max_length=500,
            enable_when=(EnableWhen("compensation_litigation", "in", ("workers_comp", "litigation", "both")),),
        ),
        Field(
            "opioids_before",
            "Opioid use before surgery",
            "choice",
            options=YES_NO_UNKNOWN,
            required=True,
            summary=True,
        ),
        Field(
            "opioids_after",
            "Opioid use after surgery",
            "choice",
            options=YES_NO_UNKNOWN,
            required=True,
            summary=True,
        ),
        Field("history_notes", "Notes on the surgical history", "textarea", max_length=4000),
    ),
    summary="marked",
)
