"""Imaging studies and bloods (reference 3.c): what each modality answers, and its findings."""

from __future__ import annotations

from ..options import LEVELS
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import RepeatGroup
from ..schema import Section

MODALITIES: tuple[Option, ...] = (
    Option("mri_gd", "MRI with and without gadolinium"),
    Option("mri", "MRI without contrast"),
    Option("ct", "CT"),
    Option("ct_myelo", "CT myelography"),
    Option("flex_ext_xray", "Flexion-extension radiographs"),
    Option("standing_fullspine_xray", "Standing full-length spine radiograph"),
    Option("xray", "Plain radiographs"),
    Option("spect_ct", "SPECT/CT"),
    Option("bone_scan", "Bone scan"),
)

FINDINGS: tuple[Option, ...] = (
    Option("recurrent_herniation", "Recurrent / residual disc herniation"),
    Option("enhancing_scar", "Enhancing epidural scar (fibrosis)"),
    Option("central_stenosis", "Central stenosis"),
    Option("foraminal_stenosis", "Foraminal / lateral-recess stenosis"),
    Option("adjacent_degeneration", "Adjacent-segment degeneration / stenosis"),
    Option("annular_tear", "Annular tear / high-intensity zone"),
    Option("modic", "Modic endplate change"),
    Option("disc_degeneration", "Disc degeneration"),
    Option("pseudarthrosis", "Pseudarthrosis (no bridging bone)"),
    Option("hardware_loosening", "Hardware loosening (e.g. screw halo)"),
    Option("hardware_breakage", "Hardware breakage"),
    Option("hardware_malposition", "Hardware malposition (e.g. screw breach)"),
    Option("instability", "Instability / spondylolisthesis"),
    Option("arachnoiditis", "Arachnoiditis (clumped / peripheralised roots)"),
    Option("infection", "Infection (discitis / abscess)"),
    Option("sagittal_imbalance", "Sagittal imbalance / flat back"),
    Option("normal_postop", "Expected post-operative appearance only"),
)

REVIEW: tuple[Option, ...] = (
    Option("images_and_report", "Images and report reviewed"),
    Option("report_only", "Report only"),
)

CULTURES: tuple[Option, ...] = (
    Option("not_done", "Not done"),
    Option("negative", "Negative"),
    Option("positive", "Positive"),
    Option("pending", "Pending"),
)

STUDY_FIELDS: tuple[Field, ...] = (
    Field(
        "modality",
        "Modality",
        "choice",
        options=MODALITIES,
        required=True,
        hint="Gd-MRI: scar vs recurrent disc. CT: fusion, hardware. Flexion-extension: "
        "instability (no validated threshold). Standing full spine: sagittal balance. "
        "SPECT/CT: active facets before MBB (Cohen et al. 2020).",
        column=2,
        heading="Modality · levels",
    ),
    Field(
        "date",
        "Date",
        "date",
        required=True,
        hint="The first weeks after surgery are hard to interpret (haematoma, oedema; about "
        "a month).",
        column=1,
    ),
    Field("levels", "Levels", "multichoice", options=LEVELS, required=True, column=2),
    Field(
        "findings",
        "Findings",
        "multichoice",
        options=FINDINGS,
        required=True,
        hint="Scar enhances early and heterogeneously; disc does not enhance centrally. The "
        "amount of scar does not correlate with sciatica (Hueftle 1988; Annertz 1995).",
        column=3,
    ),
    Field("reviewed", "Source", "choice", options=REVIEW),
    Field("report", "Report / key findings", "textarea", max_length=4000),
)

SECTION = Section(
    key="imaging",
    title="Imaging and bloods",
    description=(
        "Imaging studies since the index operation (and earlier ones that matter), with their "
        "findings, and infection bloods when indicated."
    ),
    items=(
        RepeatGroup(
            "studies",
            "Imaging studies",
            STUDY_FIELDS,
            min_rows=1,
            row_label="study",
            hint="Gd-MRI raises confidence mainly 6-18 months post-op (Passavanti 2020).",
            summary_list=True,
        ),
        Field(
            "bloods_done",
            "Infection bloods done",
            "choice",
            options=(Option("yes", "Yes"), Option("no", "No")),
            required=True,
            hint="ESR/CRP, WBC, blood cultures when infection is suspected.",
            summary=True,
        ),
        Field(
            "bloods_date",
            "Bloods date",
            "date",
            required=True,
            enable_when=(EnableWhen("bloods_done", "eq", "yes"),),
        ),
        Field(
            "esr",
            "ESR",
            "integer",
            min=0,
            max=200,
            unit="mm/h",
            enable_when=(EnableWhen("bloods_done", "eq", "yes"),),
            summary=True,
        ),
        Field(
            "crp",
            "CRP",
            "decimal",
            min=0,
            max=1000,
            unit="mg/L",
            enable_when=(EnableWhen("bloods_done", "eq", "yes"),),
            summary=True,
        ),
        Field(
            "wbc",
            "WBC",
            "decimal",
            min=0,
            max=200,
            unit="x10^9/L",
            enable_when=(EnableWhen("bloods_done", "eq", "yes"),),
            summary=True,
        ),
        Field(
            "blood_cultures",
            "Blood cultures",
            "choice",
            options=CULTURES,
            enable_when=(EnableWhen("bloods_done", "eq", "yes"),),
            summary=True,
        ),
        Field("imaging_notes", "Imaging notes", "textarea", max_length=4000),
    ),
    summary="marked",
)
