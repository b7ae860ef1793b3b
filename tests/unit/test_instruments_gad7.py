"""GAD-7: worked examples of reference 2.5, cut-off, missing items."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import gad7
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def answers(*scores: int | None) -> dict[str, str]:
    return {f"gad7_{i}": str(s) for i, s in enumerate(scores, start=1) if s is not None}


@pytest.mark.parametrize(
    ("scores", "total", "band"),
    [
        ((0,) * 7, 0, "minimal"),
        ((1, 1, 1, 1, 1, 0, 0), 5, "mild"),
        ((1, 1, 1, 1, 1, 1, 3), 9, "mild"),
        ((2, 2, 2, 1, 1, 1, 1), 10, "moderate"),
        ((3, 3, 3, 2, 2, 2, 0), 15, "severe"),
        ((3,) * 7, 21, "severe"),
    ],
)
def test_worked_examples(scores: tuple[int, ...], total: int, band: str) -> None:
    result = gad7.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.band == band
    assert result.positive is (total >= 10)
    assert any("probable generalised anxiety" in n for n in result.notes) is (total >= 10)


@pytest.mark.parametrize(
    ("total", "band"),
    [(4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
     (15, "severe")],
)  # fmt: skip
def test_band_boundaries(total: int, band: str) -> None:
    scores = [min(3, max(0, total - 3 * i)) for i in range(7)]
    assert sum(scores) == total
    assert gad7.score(answers(*scores), DEFAULT_SETTINGS).band == band


def test_missing_item_no_total() -> None:
    result = gad7.score(answers(1, 1, 1, 1, 1, 1, None), DEFAULT_SETTINGS)
    assert result.score is None
    assert result.n_answered == 6
    assert "missing" in result.notes[0]


def test_proration_override() -> None:
    result = gad7.score(answers(2, 2, 2, 2, 2, 2, None), ScoringSettings(phq_gad_max_prorated=1))
    assert result.score == pytest.approx(14.0)
    assert result.band == "moderate"
    assert any("prorated" in n for n in result.notes)


def test_forged_value() -> None:
    data = answers(1, 1, 1, 1, 1, 1)
    data["gad7_7"] = "Not at all sure"
    assert gad7.score(data, DEFAULT_SETTINGS).score is None


def test_lowest_label() -> None:
    assert gad7.ITEMS[0].options[0].label == "Not at all"
