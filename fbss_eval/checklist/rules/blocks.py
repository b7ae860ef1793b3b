"""Diagnostic blocks (clinical-reference.md 3.d): is a block positive, by which criterion, and
which pain generator a positive block points to. Thresholds come from ``ScoringSettings``."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..sections.blocks import BLOCK_LEVELS
from ..sections.blocks import BLOCK_TYPES
from ..settings import DEFAULT_SETTINGS
from ..settings import SETTING_NOTES
from ..settings import ScoringSettings
from .base import Pointer
from .base import VisitData
from .base import rule

Row = Mapping[str, Any]


@dataclass(frozen=True)
class BlockOutcome:
    """``positive`` is None when the row lacks what the criterion needs."""

    positive: bool | None
    rule: str  # the criterion applied, in words
    unverified: bool = False


# type -> (setting name, criterion name, citation)
_RELIEF_BLOCKS: dict[str, tuple[str, str, str]] = {
    "mbb": ("mbb_positive_pct", "MBB", "ASRA 2020"),
    "sij": ("sij_positive_pct", "SIJ block", "traditional criterion; trials used 50%"),
    "snrb": ("snrb_positive_pct", "SNRB", "UNVERIFIED threshold; low specificity"),
    "esi": ("esi_positive_pct", "ESI response", "therapeutic, not diagnostic; UNVERIFIED"),
}

SUGGESTS: dict[str, tuple[str, ...]] = {
    "mbb": ("facet",),
    "sij": ("sij",),
    "snrb": ("foraminal_stenosis", "neuropathic_root"),
    "discography": ("discogenic",),
}
_TITLES = {
    "mbb": "Positive medial branch block",
    "sij": "Positive SIJ block",
    "snrb": "Positive selective nerve root block",
    "discography": "Positive provocation discography",
}
_SOURCES = {
    "mbb": "Cohen et al., Reg Anesth Pain Med 2020;45:424-467 (ASRA)",
    "sij": "Katz et al. 2003; Liliang et al., Pain Med 2011",
    "snrb": "Cohen et al., Reg Anesth Pain Med 2020 (specificity low: spread to adjacent roots / epidural space)",
    "discography": "ISIS/IASP-type criteria (Spine Secrets, textbook); controversial (Carragee et al., Spine 2009)",
}
_TYPE_LABELS = {opt.value: opt.label for opt in BLOCK_TYPES}
_LEVEL_LABELS = {opt.value: opt.label for opt in BLOCK_LEVELS}


def _unverified(*names: str) -> bool:
    return any(not SETTING_NOTES[name][1] for name in names)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _relief_outcome(row: Row, kind: str, settings: ScoringSettings) -> BlockOutcome:
    name, label, cite = _RELIEF_BLOCKS[kind]
    threshold = getattr(settings, name)
    default = getattr(DEFAULT_SETTINGS, name)
    note = cite if threshold == default else f"clinic setting; default {default}%: {cite}"
    text = f"{label} positive at >={threshold}% relief of the usual pain ({note})"
    unverified = _unverified(name)
    relief = _number(row.get("relief_pct"))
    if row.get("concordant") == "no":
        return BlockOutcome(False, text + "; relieved pain not the usual pain", unverified)
    if relief is None:
        return BlockOutcome(None, text + "; relief not recorded", unverified)
    return BlockOutcome(relief >= threshold, text, unverified)


def _discography_outcome(row: Row, settings: ScoringSettings) -> BlockOutcome:
    pain_min = settings.discography_min_concordant_pain
    max_psi = settings.discography_max_pressure_psi
    text = (
        f"Discography positive: concordant pain >={pain_min}/10 at <{_fmt(max_psi)} psi "
        "with a painless adjacent control disc (and a degenerated nucleogram when recorded)"
    )
    pain = _number(row.get("pain_score"))
    pressure = _number(row.get("pressure_psi"))
    checks = [
        None if pain is None else pain >= pain_min,
        None if pressure is None else pressure < max_psi,
        {"yes": True, "no": False}.get(str(row.get("concordant"))),
        {"yes": True, "no": False}.get(str(row.get("control_disc_painless"))),
    ]
    if row.get("nucleogram_degenerated") == "no":
        checks.append(False)
    unverified = _unverified("discography_min_concordant_pain", "discography_max_pressure_psi")
    if False in checks:
        return BlockOutcome(False, text, unverified)
    if None in checks:
        return BlockOutcome(None, text + "; criteria incompletely recorded", unverified)
    return BlockOutcome(True, text, unverified)


def block_outcome(row: Row, settings: ScoringSettings = DEFAULT_SETTINGS) -> BlockOutcome:
    """Whether one block row is positive, with the criterion applied (reference 3.d)."""
    kind = str(row.get("type") or "")
    if kind in _RELIEF_BLOCKS:
        return _relief_outcome(row, kind, settings)
    if kind == "discography":
        return _discography_outcome(row, settings)
    return BlockOutcome(None, "Block type not recorded")


def describe_block(number: int, row: Row) -> str:
    """'Block 2 (2024-06-01, Lumbar medial branch block, L4-L5, left)'."""
    kind = str(row.get("type") or "")
    parts = [str(row.get("date") or "date not recorded"), _TYPE_LABELS.get(kind, kind or "?")]
    levels = [_LEVEL_LABELS.get(str(v), str(v)) for v in row.get("level") or []]
    if levels:
        parts.append(", ".join(levels))
    if row.get("side"):
        parts.append(str(row["side"]))
    return f"Block {number} ({', '.join(parts)})"


def _result_words(row: Row) -> str:
    if row.get("type") == "discography":
        bits = [
            f"pain {_fmt(p)}/10" if (p := _number(row.get("pain_score"))) is not None else "",
            f"{_fmt(q)} psi" if (q := _number(row.get("pressure_psi"))) is not None else "",
            "concordant" if row.get("concordant") == "yes" else "",
            "control disc painless" if row.get("control_disc_painless") == "yes" else "",
        ]
        return ", ".join(b for b in bits if b)
    words = f"{_fmt(_number(row.get('relief_pct')) or 0)}% relief"
    hours = _number(row.get("duration_hours"))
    return words + (f" for {_fmt(hours)} h" if hours is not None else "")


@rule
def positive_blocks(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """One pointer per diagnostic block type with at least one positive block."""
    rows = list(enumerate(data.rows("blocks", "blocks"), start=1))
    for kind, suggests in SUGGESTS.items():
        reasons: list[str] = []
        unverified = False
        for number, row in rows:
            if row.get("type") != kind:
                continue
            outcome = block_outcome(row, settings)
            if outcome.positive:
                reasons.append(
                    f"{describe_block(number, row)}: {_result_words(row)}; {outcome.rule}"
                )
                unverified = unverified or outcome.unverified
        if reasons:
            yield Pointer(
                rule=f"blocks.{kind}",
                title=_TITLES[kind],
                suggests=suggests,
                reasons=tuple(reasons),
                source=_SOURCES[kind],
                unverified=unverified,
            )
