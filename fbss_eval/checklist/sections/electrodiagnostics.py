"""EMG / nerve conduction studies (reference 3.d), with the post-surgical caveats."""

from __future__ import annotations

from ..options import ROOTS
from ..options import SIDES
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import RepeatGroup
from ..schema import Section

STATUS: tuple[Option, ...] = (
    Option("done", "Done"),
    Option("not_done", "Not done"),
    Option("not_indicated", "Not indicated"),
    Option("requested", "Requested / pending"),
)

TESTS: tuple[Option, ...] = (
    Option("emg_ncs", "EMG and NCS"),
    Option("emg", "EMG only"),
    Option("ncs", "NCS only"),
)

FINDINGS: tuple[Option, ...] = (
    Option("active_denervation", "Active denervation (fibrillations / PSWs)"),
    Option("chronic_changes", "Chronic neurogenic changes only"),
    Option("peripheral_neuropathy", "Peripheral neuropathy"),
    Option("entrapment", "Entrapment neuropathy"),
    Option("normal", "Normal"),
)

DENERVATION_SITES: tuple[Option, ...] = (
    Option("limb_myotomal", "Limb muscles, >=2 of the same root"),
    Option("limb_proximal_distal", "Limb, proximal and distal muscles of a myotome"),
    Option("limb_single", "One limb muscle only"),
    Option("paraspinal_only", "Paraspinal muscles only"),
)

STUDY_FIELDS: tuple[Field, ...] = (
    Field(
        "date",
        "Date",
        "date",
        required=True,
        hint="First 10-14 days post-op: only pre-existing changes; 3 weeks-4 months: "
        "reliable for a new lesion; 6-12 months after laminectomy: hard to interpret; defer "
        "2-4 weeks after new symptoms (Spine Secrets, textbook).",
        column=1,
    ),
    Field("test", "Test", "choice", options=TESTS, required=True, column=2, heading="Test · roots · side"),
    Field("roots", "Roots studied / implicated", "multichoice", options=ROOTS, column=2),
    Field("side", "Side", "choice", options=SIDES, column=2),
    Field("findings", "Findings", "multichoice", options=FINDINGS, required=True, column=3),
    Field(
        "denervation_site",
        "Where was denervation found",
        "choice",
        options=DENERVATION_SITES,
        required=True,
        enable_when=(EnableWhen("findings", "contains", "active_denervation"),),
        hint="After posterior lumbar surgery paraspinal EMG is unreliable (denervation in 96% "
        "for years; Spine Secrets, textbook).",
    ),
    Field(
        "entrapment_nerve",
        "Entrapped nerve",
        "text",
        max_length=200,
        enable_when=(EnableWhen("findings", "contains", "entrapment"),),
    ),
    Field("report", "Report / key findings", "textarea", max_length=4000),
)

SECTION = Section(
    key="electrodiagnostics",
    title="EMG / nerve conduction",
    description=(
        "EMG/NCS confirm a physiological radiculopathy, separate it from neuropathy or "
        "entrapment and assess new weakness; EMG is specific, MRI sensitive (Barr, "
        "Electrodiagnosis of lumbar radiculopathy)."
    ),
    items=(
        Field("emg_status", "EMG / NCS", "choice", options=STATUS, required=True, summary=True),
        RepeatGroup(
            "studies",
            "EMG / NCS studies",
            STUDY_FIELDS,
            min_rows=1,
            row_label="study",
            enable_when=(EnableWhen("emg_status", "eq", "done"),),
            hint="Paraspinal EMG after posterior surgery is of no diagnostic value "
            "(Spine Secrets, textbook).",
            summary_list=True,
        ),
        Field("emg_notes", "Notes", "textarea", max_length=4000),
    ),
    summary="marked",
)
