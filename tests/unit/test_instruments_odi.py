"""ODI v2.1a: worked examples of reference 2.1, missing-section rule, bands."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import odi
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def answers(*scores: int | None) -> dict[str, str]:
    """Section scores 1..10 (None = missing) as stored answers."""
    return {f"odi_{i}": str(s) for i, s in enumerate(scores, start=1) if s is not None}


@pytest.mark.parametrize(
    ("scores", "expected", "band"),
    [
        ((2, 3, 2, 1, 3, 2, 2, 1, 2, 2), 40.0, "moderate"),
        ((1,) * 10, 20.0, "minimal"),
        ((2, 3, 2, 2, 2, 2, 2, 2, 2, 2), 42.0, "severe"),
        ((3, 3, 1, 2, 2, 2, 1, None, 2, 0), 16 / 45 * 100, "moderate"),
        ((3, 3, 3, 2, 2, 2, 2, None, 2, 2), 21 / 45 * 100, "severe"),
        ((4, 4, 4, 4, 4, 4, 4, 4, 4, 5), 82.0, "bed_bound"),
        ((5,) * 10, 100.0, "bed_bound"),
    ],
)
def test_worked_examples(scores: tuple[int | None, ...], expected: float, band: str) -> None:
    result = odi.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score == pytest.approx(expected)
    assert result.band == band


def test_published_example_display() -> None:
    result = odi.score(answers(3, 3, 1, 2, 2, 2, 1, None, 2, 0), DEFAULT_SETTINGS)
    assert result.score is not None
    assert round(result.score, 1) == 35.6  # source truncates to 35.5; rounding gives 35.6
    assert round(result.score, 2) == 35.56
    assert result.n_answered == 9
    assert result.n_items == 10
    assert any("missing" in note for note in result.notes)


def test_score_is_not_rounded() -> None:
    result = odi.score(answers(3, 3, 3, 2, 2, 2, 2, None, 2, 2), DEFAULT_SETTINGS)
    assert result.score == 21 / 45 * 100
    assert result.score != round(result.score, 2)


def test_two_missing_default_is_null() -> None:
    result = odi.score(answers(3, 3, 3, 3, 3, 3, None, None, 3, 3), DEFAULT_SETTINGS)
    assert result.score is None
    assert result.n_answered == 8
    assert result.notes[0] == "2 sections missing; at most 1 allowed (configurable)"


def test_two_missing_with_override() -> None:
    settings = DEFAULT_SETTINGS.with_overrides({"odi_max_missing": 2})
    result = odi.score(answers(3, 3, 3, 3, 3, 3, None, None, 3, 3), settings)
    assert result.score == 60.0
    assert result.band == "severe"


def test_max_missing_zero() -> None:
    settings = ScoringSettings(odi_max_missing=0)
    result = odi.score(answers(3, 3, 1, 2, 2, 2, 1, None, 2, 0), settings)
    assert result.score is None
    assert "1 section missing" in result.notes[0]


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (10, "minimal"), (11, "moderate"), (20, "moderate"), (21, "severe"),
     (30, "severe"), (31, "crippled"), (40, "crippled"), (41, "bed_bound"), (50, "bed_bound")],
)  # fmt: skip
def test_band_boundaries(total: int, band: str) -> None:
    scores = [total // 10] * 10
    for i in range(total % 10):
        scores[i] += 1
    result = odi.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score == total * 2
    assert result.band == band


def test_exact_boundaries_with_missing_sections() -> None:
    """18/45 x 100 = 40 exactly: moderate, not severe (no float drift)."""
    result = odi.score(answers(2, 2, 2, 2, 2, 2, 2, None, 2, 2), DEFAULT_SETTINGS)
    assert result.score == 40.0
    assert result.band == "moderate"
    settings = DEFAULT_SETTINGS.with_overrides({"odi_max_missing": 5})
    result = odi.score(answers(1, 1, 1, 1, 1, None, None, None, None, None), settings)
    assert result.score == 20.0
    assert result.band == "minimal"


def test_section_8_not_required() -> None:
    required = {f.key for f in odi.ITEMS if f.required}
    assert "odi_8" not in required
    assert len(required) == 9


@pytest.mark.parametrize("forged", ["6", "-1", "2.5", "", "x", None, ["1"]])
def test_forged_value_counts_as_missing(forged: object) -> None:
    data: dict[str, object] = dict(answers(3, 3, 1, 2, 2, 2, 1, 1, 2, 0))
    data["odi_8"] = forged
    result = odi.score(data, DEFAULT_SETTINGS)
    assert result.n_answered == 9
    assert result.score == pytest.approx(16 / 45 * 100)


def test_labels_name_sections() -> None:
    assert odi.ITEMS[2].label == "Section 3 — lifting"
    assert [o.label for o in odi.ITEMS[0].options][0] == "0 (least)"
    assert [o.label for o in odi.ITEMS[0].options][-1] == "5 (most)"
