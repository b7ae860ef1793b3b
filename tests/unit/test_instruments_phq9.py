"""PHQ-9: worked examples of reference 2.4, the item-9 alert, missing items."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import phq9
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def answers(*scores: int | None) -> dict[str, str]:
    return {f"phq9_{i}": str(s) for i, s in enumerate(scores, start=1) if s is not None}


@pytest.mark.parametrize(
    ("scores", "total", "band", "alert"),
    [
        ((0, 1, 0, 1, 0, 1, 0, 0, 0), 3, "minimal", False),
        ((1, 1, 1, 1, 1, 0, 0, 0, 0), 5, "mild", False),
        ((2, 2, 1, 1, 1, 1, 1, 1, 0), 10, "moderate", False),
        ((3, 3, 2, 2, 2, 2, 2, 2, 1), 19, "moderately_severe", True),
        ((3,) * 9, 27, "severe", True),
        ((0, 0, 0, 0, 0, 0, 0, 0, 1), 1, "minimal", True),
    ],
)
def test_worked_examples(scores: tuple[int, ...], total: int, band: str, alert: bool) -> None:
    result = phq9.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.band == band
    assert any(a.kind == "phq9_item9" for a in result.alerts) is alert


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
     (14, "moderate"), (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"),
     (27, "severe")],
)  # fmt: skip
def test_band_boundaries(total: int, band: str) -> None:
    scores = [0] * 9
    remaining = total
    for i in range(8):  # keep item 9 at 0
        scores[i] = min(3, remaining)
        remaining -= scores[i]
    scores[8] = remaining
    result = phq9.score(answers(*scores), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.band == band
    assert result.positive is (total >= 10)


def test_item9_alert_despite_minimal_total() -> None:
    result = phq9.score(answers(0, 0, 0, 0, 0, 0, 0, 0, 1), DEFAULT_SETTINGS)
    assert result.band == "minimal"
    (alert,) = result.alerts
    assert alert.kind == "phq9_item9"
    assert alert.severity == "critical"
    assert alert.must_acknowledge is True
    assert alert.evidence == ("PHQ-9 item 9 = 1",)
    assert alert.action == (
        "Follow the local suicide-risk assessment protocol; PHQ-9 item 9 is a screen, not a risk assessment"
    )


@pytest.mark.parametrize("value", [1, 2, 3])
def test_item9_alert_evidence_names_value(value: int) -> None:
    result = phq9.score(answers(0, 0, 0, 0, 0, 0, 0, 0, value), DEFAULT_SETTINGS)
    assert result.alerts[0].evidence == (f"PHQ-9 item 9 = {value}",)


def test_item9_zero_no_alert() -> None:
    assert phq9.score(answers(*(3,) * 8, 0), DEFAULT_SETTINGS).alerts == ()


def test_item9_alert_even_when_total_not_scorable() -> None:
    result = phq9.score(answers(None, 0, 0, 0, 0, 0, 0, 0, 2), DEFAULT_SETTINGS)
    assert result.score is None
    assert [a.kind for a in result.alerts] == ["phq9_item9"]


def test_item9_unanswered_ask_directly() -> None:
    result = phq9.score(answers(0, 0, 0, 0, 0, 0, 0, 0, None), DEFAULT_SETTINGS)
    assert result.score is None
    (alert,) = result.alerts
    assert alert.kind == "phq9_item9_unanswered"
    assert alert.severity == "warning"
    assert "ask directly" in alert.message


def test_item9_forged_value_is_unanswered() -> None:
    data = answers(0, 0, 0, 0, 0, 0, 0, 0)
    data["phq9_9"] = "4"
    result = phq9.score(data, DEFAULT_SETTINGS)
    assert [a.kind for a in result.alerts] == ["phq9_item9_unanswered"]
    assert result.n_answered == 8


def test_missing_item_no_total_by_default() -> None:
    result = phq9.score(answers(2, 2, 1, 1, None, 1, 1, 1, 0), DEFAULT_SETTINGS)
    assert result.score is None
    assert result.band is None
    assert result.n_answered == 8
    assert result.notes[0] == "1 item missing; all items are needed for a score"


def test_proration_when_enabled() -> None:
    settings = ScoringSettings(phq_gad_max_prorated=2)
    result = phq9.score(answers(2, 2, 1, 1, None, 1, 1, None, 0), settings)
    assert result.score == pytest.approx(8 / 7 * 9)  # 10.29
    assert result.band == "moderate"
    assert any("prorated" in note for note in result.notes)
    too_many = phq9.score(answers(2, None, 1, 1, None, 1, 1, None, 0), settings)
    assert too_many.score is None
    assert too_many.notes[0] == "3 items missing; at most 2 allowed (configurable)"


def test_major_depressive_syndrome_note() -> None:
    result = phq9.score(answers(2, 0, 2, 2, 2, 2, 0, 0, 0), DEFAULT_SETTINGS)
    assert any("Major depressive syndrome" in note for note in result.notes)
    result = phq9.score(answers(0, 2, 0, 0, 0, 0, 0, 0, 1), DEFAULT_SETTINGS)
    assert any("Other depressive syndrome" in note for note in result.notes)
    result = phq9.score(answers(1, 1, 2, 2, 2, 2, 2, 2, 0), DEFAULT_SETTINGS)
    assert not any("syndrome" in note for note in result.notes)


def test_options() -> None:
    labels = [o.label for o in phq9.ITEMS[0].options]
    assert labels == ["Not at all", "Several days", "More than half the days", "Nearly every day"]
    assert [o.score for o in phq9.ITEMS[0].options] == [0, 1, 2, 3]
