"""Diagnostic blocks and discography (reference 3.d). Positivity is computed by
``rules.blocks.block_outcome`` from the configurable thresholds in ``settings``."""

from __future__ import annotations

from ..options import ROOTS
from ..options import SEGMENTS
from ..options import SIDES
from ..options import YES_NO
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import RepeatGroup
from ..schema import Section

STATUS: tuple[Option, ...] = (
    Option("yes", "Done"),
    Option("no", "None done"),
    Option("planned", "Planned"),
)

BLOCK_TYPES: tuple[Option, ...] = (
    Option("mbb", "Lumbar medial branch block"),
    Option("sij", "SIJ intra-articular block"),
    Option("snrb", "Selective nerve root block (transforaminal)"),
    Option("discography", "Provocation discography"),
    Option("esi", "Epidural steroid injection"),
)

# Joints and discs by segment, roots by name: MBB/discography use segments, SNRB a root.
BLOCK_LEVELS: tuple[Option, ...] = SEGMENTS + tuple(
    Option(f"root_{opt.value}", f"{opt.label} root") for opt in ROOTS
)

SERIES: tuple[Option, ...] = (
    Option("single", "Single block"),
    Option("first_of_dual", "First of dual (comparative) blocks"),
    Option("second_of_dual", "Second of dual (comparative) blocks"),
)

GUIDANCE: tuple[Option, ...] = (
    Option("fluoroscopy", "Fluoroscopy"),
    Option("ct", "CT"),
    Option("ultrasound", "Ultrasound"),
    Option("none", "Landmark / none"),
)

_NOT_DISCO = (EnableWhen("type", "ne", "discography"),)
_DISCO = (EnableWhen("type", "eq", "discography"),)

BLOCK_FIELDS: tuple[Field, ...] = (
    Field(
        "type",
        "Block",
        "choice",
        options=BLOCK_TYPES,
        required=True,
        hint="MBB: 3 months of conservative care first, <=0.5 mL, fluoroscopy, no routine "
        "sedation (ASRA 2020). ESI is therapeutic, not diagnostic.",
    ),
    Field(
        "level",
        "Level(s)",
        "multichoice",
        options=BLOCK_LEVELS,
        enable_when=(EnableWhen("type", "ne", "sij"),),
        required=True,
    ),
    Field("side", "Side", "choice", options=SIDES, required=True),
    Field("date", "Date", "date", required=True),
    Field("series", "Single or comparative", "choice", options=SERIES, enable_when=_NOT_DISCO),
    Field("guidance", "Guidance", "choice", options=GUIDANCE),
    Field("volume_ml", "Injectate volume per target", "decimal", min=0, max=20, unit="mL"),
    Field(
        "sedation",
        "Sedation given",
        "choice",
        options=YES_NO,
        hint="Sedation can cause false-positive blocks (ASRA 2020: no routine sedation).",
    ),
    Field(
        "relief_pct",
        "Relief of the usual pain",
        "integer",
        min=0,
        max=100,
        unit="%",
        required=True,
        enable_when=_NOT_DISCO,
        hint="Peak relief during the local anaesthetic's expected duration.",
    ),
    Field(
        "duration_hours",
        "Duration of relief",
        "decimal",
        min=0,
        max=10000,
        unit="hours",
        required=True,
        enable_when=_NOT_DISCO,
    ),
    Field(
        "concordant",
        "Concordant (relieved or provoked pain is the usual pain)",
        "choice",
        options=YES_NO,
        required=True,
    ),
    Field(
        "pain_score",
        "Provoked pain",
        "integer",
        min=0,
        max=10,
        unit="/10",
        required=True,
        enable_when=_DISCO,
    ),
    Field(
        "pressure_psi",
        "Pressure at provocation",
        "decimal",
        min=0,
        max=200,
        unit="psi",
        required=True,
        enable_when=_DISCO,
    ),
    Field(
        "control_disc_painless",
        "Adjacent control disc painless",
        "choice",
        options=YES_NO,
        required=True,
        enable_when=_DISCO,
    ),
    Field(
        "nucleogram_degenerated",
        "Degenerated nucleogram",
        "choice",
        options=YES_NO,
        enable_when=_DISCO,
        hint="Discography is controversial (false positives, possible harm; limited role "
        "after fusion; Carragee et al., Spine 2009).",
    ),
    Field("notes", "Notes", "textarea", max_length=2000),
)

SECTION = Section(
    key="blocks",
    title="Diagnostic blocks",
    description=(
        "Diagnostic and prognostic blocks and provocation discography, with relief and "
        "concordance; the app applies the published positivity criterion of each block "
        "(Cohen et al. 2020; Katz 2003; Liliang 2011)."
    ),
    items=(
        Field("blocks_status", "Diagnostic blocks", "choice", options=STATUS, required=True, summary=True),
        RepeatGroup(
            "blocks",
            "Blocks",
            BLOCK_FIELDS,
            min_rows=1,
            row_label="block",
            enable_when=(EnableWhen("blocks_status", "eq", "yes"),),
            own_layout=True,
        ),
        Field("blocks_notes", "Notes", "textarea", max_length=4000),
    ),
    summary="marked",
)
