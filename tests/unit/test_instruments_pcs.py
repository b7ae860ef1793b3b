"""PCS: worked examples of reference 2.10, the configurable threshold, missing items."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import pcs
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def answers(*scores: int) -> dict[str, str]:
    return {f"pcs_{i}": str(s) for i, s in enumerate(scores, start=1)}


@pytest.mark.parametrize(
    ("scores", "total", "rmh", "flag"),
    [
        ((2,) * 13, 26, (8, 6, 12), False),
        ((2, 2, 2, 2, 2, 3, 3, 2, 3, 2, 2, 2, 3), 30, (9, 9, 12), True),
        ((3, 3, 2, 2, 3, 2, 3, 3, 3, 2, 2, 2, 3), 33, (10, 8, 15), True),
        ((1, 2, 1, 0, 1, 3, 3, 2, 2, 2, 1, 0, 2), 20, (7, 8, 5), False),
        ((4,) * 13, 52, (16, 12, 24), True),
    ],
)
def test_worked_examples(scores: tuple[int, ...], total: int, rmh: tuple[int, int, int], flag: bool) -> None:
    result = pcs.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score == total
    sub = result.subscores
    assert (sub["rumination"], sub["magnification"], sub["helplessness"]) == rmh
    assert result.positive is flag
    assert result.band == ("clinically_relevant" if flag else "below_threshold")


def test_boundary_exclusive_setting() -> None:
    data = answers(2, 2, 2, 2, 2, 3, 3, 2, 3, 2, 2, 2, 3)  # 30
    result = pcs.score(data, ScoringSettings(pcs_inclusive=False))
    assert result.score == 30
    assert result.positive is False
    assert "PCS > 30" in (result.band_label or "")
    assert pcs.score(data, DEFAULT_SETTINGS).band_label == (
        "Clinically relevant catastrophising (PCS >= 30 (Sullivan manual threshold))"
    )


def test_threshold_override() -> None:
    result = pcs.score(answers(*(2,) * 13), ScoringSettings(pcs_threshold=26))
    assert result.positive is True


def test_missing_item_no_score() -> None:
    data = answers(*(2,) * 13)
    data["pcs_13"] = "5"  # forged: out of range
    result = pcs.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.n_answered == 12
