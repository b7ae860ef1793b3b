"""Block positivity at each criterion's boundary, settings overrides, and block pointers."""

from __future__ import annotations

from typing import Any

import pytest

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.blocks import block_outcome
from fbss_eval.checklist.rules.blocks import positive_blocks
from fbss_eval.checklist.settings import DEFAULT_SETTINGS


@pytest.mark.parametrize(
    ("kind", "below", "at"),
    [("mbb", 49, 50), ("sij", 74, 75), ("snrb", 49, 50), ("esi", 49, 50)],
)
def test_relief_blocks_at_their_boundary(kind: str, below: int, at: int) -> None:
    assert block_outcome({"type": kind, "relief_pct": below}).positive is False
    assert block_outcome({"type": kind, "relief_pct": at}).positive is True
    assert block_outcome({"type": kind, "relief_pct": 100}).positive is True


def test_mbb_rule_text_and_verification() -> None:
    outcome = block_outcome({"type": "mbb", "relief_pct": 60})
    assert outcome.rule.startswith("MBB positive at >=50% relief")
    assert "ASRA 2020" in outcome.rule
    assert outcome.unverified is False
    assert block_outcome({"type": "snrb", "relief_pct": 60}).unverified is True
    assert block_outcome({"type": "esi", "relief_pct": 60}).unverified is True
    assert block_outcome({"type": "sij", "relief_pct": 80}).rule.startswith(
        "SIJ block positive at >=75%"
    )


def test_settings_override_changes_the_outcome() -> None:
    strict = DEFAULT_SETTINGS.with_overrides({"mbb_positive_pct": 80})
    assert block_outcome({"type": "mbb", "relief_pct": 60}).positive is True
    outcome = block_outcome({"type": "mbb", "relief_pct": 60}, strict)
    assert outcome.positive is False
    assert ">=80%" in outcome.rule
    assert "clinic setting" in outcome.rule
    lenient = DEFAULT_SETTINGS.with_overrides({"sij_positive_pct": 50})
    assert block_outcome({"type": "sij", "relief_pct": 60}, lenient).positive is True
    assert block_outcome({"type": "sij", "relief_pct": 60}).positive is False


def test_missing_relief_or_type_is_undetermined() -> None:
    assert block_outcome({"type": "mbb"}).positive is None
    assert block_outcome({"type": "mbb", "relief_pct": ""}).positive is None
    assert block_outcome({}).positive is None
    assert block_outcome({"type": "mystery", "relief_pct": 90}).positive is None


def test_relief_of_a_different_pain_is_negative() -> None:
    outcome = block_outcome({"type": "mbb", "relief_pct": 90, "concordant": "no"})
    assert outcome.positive is False
    assert "not the usual pain" in outcome.rule


def _disco(**row: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": "discography",
        "pain_score": 7,
        "pressure_psi": 30,
        "concordant": "yes",
        "control_disc_painless": "yes",
    }
    base.update(row)
    return base


def test_discography_positive_and_each_boundary() -> None:
    assert block_outcome(_disco()).positive is True
    assert block_outcome(_disco(pain_score=6)).positive is False
    assert block_outcome(_disco(pressure_psi=49.9)).positive is True
    assert block_outcome(_disco(pressure_psi=50)).positive is False
    assert block_outcome(_disco(concordant="no")).positive is False
    assert block_outcome(_disco(control_disc_painless="no")).positive is False
    assert block_outcome(_disco(nucleogram_degenerated="no")).positive is False
    assert block_outcome(_disco(nucleogram_degenerated="yes")).positive is True
    assert "7/10" in block_outcome(_disco()).rule
    assert "50 psi" in block_outcome(_disco()).rule


def test_discography_incomplete_is_undetermined_unless_already_negative() -> None:
    assert block_outcome(_disco(pressure_psi=None)).positive is None
    assert block_outcome(_disco(control_disc_painless=None)).positive is None
    assert block_outcome(_disco(pressure_psi=None, pain_score=3)).positive is False


def test_discography_settings_override() -> None:
    settings = DEFAULT_SETTINGS.with_overrides(
        {"discography_min_concordant_pain": 6, "discography_max_pressure_psi": 20}
    )
    assert block_outcome(_disco(pain_score=6, pressure_psi=15), settings).positive is True
    assert block_outcome(_disco(pain_score=6, pressure_psi=25), settings).positive is False


def _pointers(*rows: dict[str, Any]) -> list[Any]:
    data = VisitData({"blocks": {"blocks_status": "yes", "blocks": list(rows)}})
    return list(positive_blocks(data, DEFAULT_SETTINGS))


@pytest.mark.parametrize(
    ("row", "rule", "suggests"),
    [
        ({"type": "mbb", "relief_pct": 50}, "blocks.mbb", ("facet",)),
        ({"type": "sij", "relief_pct": 75}, "blocks.sij", ("sij",)),
        (
            {"type": "snrb", "relief_pct": 70},
            "blocks.snrb",
            ("foraminal_stenosis", "neuropathic_root"),
        ),
        (_disco(), "blocks.discography", ("discogenic",)),
    ],
)
def test_positive_block_points_to_its_category(
    row: dict[str, Any], rule: str, suggests: tuple[str, ...]
) -> None:
    (pointer,) = _pointers({"date": "2024-06-01", **row})
    assert pointer.rule == rule
    assert pointer.suggests == suggests
    assert pointer.reasons[0].startswith("Block 1 (2024-06-01, ")
    assert "positive" in pointer.reasons[0]


def test_pointer_reason_shows_result_and_criterion() -> None:
    row = {
        "type": "mbb",
        "relief_pct": 80,
        "duration_hours": 6,
        "level": ["L4-L5"],
        "side": "left",
        "date": "2024-06-01",
    }
    (pointer,) = _pointers(row)
    assert pointer.reasons[0] == (
        "Block 1 (2024-06-01, Lumbar medial branch block, L4-L5, left): 80% relief for 6 h; "
        "MBB positive at >=50% relief of the usual pain (ASRA 2020)"
    )
    assert pointer.unverified is False


def test_negative_undetermined_and_esi_blocks_point_nowhere() -> None:
    assert _pointers({"type": "mbb", "relief_pct": 49}) == []
    assert _pointers({"type": "sij", "relief_pct": 74}) == []
    assert _pointers({"type": "snrb"}) == []
    assert _pointers({"type": "esi", "relief_pct": 90}) == []
    assert _pointers(_disco(pain_score=5)) == []


def test_snrb_pointer_is_unverified() -> None:
    (pointer,) = _pointers({"type": "snrb", "relief_pct": 90})
    assert pointer.unverified is True
