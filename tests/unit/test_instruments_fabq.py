"""FABQ: worked examples of reference 2.11, subscales and cut-offs."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import fabq
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def answers(*scores: int | None) -> dict[str, str]:
    return {f"fabq_{i}": str(s) for i, s in enumerate(scores, start=1) if s is not None}


@pytest.mark.parametrize(
    ("scores", "pa", "w", "pa_flag", "w_flag"),
    [
        ((3,) * 16, 12, 21, False, False),
        ((6, 6, 5, 5, 4, 6, 6, 6, 5, 5, 6, 4, 0, 0, 5, 6), 20, 37, True, True),
        ((2, 4, 4, 4, 3, 2, 2, 6, 2, 2, 3, 3, 6, 6, 1, 0), 15, 15, True, False),
        ((0,) * 16, 0, 0, False, False),
    ],
)
def test_worked_examples(scores: tuple[int, ...], pa: int, w: int, pa_flag: bool, w_flag: bool) -> None:
    result = fabq.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.subscores == {"pa": pa, "w": w}
    assert result.score == pa
    label = result.band_label or ""
    assert ("FABQ-PA > 14" in label) is pa_flag
    assert ("FABQ-W > 34" in label) is w_flag
    assert result.positive is (pa_flag or w_flag)
    assert result.band == ("elevated" if pa_flag or w_flag else "not_elevated")


def test_w_above_29_noted() -> None:
    result = fabq.score(answers(6, 6, 5, 5, 4, 6, 6, 6, 5, 5, 6, 4, 0, 0, 5, 6), DEFAULT_SETTINGS)
    assert any("FABQ-W > 29" in n for n in result.notes)


def test_unscored_items_do_not_count() -> None:
    base = [0] * 16
    for number in (1, 8, 13, 14, 16):
        base[number - 1] = 6
    result = fabq.score(answers(*base), DEFAULT_SETTINGS)
    assert result.subscores == {"pa": 0, "w": 0}


def test_item_11_is_work() -> None:
    base = [0] * 16
    base[10] = 6
    assert fabq.score(answers(*base), DEFAULT_SETTINGS).subscores["w"] == 6


def test_settings_cutoffs() -> None:
    data = answers(*(3,) * 16)  # PA 12, W 21
    result = fabq.score(data, ScoringSettings(fabq_pa_above=11, fabq_w_above=20))
    assert result.band_label == ("FABQ-PA > 11; FABQ-W > 20 (high risk of not returning to work)")


def test_work_items_missing_scores_pa_only() -> None:
    scores: list[int | None] = [3] * 16
    scores[14] = None  # item 15 (work)
    result = fabq.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score == 12
    assert result.subscores["w"] is None
    assert any("FABQ-W not scored" in n for n in result.notes)


def test_pa_item_missing_no_score() -> None:
    scores: list[int | None] = [3] * 16
    scores[1] = None  # item 2
    result = fabq.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score is None
    assert result.subscores["w"] == 21
    assert "FABQ-PA not scored" in result.notes[0]
